using NetNs.Core.Ip;
using NetNs.Core.Lab;

namespace NetNs.Core.Dhcp;

/// <summary>
/// The DHCP service of the context: what other areas ask of NetNs's DHCP servers (dnsmasq) and clients (dhclient).
/// Namespace removal and the lab sweeper stop those inside namespaces about to go; the lab builder starts and stops a
/// lab's servers.
/// </summary>
internal interface IDhcpService
{
    /// <summary>Stops the servers and clients NetNs started in <paramref name="namespaces"/> and removes their run files (the state is read once).</summary>
    void StopIn(IReadOnlyCollection<string> namespaces);

    /// <summary>Starts one server of a lab (after the lab's links and addresses exist). Throws NetNsException on failure.</summary>
    void StartLabServer(LabDhcpServer server);

    /// <summary>Stops one server of a lab if it runs (no error when it does not).</summary>
    void StopLabServer(LabDhcpServer server);
}

/// <summary>
/// The production DHCP service: the module's dnsmasq and dhclient managers, with the context's runner (so their command
/// lines reach -Verbose) and cancellation.
/// </summary>
internal sealed class DhcpService : IDhcpService
{
    private readonly Context.NetNsContext _context;
    public DhcpService(Context.NetNsContext context)
    {
        _context = context;
    }

    public void StopIn(IReadOnlyCollection<string> namespaces)
    {
        if (namespaces.Count == 0) return;
        var set = namespaces as ISet<string> ?? new HashSet<string>(namespaces, StringComparer.Ordinal);
        foreach (var s in DhcpServerManager.GetServers().Where(s => set.Contains(s.Namespace)))
        {
            _context.Trace($"kill -TERM {s.ProcessId} # dnsmasq on {new LinkId(s.Namespace, s.Interface)}; rm -r {s.Directory}");
            DhcpServerManager.Stop(s);
        }
        foreach (var c in DhcpClientManager.GetClients().Where(c => set.Contains(c.Namespace)))
        {
            _context.Trace($"kill -TERM {c.ProcessId} # dhclient on {new LinkId(c.Namespace, c.Interface)}; rm -r {Path.GetDirectoryName(c.LeaseFile)}");
            DhcpClientManager.Stop(c);
        }
    }

    public void StartLabServer(LabDhcpServer server)
    {
        var manager = new DhcpServerManager(_context);
        var settings = manager.Prepare(server.Namespace, server.Interface, server.RangeStart, server.RangeEnd,
            TimeSpan.FromSeconds(server.LeaseTimeSeconds), server.Router, server.DnsServers, staticLease: null);
        manager.Start(settings);
    }

    public void StopLabServer(LabDhcpServer server)
    {
        foreach (var s in DhcpServerManager.GetServers(server.Namespace, server.Interface))
            DhcpServerManager.Stop(s);
    }
}
