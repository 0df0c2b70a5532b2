using System.Management.Automation;
using NetNs.Core.Dhcp;
using NetNs.Core.Ip;
using NetNs.Core.Models;

namespace NetNs.Commands.Dhcp;

/// <summary>
/// <para type="synopsis">Requests a DHCP lease on an interface inside a namespace, with the real dhclient.</para>
/// <para type="description">Runs ISC dhclient (Debian isc-dhcp-client) once (dhclient -1) in the namespace, with NetNs's own
/// configuration, lease file and script under /run/netns-ps/dhclient/NS-IF/: the script sets the interface up, configures
/// the leased address (and a default route via the router when the namespace has none) and writes no file, so the host's
/// /etc/resolv.conf and other files stay unchanged. Returns the lease: address, prefix, router, DNS servers, server id,
/// lease time. The client is stopped once the lease is bound unless -KeepRunning (then it renews the lease; release it with
/// Remove-NetDhcpClientLease). -TimeoutSeconds (1-3600, default 10) bounds the wait for an offer. DHCPv4 per RFC 2131.</para>
/// <para type="description">Errors: DhcpLeaseTimeout (OperationTimeout) naming the interface; InvalidInterfaceName,
/// InvalidNamespaceName, InvalidTimeout (InvalidArgument); NamespaceNotFound, LinkNotFound (ObjectNotFound);
/// DhcpClientRunning (ResourceExists); DhcpClientFailed.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Request, "NetDhcpClientLease", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(DhcpClientLease))]
public sealed class RequestNetDhcpClientLeaseCommand : NetNsCmdlet
{
    /// <summary>The namespace of the interface; omit for the root namespace.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString, AllowNull]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public string? Namespace { get; set; }

    /// <summary>The interface to configure by DHCP.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ArgumentCompleter(typeof(LinkNameCompleter))]
    public string Interface { get; set; } = string.Empty;

    /// <summary>Seconds to wait for a lease (1-3600, default 10).</summary>
    [Parameter]
    public int TimeoutSeconds { get; set; } = 10;

    /// <summary>Leave dhclient running in the background to renew the lease.</summary>
    [Parameter]
    public SwitchParameter KeepRunning { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var ns = NormalizeNamespace(Namespace);
        Try(() =>
        {
            var manager = new DhcpClientManager(Context);
            manager.Prepare(ns, Interface, TimeoutSeconds, checkKernel: !IsWhatIf || ns.Length == 0 || Namespaces.Exists(ns));
            if (!ShouldProcess(new LinkId(ns, Interface).Target, DhcpClientManager.RequestCommand(ns, Interface).ToString())) return;
            WriteObject(manager.Request(ns, Interface, TimeoutSeconds, KeepRunning.IsPresent));
        });
    }
}
