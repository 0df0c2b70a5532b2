using System.Globalization;

namespace NetNs.Core.Native;

/// <summary>
/// The named network namespaces as files (ip-netns(8)): /run/netns/NAME, a bind mount of the namespace; and the processes
/// inside them, found as <c>ip netns pids</c> does but for all namespaces in one scan of /proc.
/// </summary>
internal static class NetnsFiles
{
    /// <summary>Directory holding the namespace bind mounts.</summary>
    public const string Directory = "/run/netns";

    /// <summary>The file of namespace <paramref name="name"/>: /run/netns/NAME.</summary>
    public static string PathOf(string name) => Directory + "/" + name;

    /// <summary>True when /run/netns/NAME exists.</summary>
    public static bool Exists(string name) => File.Exists(PathOf(name));

    /// <summary>Names of the namespaces under /run/netns, sorted.</summary>
    public static List<string> ListNames()
    {
        if (!System.IO.Directory.Exists(Directory)) return new List<string>();
        var names = System.IO.Directory.EnumerateFiles(Directory).Select(Path.GetFileName).OfType<string>().ToList();
        names.Sort(StringComparer.Ordinal);
        return names;
    }

    /// <summary>Maps each namespace name to the pids running inside it (sorted).</summary>
    public static Dictionary<string, List<int>> Pids(IEnumerable<string> names)
    {
        var byInode = new Dictionary<ulong, string>();
        var result = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            result[name] = new List<int>();
            var st = Libc.Stat(PathOf(name));
            if (st is not null) byInode[st.Value.Inode] = name;
        }
        if (byInode.Count == 0) return result;
        foreach (var dir in System.IO.Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
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
}
