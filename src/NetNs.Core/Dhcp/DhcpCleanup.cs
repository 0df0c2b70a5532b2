using System.Runtime.CompilerServices;
using NetNs.Core.Ip;
using NetNs.Core.Process;

namespace NetNs.Core.Dhcp;

/// <summary>
/// Stops the DHCP servers and clients NetNs started in a namespace before that namespace is removed. Registered on
/// <see cref="IpClient.NamespaceRemoving"/> when NetNs.Core is loaded (a module initializer), so it is in force
/// whenever anything can remove a namespace.
/// </summary>
public static class DhcpCleanup
{
    private static int _registered;

    /// <summary>Registers the handler once (idempotent).</summary>
    public static void EnsureRegistered()
    {
        if (Interlocked.Exchange(ref _registered, 1) != 0) return;
        IpClient.NamespaceRemoving += OnNamespaceRemoving;
        Lab.LabDhcp.Provider ??= new LabDhcpProvider();
    }

    /// <summary>Stops the servers and clients in <paramref name="namespace"/> and removes their run files.</summary>
    public static void OnNamespaceRemoving(string @namespace, IToolRunner runner, CancellationToken cancellationToken)
    {
        foreach (var s in DhcpServerManager.GetServers(@namespace))
        {
            runner.CommandStarting?.Invoke($"kill -TERM {s.ProcessId} # dnsmasq on {IpClient.Target(s.Namespace, s.Interface)}; rm -r {s.Directory}");
            DhcpServerManager.Stop(s);
        }
        foreach (var c in DhcpClientManager.GetClients(@namespace))
        {
            runner.CommandStarting?.Invoke($"kill -TERM {c.ProcessId} # dhclient on {IpClient.Target(c.Namespace, c.Interface)}; rm -r {Path.GetDirectoryName(c.LeaseFile)}");
        }
        DhcpClientManager.StopAll(@namespace);
    }

#pragma warning disable CA2255 // the handler must be registered in every host that loads NetNs.Core (module, tests)
    [ModuleInitializer]
    internal static void Initialize() => EnsureRegistered();
#pragma warning restore CA2255
}
