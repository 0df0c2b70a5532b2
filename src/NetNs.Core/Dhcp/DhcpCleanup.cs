using System.Runtime.CompilerServices;
using NetNs.Core.Ip;
using NetNs.Core.Process;

namespace NetNs.Core.Dhcp;

/// <summary>
/// Stops the DHCP servers and clients NetNs started in a namespace before that namespace is removed. Registered on
/// <see cref="IpClient.NamespacesRemoving"/> when NetNs.Core is loaded (a module initializer), so it is in force
/// whenever anything can remove a namespace.
/// </summary>
public static class DhcpCleanup
{
    private static int _registered;

    /// <summary>Registers the handler once (idempotent).</summary>
    public static void EnsureRegistered()
    {
        if (Interlocked.Exchange(ref _registered, 1) != 0) return;
        IpClient.NamespacesRemoving += OnNamespacesRemoving;
        Lab.LabDhcp.Provider ??= new LabDhcpProvider();
    }

    /// <summary>Stops the servers and clients in <paramref name="namespaces"/> and removes their run files (the state is read once).</summary>
    public static void OnNamespacesRemoving(IReadOnlyCollection<string> namespaces, IToolRunner runner, CancellationToken cancellationToken)
    {
        var set = namespaces as ISet<string> ?? new HashSet<string>(namespaces, StringComparer.Ordinal);
        foreach (var s in DhcpServerManager.GetServers().Where(s => set.Contains(s.Namespace)))
        {
            runner.CommandStarting?.Invoke($"kill -TERM {s.ProcessId} # dnsmasq on {IpClient.Target(s.Namespace, s.Interface)}; rm -r {s.Directory}");
            DhcpServerManager.Stop(s);
        }
        foreach (var c in DhcpClientManager.GetClients().Where(c => set.Contains(c.Namespace)))
        {
            runner.CommandStarting?.Invoke($"kill -TERM {c.ProcessId} # dhclient on {IpClient.Target(c.Namespace, c.Interface)}; rm -r {Path.GetDirectoryName(c.LeaseFile)}");
            DhcpClientManager.Stop(c);
        }
    }

#pragma warning disable CA2255 // the handler must be registered in every host that loads NetNs.Core (module, tests)
    [ModuleInitializer]
    internal static void Initialize() => EnsureRegistered();
#pragma warning restore CA2255
}
