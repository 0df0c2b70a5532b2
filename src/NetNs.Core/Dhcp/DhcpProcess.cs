using System.Globalization;
using System.Text.Json;
using NetNs.Core.Native;

namespace NetNs.Core.Dhcp;

/// <summary>
/// What the DHCP server and client managers share: their state directories under the run directory (one per
/// namespace and interface, with a JSON state file and a pid file), and finding, checking and stopping the daemons
/// they started by their pid files.
/// </summary>
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

    /// <summary>The state directories below <paramref name="root"/>, in name order (none when it is missing or a link).</summary>
    public static IEnumerable<string> StateDirectories(string root)
    {
        if (!Directory.Exists(root) || new DirectoryInfo(root).LinkTarget is not null) return Array.Empty<string>();
        return Directory.EnumerateDirectories(root).OrderBy(d => d, StringComparer.Ordinal).ToList();
    }

    /// <summary>The JSON state file at <paramref name="path"/>, or null when it is missing or unreadable.</summary>
    public static T? ReadState<T>(string path) where T : class
    {
        try
        {
            var text = RunDirectory.ReadFile(path);
            return text is null ? null : JsonSerializer.Deserialize<T>(text);
        }
        catch (JsonException) { return null; }
        catch (IOException) { return null; }
    }

    /// <summary>The pid in <paramref name="pidFile"/> and whether that daemon (ours) runs.</summary>
    public static (int? Pid, bool Running) State(string pidFile)
    {
        var pid = ReadPid(pidFile);
        return (pid, pid is not null && IsOurs(pid.Value, pidFile));
    }

    /// <summary>
    /// Removes the state directory of a daemon that no longer runs and whose namespace is gone (removed by other means
    /// than NetNs, or a crashed run): stale state, not listed. True when it was removed.
    /// </summary>
    public static bool PruneStale(string dir, string @namespace, bool running)
    {
        if (running || @namespace.Length == 0 || NetnsFiles.Exists(@namespace)) return false;
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        return true;
    }

    /// <summary>Stops the daemon of <paramref name="pidFile"/> when it is ours and still runs, then removes its state directory.</summary>
    public static void StopAndRemove(string dir, string pidFile)
    {
        if (ReadPid(pidFile) is { } pid && IsOurs(pid, pidFile)) Stop(pid, TimeSpan.FromSeconds(5));
        RunDirectory.RemoveDirectory(dir);
    }
}
