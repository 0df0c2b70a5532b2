using System.Globalization;
using NetNs.Core.Errors;
using NetNs.Core.Ip;
using NetNs.Core.Process;

namespace NetNs.Core.Native;

/// <summary>
/// Sysctls of a network namespace, read and written in process: /proc/sys/net/… is resolved by the kernel in the network
/// namespace of the thread that opens the file, so a thread that joined the namespace (setns) reads and writes that
/// namespace's values. The kernel seam (<see cref="Kernel.RtnlKernel"/>) calls these on such a thread. Keys are paths
/// relative to /proc/sys (net/ipv4/ip_forward); -Verbose shows them as sysctl(8) does (<see cref="Display"/>).
/// </summary>
internal static class NamespaceSysctl
{
    /// <summary>IPv4 forwarding of the namespace (net.ipv4.ip_forward). Keys are paths under /proc/sys.</summary>
    public const string Ipv4Forwarding = "net/ipv4/ip_forward";

    /// <summary>IPv6 forwarding of every interface of the namespace and the default for new ones (net.ipv6.conf.all.forwarding).</summary>
    public const string Ipv6Forwarding = "net/ipv6/conf/all/forwarding";

    /// <summary>The file of a key.</summary>
    public static string PathOf(string key) => "/proc/sys/" + key;

    /// <summary>The key of an interface's sysctl, e.g. net/ipv6/conf/IF/addr_gen_mode (an interface name may hold dots: eth0.100).</summary>
    public static string InterfaceKey(string family, string @interface, string name) => $"net/{family}/conf/{@interface}/{name}";

    /// <summary>The key as sysctl(8) names it: dots between the parts, a dot inside a part written as '/' (net.ipv6.conf.eth0/100.forwarding).</summary>
    public static string Display(string key) => new(key.Select(c => c == '/' ? '.' : c == '.' ? '/' : c).ToArray());

    /// <summary><c>ip netns exec NS sysctl -w KEY=VALUE</c> (just <c>sysctl -w</c> in the root namespace).</summary>
    public static ToolCommand WriteCommand(string @namespace, string key, string value) =>
        IpCommands.NetnsExec(@namespace, "sysctl", new[] { "-w", Display(key) + "=" + value });

    /// <summary>Reads a sysctl in the calling thread's namespace (trimmed); null when it cannot be read.</summary>
    public static string? Read(string key)
    {
        try { return File.ReadAllText(PathOf(key)).Trim(); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return null; }
    }

    /// <summary>Writes a sysctl in the calling thread's namespace.</summary>
    /// <exception cref="NetNsException"><c>SetSysctlFailed</c> (PermissionDenied, ObjectNotFound or InvalidResult).</exception>
    public static void Write(string @namespace, string key, string value)
    {
        try
        {
            File.WriteAllText(PathOf(key), value + "\n");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            var category = ex is UnauthorizedAccessException ? NetNsErrorCategory.PermissionDenied
                : ex is FileNotFoundException or DirectoryNotFoundException ? NetNsErrorCategory.ObjectNotFound : NetNsErrorCategory.InvalidResult;
            throw new NetNsException("SetSysctlFailed", category, $"Cannot set {Display(key)} to {value} in {LinkId.Describe(@namespace)}: {ex.Message}", @namespace, ex);
        }
    }

    /// <summary>Reads <paramref name="keys"/> in each namespace on ONE thread visiting them in turn; null where a value cannot be read.</summary>
    public static Dictionary<string, string?[]> ReadEach(IReadOnlyCollection<string> namespaces, IReadOnlyList<string> keys)
    {
        var result = new Dictionary<string, string?[]>(StringComparer.Ordinal);
        foreach (var n in namespaces) result[n] = new string?[keys.Count];
        if (result.Count == 0) return result;
        try
        {
            NetnsThread.RunEach(result.Keys.ToList(), n => n, n =>
            {
                for (var i = 0; i < keys.Count; i++) result[n][i] = Read(keys[i]);
            });
        }
        catch (InvalidOperationException)
        {
            // The thread could not come back to its own namespace: what was read stays, the rest unknown.
        }
        return result;
    }

    /// <summary>"1" → true, "0" → false, anything else → null.</summary>
    public static bool? Flag(string? value) => value is null ? null : int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v != 0 : null;
}
