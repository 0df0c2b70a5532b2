using System.Text;
using NetNs.Core.Process;

namespace NetNs.Core.Nat;

/// <summary>
/// The nftables batches of NetNs's NAT (nft(8) syntax, sent as ONE <c>nft -f -</c> per change, which the kernel applies
/// atomically). NetNs owns exactly one table per namespace it configures, <see cref="Table"/> of family ip, and never
/// names another: each batch declares the table (<c>add table</c>, a no-op when it exists), deletes it, and declares its
/// whole content again, so the table ends up exactly as written whatever it held before; the last removal only deletes it.
/// </summary>
internal static class NftBatch
{
    /// <summary>The table's name: family ip, table netns_ps_nat.</summary>
    public const string Table = "netns_ps_nat";

    /// <summary>The mark on every rule NetNs writes (a rule comment), followed by the namespace it serves.</summary>
    public const string Mark = "netns-ps nat ";

    /// <summary><c>nft -f -</c> with the batch on standard input (<c>ip netns exec NS nft -f -</c> inside a namespace).</summary>
    public static ToolCommand Command(string @namespace, string batch) =>
        string.IsNullOrEmpty(@namespace) ? new ToolCommand("nft", new[] { "-f", "-" }, batch) : new ToolCommand(Ip.IpCommands.Ip, new[] { "netns", "exec", @namespace, "nft", "-f", "-" }, batch);

    /// <summary><c>nft -j list table ip netns_ps_nat</c>: reads the table back (json).</summary>
    public static ToolCommand List(string @namespace) =>
        Ip.IpCommands.NetnsExec(@namespace, "nft", new[] { "-j", "list", "table", "ip", Table });

    /// <summary>
    /// The root namespace's table: one masquerade rule per NAT, for packets that came in from a namespace's NAT link
    /// (<paramref name="links"/>: namespace → host-side link) and leave through any other link. Empty list → the table is deleted.
    /// </summary>
    public static string Host(IReadOnlyList<(string Namespace, string HostLink)> links)
    {
        var b = new StringBuilder();
        b.Append("add table ip ").Append(Table).Append('\n');
        b.Append("delete table ip ").Append(Table).Append('\n');
        if (links.Count == 0) return b.ToString();
        b.Append("table ip ").Append(Table).Append(" {\n");
        b.Append("\tchain postrouting {\n\t\ttype nat hook postrouting priority srcnat; policy accept;\n");
        foreach (var (ns, link) in links.OrderBy(l => l.Namespace, StringComparer.Ordinal))
            b.Append("\t\tiifname ").Append(Quote(link)).Append(" oifname != ").Append(Quote(link)).Append(" masquerade comment ").Append(Quote(Mark + ns)).Append('\n');
        b.Append("\t}\n}\n");
        return b.ToString();
    }

    /// <summary>
    /// The table inside a NAT'ed namespace: what it sends out of its NAT link <paramref name="link"/> leaves with its own
    /// address there, so that hosts it routes for are translated too and the host needs no route back to them.
    /// <paramref name="remove"/> → the table is deleted.
    /// </summary>
    public static string Inner(string @namespace, string link, bool remove = false)
    {
        var b = new StringBuilder();
        b.Append("add table ip ").Append(Table).Append('\n');
        b.Append("delete table ip ").Append(Table).Append('\n');
        if (remove) return b.ToString();
        b.Append("table ip ").Append(Table).Append(" {\n");
        b.Append("\tchain postrouting {\n\t\ttype nat hook postrouting priority srcnat; policy accept;\n");
        b.Append("\t\toifname ").Append(Quote(link)).Append(" masquerade comment ").Append(Quote(Mark + @namespace)).Append('\n');
        b.Append("\t}\n}\n");
        return b.ToString();
    }

    /// <summary>A double-quoted nft string (interface names and comments never hold quotes or newlines: they are validated first).</summary>
    private static string Quote(string s)
    {
        if (s.Any(c => c == '"' || c == '\\' || char.IsControl(c))) throw new ArgumentException($"Cannot quote '{s}' for nft.", nameof(s));
        return "\"" + s + "\"";
    }
}
