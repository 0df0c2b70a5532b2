using System.Management.Automation;
using NetNs.Core.Ip;
using NetNs.Core.Models;
using NetNs.Core.Validation;

namespace NetNs.Commands.Links;

/// <summary>
/// <para type="synopsis">Moves a link into another network namespace (ip link set DEV netns NS).</para>
/// <para type="description">The link arrives administratively DOWN and without addresses, as the kernel does it.
/// Errors: LinkNotFound, NamespaceNotFound (ObjectNotFound); LinkExists (ResourceExists); SameNamespace (InvalidArgument).</para>
/// </summary>
[Cmdlet(VerbsCommon.Move, "NetLink", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(NetLink))]
public sealed class MoveNetLinkCommand : NetNsCmdlet
{
    /// <summary>The link to move.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(LinkNameCompleter))]
    public string Name { get; set; } = string.Empty;

    /// <summary>The namespace the link is in now; omit for the root namespace.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString, AllowNull]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public string? Namespace { get; set; }

    /// <summary>The namespace to move it to; "" for the root namespace.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [AllowEmptyString]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public string Destination { get; set; } = string.Empty;

    /// <summary>Emit the moved link.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var ns = NormalizeNamespace(Namespace);
        var dest = NormalizeNamespace(Destination);
        Try(() =>
        {
            Validate.InterfaceName(Name);
            Namespaces.RequireNamespace(ns);
            Namespaces.RequireNamespace(dest, "Destination");
            if (!ShouldProcess(new LinkId(ns, Name).Target, IpCommands.LinkMove(ns, Name, dest, Environment.ProcessId).ToString())) return;
            var link = Links.MoveLink(ns, Name, dest);
            if (PassThru) WriteObject(link);
        });
    }
}
