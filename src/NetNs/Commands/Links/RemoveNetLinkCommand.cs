using System.Management.Automation;
using NetNs.Core.Errors;
using NetNs.Core.Ip;
using NetNs.Core.Models;
using NetNs.Core.Validation;

namespace NetNs.Commands.Links;

/// <summary>
/// <para type="synopsis">Deletes a link (ip link del); deleting one end of a veth pair deletes both.</para>
/// <para type="description">Errors: LinkNotFound, NamespaceNotFound (ObjectNotFound); InvalidInterfaceName (InvalidArgument).</para>
/// </summary>
[Cmdlet(VerbsCommon.Remove, "NetLink", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class RemoveNetLinkCommand : NetNsCmdlet
{
    // "ns/name" of veth ends deleted together with a peer removed earlier in this pipeline.
    private readonly HashSet<string> _removedPeers = new(StringComparer.Ordinal);

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
            Namespaces.RequireNamespace(ns);
            NetLink link;
            try
            {
                link = Links.GetLink(ns, Name);
            }
            catch (NetNsException ex) when (ex.ErrorId == "LinkNotFound" && _removedPeers.Contains(new LinkId(ns, Name).Target))
            {
                // Both ends of a veth came down the pipeline (Get-NetLink -Kind veth | Remove-NetLink): already gone.
                WriteVerbose($"Link '{Name}' in {LinkId.Describe(ns)} went with its veth peer.");
                return;
            }
            if (!ShouldProcess(new LinkId(ns, Name).Target, IpCommands.LinkDelete(ns, Name).ToString())) return;
            Links.RemoveLink(ns, Name);
            if (link.PeerName is not null && link.PeerNamespace is not null)
                _removedPeers.Add(new LinkId(link.PeerNamespace, link.PeerName).Target);
        });
    }
}
