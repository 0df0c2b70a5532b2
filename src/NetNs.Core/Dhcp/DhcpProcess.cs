using System.Globalization;
using NetNs.Core.Native;

namespace NetNs.Core.Dhcp;

/// <summary>Finds, checks and stops the daemons NetNs started, by their pid files.</summary>
internal static class DhcpProcess
{
    /// <summary>The pid recorded in <paramref name="pidFile"/>, or null.</summary>
    public static int? ReadPid(string pidFile)
    {
        string? text;
        try { text = RunDirectory.ReadFile(pidFile); }
        catch (Errors.NetNsException) { return null; }
        catch (IOException) { return null; }
        if (text is null) return null;
        return int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 1 ? pid : null;
    }

    /// <summary>
    /// True when <paramref name="pid"/> is alive and is the daemon started with <paramref name="marker"/> in its
    /// argv (its pid file path), so a recycled pid is never mistaken for ours.
    /// </summary>
    public static bool IsOurs(int pid, string marker)
    {
        if (!Signals.Alive(pid)) return false;
        try
        {
            var argv = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
            return argv.Any(a => a == marker || a.EndsWith("=" + marker, StringComparison.Ordinal));
        }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return false; }
    }

    /// <summary>Stops the process (SIGTERM, SIGKILL after <paramref name="timeout"/>) and waits until it is gone.</summary>
    public static void Stop(int pid, TimeSpan timeout) => Signals.Stop(new[] { pid }, timeout);

    /// <summary>The state directory name of (namespace, interface): "NS-IF", or "-IF" for the root namespace.</summary>
    public static string DirectoryName(string @namespace, string @interface) => @namespace + "-" + @interface;
}
