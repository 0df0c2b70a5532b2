using System.Management.Automation;
using NetNs.Core.Dhcp;
using NetNs.Core.Ip;
using NetNs.Core.Validation;

namespace NetNs.Commands.Dhcp;

/// <summary>
/// <para type="synopsis">Releases a DHCP lease NetNs's client holds: DHCPRELEASE, address removed, client stopped, files removed.</para>
/// <para type="description">Runs dhclient -r in the namespace (RFC 2131 DHCPRELEASE): a dhclient left running by
/// -KeepRunning is stopped, the server is told, and the leased address (and the default route NetNs added) is removed
/// from the interface. /run/netns-ps/dhclient/NS-IF/ is removed even when dhclient fails. Errors: DhcpClientNotFound
/// (ObjectNotFound); DhcpReleaseFailed with dhclient's message.</para>
/// </summary>
[Cmdlet(VerbsCommon.Remove, "NetDhcpClientLease", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class RemoveNetDhcpClientLeaseCommand : NetNsCmdlet
{
    /// <summary>The namespace of the interface; omit for the root namespace.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString, AllowNull]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public string? Namespace { get; set; }

    /// <summary>The interface holding the lease.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ArgumentCompleter(typeof(DhcpClientInterfaceCompleter))]
    public string Interface { get; set; } = string.Empty;

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var ns = NormalizeNamespace(Namespace);
        Try(() =>
        {
            if (ns.Length > 0) Validate.NamespaceName(ns, "Namespace");
            Validate.InterfaceName(Interface, "Interface");
            var manager = new DhcpClientManager(Context);
            if (DhcpClientManager.GetClients(ns, Interface).Count == 0)
                throw new NetNs.Core.Errors.NetNsException("DhcpClientNotFound", NetNs.Core.Errors.NetNsErrorCategory.ObjectNotFound,
                    $"NetNs holds no DHCP lease on interface '{Interface}' in {LinkId.Describe(ns)}. List them with Get-NetDhcpClientLease.", new LinkId(ns, Interface).Target);
            if (!ShouldProcess(new LinkId(ns, Interface).Target, DhcpClientManager.ReleaseCommand(ns, Interface).ToString())) return;
            manager.Release(ns, Interface);
        });
    }
}
