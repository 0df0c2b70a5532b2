using System.Globalization;
using NetNs.Core.Errors;
using NetNs.Core.Ip;
using NetNs.Core.Process;

namespace NetNs.Core.Native;

/// <summary>
/// Sysctls of a network namespace, read and written in process: a thread that joined the namespace (setns) opens
/// /proc/sys/net/…, which the kernel resolves in the opening thread's namespace. Every write announces the equivalent
/// command line (<c>ip netns exec NS sysctl -w KEY=VALUE</c>), marked as in process.
/// </summary>
internal static class NamespaceSysctl
{
    /// <summary>IPv4 forwarding of the namespace (net.ipv4.ip_forward).</summary>
    public const string Ipv4Forwarding = "net.ipv4.ip_forward";

    /// <summary>IPv6 forwarding of every interface of the namespace and the default for new ones (net.ipv6.conf.all.forwarding).</summary>
    public const string Ipv6Forwarding = "net.ipv6.conf.all.forwarding";

    /// <summary>Appended to the equivalent command line of an in-process sysctl write.</summary>
    public const string InProcessMark = "   (in process: setns, /proc/sys)";

    /// <summary>The file of a sysctl key (dots become slashes).</summary>
    public static string PathOf(string key) => "/proc/sys/" + key.Replace('.', '/');

    /// <summary>The file of an interface's sysctl, e.g. net.ipv6.conf.IF.addr_gen_mode (an interface name may hold dots).</summary>
    public static string InterfacePath(string family, string @interface, string name) => $"/proc/sys/net/{family}/conf/{@interface}/{name}";

    /// <summary><c>ip netns exec NS sysctl -w KEY=VALUE</c> (just <c>sysctl -w</c> in the root namespace).</summary>
    public static ToolCommand WriteCommand(string @namespace, string key, string value) =>
        IpCommands.NetnsExec(@namespace, "sysctl", new[] { "-w", key + "=" + value });

    /// <summary>Reads a sysctl in the calling thread's namespace (trimmed); null when it cannot be read.</summary>
    public static string? Read(string key)
    {
        try { return File.ReadAllText(PathOf(key)).Trim(); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return null; }
    }

    /// <summary>Writes a sysctl in the calling thread's namespace.</summary>
    /// <exception cref="NetNsException"><c>SetSysctlFailed</c> (PermissionDenied or InvalidResult).</exception>
    public static void Write(string @namespace, string key, string value) => WritePath(@namespace, key, PathOf(key), value);

    /// <summary>Writes a sysctl file in the calling thread's namespace.</summary>
    /// <exception cref="NetNsException"><c>SetSysctlFailed</c>.</exception>
    public static void WritePath(string @namespace, string key, string path, string value)
    {
        try
        {
            File.WriteAllText(path, value + "\n");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new NetNsException("SetSysctlFailed", ex is UnauthorizedAccessException ? NetNsErrorCategory.PermissionDenied : NetNsErrorCategory.InvalidResult,
                $"Cannot set {key} to {value} in {IpClient.Describe(@namespace)}: {ex.Message}", @namespace, ex);
        }
    }

    /// <summary>The IPv4 and IPv6 forwarding switches of each named namespace, read on one thread; null where one cannot be read (not root, namespace gone).</summary>
    public static Dictionary<string, (bool? IPv4, bool? IPv6)> Forwarding(IEnumerable<string> namespaces)
    {
        var result = new Dictionary<string, (bool?, bool?)>(StringComparer.Ordinal);
        var list = namespaces.Where(n => !string.IsNullOrEmpty(n)).Distinct(StringComparer.Ordinal).ToList();
        foreach (var n in list) result[n] = (null, null);
        if (list.Count == 0) return result;
        try
        {
            NetnsThread.RunEach(list, n => n, n => result[n] = (Flag(Read(Ipv4Forwarding)), Flag(Read(Ipv6Forwarding))));
        }
        catch (Exception ex) when (ex is NetNsException or InvalidOperationException)
        {
            // Not allowed to enter namespaces (no root): the switches stay unknown.
        }
        return result;
    }

    /// <summary>Reads the forwarding switches of one namespace ("" = root).</summary>
    public static (bool? IPv4, bool? IPv6) ForwardingOf(string @namespace) =>
        NetnsThread.Run(@namespace, () => (Flag(Read(Ipv4Forwarding)), Flag(Read(Ipv6Forwarding))));

    /// <summary>
    /// Turns IPv4 and/or IPv6 forwarding on or off inside a namespace (null leaves a family as it is), announcing each write
    /// through <paramref name="announce"/>, and returns the switches as read back.
    /// </summary>
    /// <exception cref="NetNsException"><c>NamespaceNotFound</c>, <c>SetnsFailed</c>, <c>SetSysctlFailed</c>.</exception>
    public static (bool? IPv4, bool? IPv6) SetForwarding(string @namespace, bool? ipv4, bool? ipv6, Action<string>? announce)
    {
        IpClient.RequireNamespace(@namespace, "Name");
        var writes = new List<(string Key, string Value)>();
        if (ipv4 is not null) writes.Add((Ipv4Forwarding, ipv4.Value ? "1" : "0"));
        if (ipv6 is not null) writes.Add((Ipv6Forwarding, ipv6.Value ? "1" : "0"));
        foreach (var (k, v) in writes) announce?.Invoke(WriteCommand(@namespace, k, v) + InProcessMark);
        return NetnsThread.Run(@namespace, () =>
        {
            foreach (var (k, v) in writes) Write(@namespace, k, v);
            return (Flag(Read(Ipv4Forwarding)), Flag(Read(Ipv6Forwarding)));
        });
    }

    /// <summary>"1" → true, "0" → false, anything else → null.</summary>
    public static bool? Flag(string? value) => value is null ? null : int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v != 0 : null;
}
