using System.Management.Automation;
using NetNs.Core.Ip;
using NetNs.Core.Validation;

namespace NetNs.Commands.Links;

/// <summary>
/// <para type="synopsis">Deletes a link (ip link del); deleting one end of a veth pair deletes both.</para>
/// <para type="description">Errors: LinkNotFound, NamespaceNotFound (ObjectNotFound); InvalidInterfaceName (InvalidArgument).</para>
/// </summary>
[Cmdlet(VerbsCommon.Remove, "NetLink", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
public sealed class RemoveNetLinkCommand : NetNsCmdlet
{
    /// <summary>The link to delete.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(LinkNameCompleter))]
    public string Name { get; set; } = string.Empty;

    /// <summary>The namespace of the link; omit for the root namespace.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString, AllowNull]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public string? Namespace { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var ns = NormalizeNamespace(Namespace);
        Try(() =>
        {
            Validate.InterfaceName(Name);
            IpClient.RequireNamespace(ns);
            if (!Ip.LinkExists(ns, Name)) throw IpClient.LinkNotFound(ns, Name);
            if (!ShouldProcess(IpClient.Target(ns, Name), IpCommands.LinkDelete(ns, Name).ToString())) return;
            Ip.RemoveLink(ns, Name);
        });
    }
}
