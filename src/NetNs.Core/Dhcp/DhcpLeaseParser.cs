using System.Globalization;
using System.Net;
using NetNs.Core.Models;

namespace NetNs.Core.Dhcp;

/// <summary>Parsers for the lease files of dnsmasq and dhclient.</summary>
internal static class DhcpLeaseParser
{
    /// <summary>
    /// Parses a dnsmasq lease file: one lease per line, <c>EXPIRY MAC IP HOSTNAME CLIENTID</c>, where EXPIRY is a
    /// Unix time in seconds (0 = infinite) and <c>*</c> means "none". DHCPv6 lines (<c>duid …</c> and those after it)
    /// and malformed lines are skipped.
    /// </summary>
    public static List<DhcpLease> ParseDnsmasq(string text, string @namespace, string @interface)
    {
        var leases = new List<DhcpLease>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0) continue;
            if (line.StartsWith("duid ", StringComparison.Ordinal)) break;
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 3) continue;
            if (!long.TryParse(f[0], NumberStyles.None, CultureInfo.InvariantCulture, out var expiry)) continue;
            if (!IPAddress.TryParse(f[2], out var ip) || ip.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork) continue;
            DateTime? expires = expiry == 0 ? null : DateTimeOffset.FromUnixTimeSeconds(expiry).UtcDateTime;
            string? host = f.Length > 3 && f[3] != "*" ? f[3] : null;
            string? client = f.Length > 4 && f[4] != "*" ? f[4] : null;
            leases.Add(new DhcpLease(@namespace, @interface, f[1].ToLowerInvariant(), ip.ToString(), host, client, expires));
        }
        return leases;
    }

    /// <summary>One <c>lease { … }</c> block of a dhclient lease file, as name/value statements.</summary>
    public sealed class DhclientBlock
    {
        internal DhclientBlock(Dictionary<string, string> statements, Dictionary<string, string> options)
        {
            Statements = statements;
            Options = options;
        }

        /// <summary>Statements such as <c>interface</c>, <c>fixed-address</c>, <c>renew</c>, <c>expire</c> (quotes removed).</summary>
        public IReadOnlyDictionary<string, string> Statements { get; }

        /// <summary>The <c>option NAME VALUE;</c> statements.</summary>
        public IReadOnlyDictionary<string, string> Options { get; }
    }

    /// <summary>Parses every <c>lease { … }</c> block of a dhclient (IPv4) lease file, oldest first.</summary>
    public static List<DhclientBlock> ParseDhclientBlocks(string text)
    {
        var blocks = new List<DhclientBlock>();
        Dictionary<string, string>? st = null, opt = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            if (st is null)
            {
                if (line.StartsWith("lease", StringComparison.Ordinal) && line.EndsWith('{'))
                {
                    st = new Dictionary<string, string>(StringComparer.Ordinal);
                    opt = new Dictionary<string, string>(StringComparer.Ordinal);
                }
                continue;
            }
            if (line.StartsWith('}'))
            {
                blocks.Add(new DhclientBlock(st, opt!));
                st = null;
                opt = null;
                continue;
            }
            var semi = line.IndexOf(';');
            if (semi < 0) continue;
            var stmt = line[..semi].Trim();
            var sp = stmt.IndexOf(' ');
            if (sp < 0) { st[stmt] = string.Empty; continue; }
            var key = stmt[..sp];
            var value = stmt[(sp + 1)..].Trim();
            if (key == "option")
            {
                var sp2 = value.IndexOf(' ');
                if (sp2 > 0) opt![value[..sp2]] = Unquote(value[(sp2 + 1)..].Trim());
            }
            else st[key] = Unquote(value);
        }
        return blocks;
    }

    /// <summary>
    /// The newest lease of a dhclient lease file for <paramref name="interface"/>, or null when there is none.
    /// </summary>
    public static DhcpClientLease? ParseDhclient(string text, string @namespace, string @interface, string leaseFile, int? processId = null, bool running = false)
    {
        var block = ParseDhclientBlocks(text).LastOrDefault(b => !b.Statements.TryGetValue("interface", out var i) || i == @interface);
        if (block is null || !block.Statements.TryGetValue("fixed-address", out var address)) return null;
        var prefix = 32;
        if (block.Options.TryGetValue("subnet-mask", out var mask) && IPAddress.TryParse(mask, out var m)) prefix = PrefixOf(m);
        string? router = block.Options.TryGetValue("routers", out var r) ? SplitList(r).FirstOrDefault() : null;
        var dns = block.Options.TryGetValue("domain-name-servers", out var d) ? SplitList(d) : new List<string>();
        string? server = block.Options.TryGetValue("dhcp-server-identifier", out var s) ? s : null;
        var leaseTime = block.Options.TryGetValue("dhcp-lease-time", out var lt) && long.TryParse(lt, NumberStyles.None, CultureInfo.InvariantCulture, out var secs)
            ? TimeSpan.FromSeconds(secs) : TimeSpan.Zero;
        var renew = block.Statements.TryGetValue("renew", out var rn) ? ParseTime(rn) : null;
        var expire = block.Statements.TryGetValue("expire", out var ex) ? ParseTime(ex) : null;
        return new DhcpClientLease(@namespace, @interface, address, prefix, router, dns, server, leaseTime, renew, expire, processId, running, leaseFile);
    }

    /// <summary>
    /// Parses a dhclient time: <c>W YYYY/MM/DD HH:MM:SS</c> (UTC, the default db-time-format), <c>epoch N</c>
    /// (Unix seconds, db-time-format local), or <c>never</c> (null).
    /// </summary>
    public static DateTime? ParseTime(string value)
    {
        var v = value.Trim();
        var hash = v.IndexOf('#');
        if (hash >= 0) v = v[..hash].Trim();
        if (v.Length == 0 || v == "never") return null;
        var f = v.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (f.Length >= 2 && f[0] == "epoch" && long.TryParse(f[1], NumberStyles.None, CultureInfo.InvariantCulture, out var epoch))
            return DateTimeOffset.FromUnixTimeSeconds(epoch).UtcDateTime;
        if (f.Length >= 3 && DateTime.TryParseExact(f[1] + " " + f[2], "yyyy/MM/dd HH:mm:ss", CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t))
            return DateTime.SpecifyKind(t, DateTimeKind.Utc);
        return null;
    }

    /// <summary>The prefix length of a contiguous IPv4 netmask.</summary>
    public static int PrefixOf(IPAddress mask)
    {
        var b = mask.GetAddressBytes();
        var bits = 0;
        foreach (var x in b) bits += System.Numerics.BitOperations.PopCount(x);
        return bits;
    }

    private static List<string> SplitList(string v) =>
        v.Split(new[] { ',', ' ' }, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private static string Unquote(string v) => v.Length >= 2 && v[0] == '"' && v[^1] == '"' ? v[1..^1] : v;
}
