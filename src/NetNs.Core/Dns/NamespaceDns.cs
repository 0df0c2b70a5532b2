using System.Net;
using System.Text;
using NetNs.Core.Errors;
using NetNs.Core.Ip;
using NetNs.Core.Validation;

namespace NetNs.Core.Dns;

/// <summary>The DNS settings of a namespace: /etc/netns/NAME/resolv.conf, which 'ip netns exec' bind-mounts over /etc/resolv.conf.</summary>
public sealed class NamespaceDnsConfig
{
    /// <summary>Creates the object.</summary>
    public NamespaceDnsConfig(string @namespace, IReadOnlyList<string> serverAddress, IReadOnlyList<string> search, string path)
    {
        Namespace = @namespace;
        ServerAddress = serverAddress;
        Search = search;
        Path = path;
    }

    /// <summary>The namespace.</summary>
    public string Namespace { get; }

    /// <summary>Name servers ('nameserver' lines), in order.</summary>
    public IReadOnlyList<string> ServerAddress { get; }

    /// <summary>Search domains ('search' line).</summary>
    public IReadOnlyList<string> Search { get; }

    /// <summary>The file: /etc/netns/NAME/resolv.conf.</summary>
    public string Path { get; }
}

/// <summary>Reads and writes /etc/netns/NAME/resolv.conf (resolv.conf(5)); never follows a symlink.</summary>
internal static class NamespaceDns
{
    /// <summary>Directory of per-namespace configuration files (ip-netns(8)).</summary>
    public const string EtcNetns = "/etc/netns";

    /// <summary>The resolv.conf path of a namespace.</summary>
    public static string PathOf(string @namespace) => System.IO.Path.Combine(EtcNetns, @namespace, "resolv.conf");

    /// <summary>Builds the text of a resolv.conf.</summary>
    public static string Render(IEnumerable<IPAddress> servers, IEnumerable<string> search)
    {
        var sb = new StringBuilder("# Written by NetNs (Set-NetNamespaceDns)\n");
        var s = search.ToList();
        if (s.Count > 0) sb.Append("search ").Append(string.Join(' ', s)).Append('\n');
        foreach (var ip in servers) sb.Append("nameserver ").Append(ip).Append('\n');
        return sb.ToString();
    }

    /// <summary>Parses resolv.conf text.</summary>
    public static NamespaceDnsConfig Parse(string @namespace, string text)
    {
        var servers = new List<string>();
        var search = new List<string>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith('#') || line.StartsWith(';')) continue;
            var parts = line.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 2) continue;
            if (parts[0] == "nameserver") servers.Add(parts[1]);
            else if (parts[0] == "search" || parts[0] == "domain") search.AddRange(parts.Skip(1));
        }
        return new NamespaceDnsConfig(@namespace, servers, search, PathOf(@namespace));
    }

    /// <summary>The DNS configuration of a namespace, or null when it has no resolv.conf of its own.</summary>
    public static NamespaceDnsConfig? Read(string @namespace)
    {
        var path = PathOf(@namespace);
        if (!File.Exists(path)) return null;
        return Parse(@namespace, File.ReadAllText(path));
    }

    /// <summary>Validates a search domain (RFC 1035 labels).</summary>
    public static string Domain(string domain)
    {
        if (string.IsNullOrEmpty(domain) || domain.Length > 253 || domain.StartsWith('-') ||
            !domain.All(c => char.IsAsciiLetterOrDigit(c) || c == '-' || c == '.'))
            throw new NetNsException("InvalidSearchDomain", NetNsErrorCategory.InvalidArgument,
                $"Invalid search domain '{Validate.Printable(domain)}' for -Search: use letters, digits, '-' and '.' only (RFC 1035).", domain);
        return domain;
    }

    /// <summary>Writes /etc/netns/NAME/resolv.conf atomically (temp file + rename). Refuses symlinks.</summary>
    public static NamespaceDnsConfig Write(string @namespace, IReadOnlyList<IPAddress> servers, IReadOnlyList<string> search)
    {
        IpClient.RequireNamespace(@namespace);
        var dir = System.IO.Path.Combine(EtcNetns, @namespace);
        RefuseLink(EtcNetns);
        RefuseLink(dir);
        Directory.CreateDirectory(dir);
        var path = PathOf(@namespace);
        RefuseLink(path);
        var tmp = path + ".netns-tmp-" + Environment.ProcessId;
        using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write))
        {
            var bytes = Encoding.ASCII.GetBytes(Render(servers, search));
            fs.Write(bytes);
        }
        File.SetUnixFileMode(tmp, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        File.Move(tmp, path, overwrite: true);
        return Parse(@namespace, File.ReadAllText(path));
    }

    /// <summary>Removes /etc/netns/NAME/resolv.conf, and the directory when it is then empty.</summary>
    public static bool Remove(string @namespace)
    {
        var dir = System.IO.Path.Combine(EtcNetns, @namespace);
        var path = PathOf(@namespace);
        var removed = false;
        if (File.Exists(path) || new FileInfo(path).LinkTarget is not null) { File.Delete(path); removed = true; }
        if (Directory.Exists(dir) && new DirectoryInfo(dir).LinkTarget is null && !Directory.EnumerateFileSystemEntries(dir).Any()) Directory.Delete(dir);
        return removed;
    }

    private static void RefuseLink(string path)
    {
        FileSystemInfo info = Directory.Exists(path) ? new DirectoryInfo(path) : new FileInfo(path);
        if (info.LinkTarget is not null)
            throw new NetNsException("SymlinkRefused", NetNsErrorCategory.PermissionDenied,
                $"'{path}' is a symbolic link (to '{info.LinkTarget}'); NetNs does not write through symbolic links.", path);
    }
}
