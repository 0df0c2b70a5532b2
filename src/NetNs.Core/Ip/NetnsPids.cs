using System.Globalization;
using NetNs.Core.Native;

namespace NetNs.Core.Ip;

/// <summary>
/// Finds the processes running in named namespaces, as <c>ip netns pids</c> does, but for all
/// namespaces in one scan of /proc instead of one process per namespace.
/// </summary>
public static class NetnsPids
{
    /// <summary>Directory holding the namespace bind mounts.</summary>
    public const string RunDirectory = "/run/netns";

    /// <summary>Maps each namespace name to the pids running inside it.</summary>
    public static Dictionary<string, List<int>> Scan(IEnumerable<string> names)
    {
        var byInode = new Dictionary<ulong, string>();
        var result = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            result[name] = new List<int>();
            var st = Libc.Stat(Path.Combine(RunDirectory, name));
            if (st is not null) byInode[st.Value.Inode] = name;
        }
        if (byInode.Count == 0) return result;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            var pidText = Path.GetFileName(dir);
            if (!int.TryParse(pidText, NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            string? target;
            try { target = new FileInfo(Path.Combine(dir, "ns", "net")).LinkTarget; }
            catch (IOException) { continue; }
            catch (UnauthorizedAccessException) { continue; }
            if (target is null) continue;
            var open = target.IndexOf('[');
            var close = target.IndexOf(']');
            if (open < 0 || close < open) continue;
            if (ulong.TryParse(target.AsSpan(open + 1, close - open - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var ino)
                && byInode.TryGetValue(ino, out var ns))
                result[ns].Add(pid);
        }
        foreach (var list in result.Values) list.Sort();
        return result;
    }

    /// <summary>Names of the namespaces under /run/netns, sorted.</summary>
    public static List<string> ListNames()
    {
        if (!Directory.Exists(RunDirectory)) return new List<string>();
        var names = Directory.EnumerateFiles(RunDirectory).Select(Path.GetFileName).OfType<string>().ToList();
        names.Sort(StringComparer.Ordinal);
        return names;
    }
}
