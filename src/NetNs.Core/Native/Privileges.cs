using System.Globalization;

namespace NetNs.Core.Native;

/// <summary>Reads the effective capabilities of this process (/proc/self/status, CapEff).</summary>
internal static class Privileges
{
    /// <summary>CAP_NET_ADMIN: configure interfaces, addresses, routes.</summary>
    public const int CapNetAdmin = 12;

    /// <summary>CAP_SYS_ADMIN: mount the namespace files under /run/netns and enter namespaces.</summary>
    public const int CapSysAdmin = 21;

    /// <summary>True when the process holds CAP_NET_ADMIN and CAP_SYS_ADMIN (as root normally does).</summary>
    public static bool CanManageNamespaces()
    {
        var caps = EffectiveCapabilities();
        if (caps is null) return Environment.UserName == "root";
        return ((caps.Value >> CapNetAdmin) & 1) == 1 && ((caps.Value >> CapSysAdmin) & 1) == 1;
    }

    /// <summary>The CapEff bit mask, or null when /proc is not readable.</summary>
    public static ulong? EffectiveCapabilities()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("CapEff:", StringComparison.Ordinal))
                    return ulong.Parse(line.AsSpan(7).Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }
}
