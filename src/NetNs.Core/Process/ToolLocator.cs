using NetNs.Core.Errors;

namespace NetNs.Core.Process;

/// <summary>Finds external tools and names the Debian package that provides a missing one.</summary>
internal static class ToolLocator
{
    private static readonly Dictionary<string, string> Packages = new(StringComparer.Ordinal)
    {
        ["ip"] = "iproute2",
        ["ovs-vsctl"] = "openvswitch-switch",
        ["ovs-ofctl"] = "openvswitch-switch",
        ["ovs-appctl"] = "openvswitch-switch",
        ["ovsdb-server"] = "openvswitch-switch",
        ["ovsdb-tool"] = "openvswitch-switch",
        ["ovs-vswitchd"] = "openvswitch-switch",
        ["dnsmasq"] = "dnsmasq-base",
        ["dhclient"] = "isc-dhcp-client",
        ["ethtool"] = "ethtool",
        ["ping"] = "iputils-ping",
        ["dot"] = "graphviz",
        ["nft"] = "nftables",
        ["kill"] = "procps",
    };

    private static readonly string[] ExtraDirectories = { "/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin" };
    private static readonly Dictionary<string, string> Cache = new(StringComparer.Ordinal);
    private static readonly object Gate = new();

    /// <summary>The Debian package providing <paramref name="tool"/>, or null when unknown.</summary>
    public static string? PackageOf(string tool) => Packages.TryGetValue(tool, out var p) ? p : null;

    /// <summary>Returns the absolute path of <paramref name="tool"/>.</summary>
    /// <exception cref="NetNsException">ErrorId <c>ToolNotFound</c>, category NotInstalled, fatal.</exception>
    public static string Resolve(string tool)
    {
        if (tool.StartsWith('/')) return tool;
        lock (Gate)
        {
            if (Cache.TryGetValue(tool, out var cached)) return cached;
        }
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var dir in path.Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(ExtraDirectories))
        {
            var candidate = Path.Combine(dir, tool);
            if (File.Exists(candidate))
            {
                lock (Gate) Cache[tool] = candidate;
                return candidate;
            }
        }
        var package = PackageOf(tool);
        var fix = package is null ? "Install it and retry." : $"Install it with: apt-get install {package}";
        throw new NetNsException("ToolNotFound", NetNsErrorCategory.NotInstalled,
            $"The program '{tool}' that NetNs needs was not found on PATH, /usr/sbin or /sbin. {fix}", tool)
        { IsFatal = true };
    }
}
