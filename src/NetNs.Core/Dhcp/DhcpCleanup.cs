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
        if (Interlocked.Exchange(ref _registered, 1) == 0) IpClient.NamespaceRemoving += OnNamespaceRemoving;
    }

    /// <summary>Stops the servers and clients in <paramref name="namespace"/> and removes their run files.</summary>
    public static void OnNamespaceRemoving(string @namespace, IToolRunner runner, CancellationToken cancellationToken)
    {
        DhcpServerManager.StopAll(@namespace);
        DhcpClientManager.StopAll(@namespace);
    }

#pragma warning disable CA2255 // the handler must be registered in every host that loads NetNs.Core (module, tests)
    [ModuleInitializer]
    internal static void Initialize() => EnsureRegistered();
#pragma warning restore CA2255
}
