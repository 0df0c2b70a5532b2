using NetNs.Core.Lab;
using NetNs.Core.Process;

namespace NetNs.Core.Dhcp;

/// <summary>
/// Serves the DHCP servers of lab definitions with the module's dnsmasq manager (the same servers Start-NetDhcpServer
/// starts: Get-NetDhcpServer lists them, Remove-NetNamespace stops them).
/// </summary>
public sealed class LabDhcpProvider : ILabDhcp
{
    /// <inheritdoc />
    public void Start(string lab, LabDhcpServer server, CancellationToken cancellationToken)
    {
        var manager = new DhcpServerManager(new CliWrapToolRunner(), cancellationToken);
        var settings = manager.Prepare(server.Namespace, server.Interface, server.RangeStart, server.RangeEnd,
            TimeSpan.FromSeconds(server.LeaseTimeSeconds), server.Router, server.DnsServers, staticLease: null);
        manager.Start(settings);
    }

    /// <inheritdoc />
    public void Stop(string lab, LabDhcpServer server, CancellationToken cancellationToken)
    {
        foreach (var s in DhcpServerManager.GetServers(server.Namespace, server.Interface))
            DhcpServerManager.Stop(s);
    }
}
