using System.Globalization;
using NetNs.Core.Process;

namespace NetNs.Core.Ip;

/// <summary>
/// Builds argv for iproute2's <c>ip</c> (ip-link(8), ip-address(8), ip-netns(8)). The namespace
/// argument "" means the root namespace; any other value adds <c>-n NAME</c>.
/// </summary>
internal static class IpCommands
{
    /// <summary>The program name.</summary>
    public const string Ip = "ip";

    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);

    private static List<string> Base(string @namespace, bool json = false, bool details = false)
    {
        var a = new List<string>();
        if (json) a.Add("-j");
        if (details) a.Add("-d");
        if (!string.IsNullOrEmpty(@namespace)) { a.Add("-n"); a.Add(@namespace); }
        return a;
    }

    /// <summary><c>ip netns add NAME</c></summary>
    public static ToolCommand NetnsAdd(string name) => new(Ip, new[] { "netns", "add", name });

    /// <summary><c>ip netns del NAME</c></summary>
    public static ToolCommand NetnsDelete(string name) => new(Ip, new[] { "netns", "del", name });

    /// <summary><c>ip netns set NAME auto</c>: assigns the namespace a netns id in the root namespace.</summary>
    public static ToolCommand NetnsSetId(string name) => new(Ip, new[] { "netns", "set", name, "auto" });

    /// <summary><c>ip -j netns list-id</c>: nsid to name map of the root namespace.</summary>
    public static ToolCommand NetnsListId(string @namespace = "")
    {
        var a = Base(@namespace, json: true);
        a.AddRange(new[] { "netns", "list-id" });
        return new ToolCommand(Ip, a);
    }

    /// <summary><c>ip netns exec NAME COMMAND ARGS…</c>; in the root namespace, just the command.</summary>
    public static ToolCommand NetnsExec(string @namespace, string command, IEnumerable<string> arguments)
    {
        if (string.IsNullOrEmpty(@namespace)) return new ToolCommand(command, arguments);
        var a = new List<string> { "netns", "exec", @namespace, command };
        a.AddRange(arguments);
        return new ToolCommand(Ip, a);
    }

    /// <summary><c>ip -j -d [-n NS] link show [dev NAME]</c></summary>
    public static ToolCommand LinkShow(string @namespace, string? name = null)
    {
        var a = Base(@namespace, json: true, details: true);
        a.AddRange(new[] { "link", "show" });
        if (name is not null) { a.Add("dev"); a.Add(name); }
        return new ToolCommand(Ip, a);
    }

    /// <summary>
    /// <c>ip link add name A [mtu M] [netns NS] type veth peer name B [mtu M] [netns PNS]</c>: both ends
    /// are created in their namespaces in one kernel call, with the same MTU.
    /// </summary>
    public static ToolCommand VethAdd(string name, string @namespace, string peerName, string peerNamespace, int? mtu)
        => new(Ip, VethAddArgs(name, @namespace, peerName, peerNamespace, mtu));

    /// <summary>The argv of <see cref="VethAdd"/> without the program name (also a line of <c>ip -batch</c>).</summary>
    public static List<string> VethAddArgs(string name, string @namespace, string peerName, string peerNamespace, int? mtu)
    {
        var a = new List<string> { "link", "add", "name", name };
        if (mtu is not null) { a.Add("mtu"); a.Add(I(mtu.Value)); }
        if (!string.IsNullOrEmpty(@namespace)) { a.Add("netns"); a.Add(@namespace); }
        a.AddRange(new[] { "type", "veth", "peer", "name", peerName });
        if (mtu is not null) { a.Add("mtu"); a.Add(I(mtu.Value)); }
        if (!string.IsNullOrEmpty(peerNamespace)) { a.Add("netns"); a.Add(peerNamespace); }
        return a;
    }

    /// <summary>
    /// <c>ip [-n NS] link set dev NAME netns DEST</c>. A destination of "" (the root namespace) is given as
    /// <paramref name="rootPid"/>, the pid of a process in the root namespace.
    /// </summary>
    public static ToolCommand LinkMove(string @namespace, string name, string destination, int rootPid)
    {
        var a = Base(@namespace);
        a.AddRange(new[] { "link", "set", "dev", name, "netns", string.IsNullOrEmpty(destination) ? I(rootPid) : destination });
        return new ToolCommand(Ip, a);
    }

    /// <summary><c>ip [-n NS] link set dev NAME [up|down] [mtu M] [address MAC] [name NEW] [alias TEXT]</c></summary>
    public static ToolCommand LinkSet(string @namespace, string name, bool? up = null, int? mtu = null, string? mac = null, string? newName = null, string? alias = null)
    {
        var a = Base(@namespace);
        a.AddRange(LinkSetArgs(name, up, mtu, mac, newName, alias));
        return new ToolCommand(Ip, a);
    }

    /// <summary>The argv of <see cref="LinkSet"/> after the global options (also a line of <c>ip -batch</c>).</summary>
    public static List<string> LinkSetArgs(string name, bool? up = null, int? mtu = null, string? mac = null, string? newName = null, string? alias = null)
    {
        var a = new List<string> { "link", "set", "dev", name };
        if (mtu is not null) { a.Add("mtu"); a.Add(I(mtu.Value)); }
        if (mac is not null) { a.Add("address"); a.Add(mac); }
        if (newName is not null) { a.Add("name"); a.Add(newName); }
        if (alias is not null) { a.Add("alias"); a.Add(alias); }
        if (up is not null) a.Add(up.Value ? "up" : "down");
        return a;
    }

    /// <summary><c>ip [-n NS] link del dev NAME</c></summary>
    public static ToolCommand LinkDelete(string @namespace, string name)
    {
        var a = Base(@namespace);
        a.AddRange(new[] { "link", "del", "dev", name });
        return new ToolCommand(Ip, a);
    }

    /// <summary><c>ip -j [-n NS] address show [dev NAME]</c></summary>
    public static ToolCommand AddressShow(string @namespace, string? name = null)
    {
        var a = Base(@namespace, json: true);
        a.AddRange(new[] { "address", "show" });
        if (name is not null) { a.Add("dev"); a.Add(name); }
        return new ToolCommand(Ip, a);
    }

    /// <summary><c>ip [-n NS] address add CIDR dev NAME [nodad]</c></summary>
    public static ToolCommand AddressAdd(string @namespace, string name, string cidr, bool noDad = false)
    {
        var a = Base(@namespace);
        a.AddRange(new[] { "address", "add", cidr, "dev", name });
        if (noDad) a.Add("nodad");
        return new ToolCommand(Ip, a);
    }

    /// <summary><c>ip [-n NS] address del CIDR dev NAME</c></summary>
    public static ToolCommand AddressDelete(string @namespace, string name, string cidr)
    {
        var a = Base(@namespace);
        a.AddRange(new[] { "address", "del", cidr, "dev", name });
        return new ToolCommand(Ip, a);
    }

    /// <summary><c>ip [-n NS] -batch -</c> fed with one command per line (each line is argv joined by spaces; names are validated to hold no whitespace).</summary>
    public static ToolCommand Batch(string @namespace, IEnumerable<IEnumerable<string>> lines, bool force = false)
    {
        var a = Base(@namespace);
        if (force) a.Add("-force");
        a.AddRange(new[] { "-batch", "-" });
        var text = string.Join("\n", lines.Select(l => string.Join(' ', l))) + "\n";
        return new ToolCommand(Ip, a, text);
    }

    /// <summary>
    /// <c>ping -c COUNT -W TIMEOUT -i INTERVAL -q TARGET</c> (iputils), run inside the namespace with <c>ip netns exec</c>.
    /// </summary>
    /// <param name="namespace">"" for the root namespace.</param>
    /// <param name="target">Address or host name.</param>
    /// <param name="count">Echo requests to send.</param>
    /// <param name="timeoutSeconds">Seconds to wait for each reply.</param>
    /// <param name="intervalSeconds">Seconds between requests (below 0.2 needs root).</param>
    public static ToolCommand Ping(string @namespace, string target, int count, double timeoutSeconds, double intervalSeconds)
    {
        var args = new List<string>
        {
            "-n", "-q",
            "-c", I(count),
            "-W", timeoutSeconds.ToString("0.###", CultureInfo.InvariantCulture),
            "-i", intervalSeconds.ToString("0.###", CultureInfo.InvariantCulture),
            "--", target,
        };
        return NetnsExec(@namespace, "ping", args);
    }
}
