using System.Globalization;
using NetNs.Core.Ip;
using NetNs.Core.Ovs;
using NetNs.Core.Process;

namespace NetNs.Core.Lab;

/// <summary>The owner marks NetNs puts on every object a lab creates.</summary>
internal static class LabMarks
{
    /// <summary>Key in the OVS <c>external_ids</c> column of bridges and ports: <c>netns-lab=NAME</c>.</summary>
    public const string ExternalIdKey = "netns-lab";

    /// <summary>Prefix of the link alias (ifalias) on veth ends and on each lab namespace's <c>lo</c>: <c>netns-lab:NAME</c>.</summary>
    public const string AliasPrefix = "netns-lab:";

    /// <summary>The alias marking an object of <paramref name="lab"/>.</summary>
    public static string Alias(string lab) => AliasPrefix + lab;

    /// <summary>The lab named by an alias, or null when the alias is not a NetNs lab mark.</summary>
    public static string? LabOfAlias(string? alias) =>
        alias is not null && alias.StartsWith(AliasPrefix, StringComparison.Ordinal) && alias.Length > AliasPrefix.Length ? alias[AliasPrefix.Length..] : null;
}

/// <summary>
/// Builds the batched commands of a lab: one <c>ip -batch -</c> in the root namespace (namespaces, veth pairs
/// with each end created directly in its namespace, root ends marked and up), one <c>ip -n NS -batch -</c> per
/// namespace (lo, inner ends, addresses), and the equivalent <c>ovs-vsctl</c> line of the one OVSDB transaction for all
/// bridges, ports, VLANs and owner marks. Teardown is one OVS transaction and the deletion of the namespaces (shown as one root <c>ip -force -batch -</c>,
/// done in process by <see cref="LabBuilder.Remove"/>).
/// </summary>
internal static class LabCommands
{
    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);

    /// <summary>The OVS setting of a lab: <c>unix:SOCKET</c> (null: the system database) and the timeout in seconds.</summary>
    public static OvsConnection Connection(string? ovsSocket, int timeoutSeconds = 30) =>
        new(string.IsNullOrEmpty(ovsSocket) ? null : "unix:" + ovsSocket, timeoutSeconds);

    /// <summary>
    /// Lines of the root-namespace batch, each paired with the object it concerns (for error messages): every
    /// namespace, then every veth pair with each end created directly in its namespace (a bridge port's end goes to
    /// <paramref name="switchNamespace"/>, "" being the root namespace), then, when the switch namespace is the root
    /// namespace, the bridge-port ends marked and up.
    /// </summary>
    public static List<(string Line, string Target)> RootBatchLines(LabDefinition d, string switchNamespace = "")
    {
        var lines = new List<(string, string)>();
        foreach (var n in d.Namespaces) lines.Add(("netns add " + n.Name, "namespace '" + n.Name + "'"));
        foreach (var l in d.Links)
        {
            var args = IpCommands.VethAddArgs(l.Name, l.Namespace, l.PeerName, l.PeerNamespace ?? switchNamespace, l.Mtu);
            lines.Add((string.Join(' ', args), $"veth pair '{l.Name}'/'{l.PeerName}' (namespace '{l.Namespace}')"));
        }
        if (switchNamespace.Length == 0) lines.AddRange(SwitchBatchLines(d));
        return lines;
    }

    /// <summary>
    /// Lines marking the bridge-port ends and bringing them up (in the switch namespace); a port carries no address, so
    /// it first gets addrgenmode none (no IPv6 link-local address, no solicitations flooded through the switch).
    /// </summary>
    public static List<(string Line, string Target)> SwitchBatchLines(LabDefinition d) =>
        d.Links.Where(l => l.IsBridgeLink)
            .SelectMany(l => new[]
            {
                ($"link set dev {l.PeerName} addrgenmode none", $"link '{l.PeerName}'"),
                (string.Join(' ', IpCommands.LinkSetArgs(l.PeerName, up: true, alias: LabMarks.Alias(d.Name))), $"link '{l.PeerName}'"),
            })
            .ToList();

    /// <summary><c>ip -batch -</c> in the root namespace.</summary>
    public static ToolCommand RootBatch(LabDefinition d, string switchNamespace = "") => Batch("", RootBatchLines(d, switchNamespace).Select(x => x.Line));

    /// <summary>Lines of the batch run inside <paramref name="namespace"/>: lo marked and up, each end there marked and up, its addresses.</summary>
    public static List<(string Line, string Target)> NamespaceBatchLines(LabDefinition d, string @namespace)
    {
        var alias = LabMarks.Alias(d.Name);
        var lines = new List<(string, string)> { (string.Join(' ', IpCommands.LinkSetArgs("lo", up: true, alias: alias)), $"link 'lo' in namespace '{@namespace}'") };
        var ends = new List<(string Name, IReadOnlyList<string> Addresses, bool LinkLocal)>();
        foreach (var l in d.Links)
        {
            if (l.Namespace == @namespace) ends.Add((l.Name, l.Addresses, l.LinkLocal));
            if (l.PeerNamespace == @namespace) ends.Add((l.PeerName, l.PeerAddresses, l.LinkLocal));
        }
        foreach (var (name, addrs, linkLocal) in ends)
        {
            if (!linkLocal && !addrs.Any(a => a.Contains(':'))) lines.Add(($"link set dev {name} addrgenmode none", $"link '{name}' in namespace '{@namespace}'"));
            lines.Add((string.Join(' ', IpCommands.LinkSetArgs(name, up: true, alias: alias)), $"link '{name}' in namespace '{@namespace}'"));
        }
        foreach (var (name, addrs, _) in ends)
            foreach (var a in addrs)
                lines.Add(($"address add {Normalize(a)} dev {name}{(a.Contains(':') ? " nodad" : "")}", $"address {a} on '{name}' in namespace '{@namespace}'"));
        // The routes, as the lines of ip -batch (no -6 there: an IPv6 default route without a gateway is ::/0).
        if (d.Namespaces.FirstOrDefault(n => n.Name == @namespace) is { Routes.Count: > 0 } ns)
            foreach (var r in ns.Routes)
            {
                var spec = Routes.RouteSpec.Create(r.Destination, r.Gateway, r.Interface, r.Metric is { } m ? (uint)m : null, null, null, requireNextHop: true);
                var args = spec.IpArguments("add").Where(x => x != "-6").ToList();
                if (spec.PrefixLength == 0 && spec.Family == System.Net.Sockets.AddressFamily.InterNetworkV6) args[2] = "::/0";
                lines.Add((string.Join(' ', args), $"route to {spec.DestinationText} in namespace '{@namespace}'"));
            }
        return lines;
    }

    /// <summary>The same changes as <see cref="NamespaceBatchLines"/>, for <see cref="LabNetlink"/>: lo, then each end, with the mark and addresses.</summary>
    public static List<LabLinkSetup> NamespaceSetups(LabDefinition d, string @namespace)
    {
        var alias = LabMarks.Alias(d.Name);
        var list = new List<LabLinkSetup> { new("lo", alias, Array.Empty<string>()) };
        foreach (var l in d.Links)
        {
            if (l.Namespace == @namespace) list.Add(new LabLinkSetup(l.Name, alias, l.Addresses, l.LinkLocal));
            if (l.PeerNamespace == @namespace) list.Add(new LabLinkSetup(l.PeerName, alias, l.PeerAddresses, l.LinkLocal));
        }
        return list;
    }

    /// <summary>The bridge-port ends (in the switch namespace), marked and up, for <see cref="LabNetlink"/>.</summary>
    public static List<LabLinkSetup> SwitchSetups(LabDefinition d) =>
        d.Links.Where(l => l.IsBridgeLink).Select(l => new LabLinkSetup(l.PeerName, LabMarks.Alias(d.Name), Array.Empty<string>())).ToList();

    /// <summary><c>ip -n NS -batch -</c> for one namespace.</summary>
    public static ToolCommand NamespaceBatch(LabDefinition d, string @namespace) => Batch(@namespace, NamespaceBatchLines(d, @namespace).Select(x => x.Line));

    /// <summary>A CIDR in the kernel's canonical text (address/prefix).</summary>
    public static string Normalize(string cidr)
    {
        var (ip, prefix) = Validation.Validate.Cidr(cidr);
        return ip + "/" + I(prefix);
    }

    /// <summary>
    /// The <c>ovs-vsctl</c> command line equivalent to the lab's ONE OVSDB transaction (<see cref="Ovs.OvsClient.CreateBridges"/>,
    /// shown in -Verbose): every bridge (with its datapath type) and port (with its VLAN columns, as Set-OvsVlan sets them), all
    /// marked <c>external_ids:netns-lab=NAME</c>. Null when the lab has no bridge.
    /// </summary>
    /// <param name="d">The lab.</param>
    /// <param name="datapaths">The resolved datapath of each bridge ("system" or "netdev").</param>
    /// <param name="ovsSocket">The ovsdb socket, or null for the system one.</param>
    public static ToolCommand? OvsBuild(LabDefinition d, IReadOnlyDictionary<string, string> datapaths, string? ovsSocket)
    {
        if (d.Bridges.Count == 0) return null;
        var mark = $"external_ids:{LabMarks.ExternalIdKey}={Quote(d.Name)}";
        var ops = new List<IReadOnlyList<string>>();
        foreach (var b in d.Bridges)
        {
            ops.Add(new[] { "add-br", b.Name });
            ops.Add(new[] { "set", "bridge", b.Name, "datapath_type=" + datapaths[b.Name], mark });
        }
        foreach (var l in d.Links.Where(l => l.IsBridgeLink))
        {
            ops.Add(OvsCommands.AddPortOperation(l.Bridge!, l.PeerName, LabOvs.Vlan(l)).Append(mark).ToList());
        }
        return OvsCommands.Transaction(Connection(ovsSocket), ops);
    }

    /// <summary>
    /// The <c>ovs-vsctl</c> line equivalent to the one OVSDB transaction (<see cref="Ovs.OvsClient.RemoveIfExist"/>) removing the lab's bridges (with their ports) and stray ports, each
    /// with <c>--if-exists</c>. Null when there is nothing to remove.
    /// </summary>
    public static ToolCommand? OvsTeardown(IEnumerable<string> bridges, IEnumerable<string> ports, string? ovsSocket) =>
        OvsCommands.Teardown(Connection(ovsSocket), bridges, ports);

    /// <summary>
    /// <c>ip -force -batch -</c> in the root namespace deleting root-namespace veth ends (which takes their peers
    /// with them) and then the namespaces. Null when there is nothing to remove.
    /// </summary>
    public static ToolCommand? RootTeardown(IEnumerable<string> rootLinks, IEnumerable<string> namespaces)
    {
        var lines = rootLinks.Select(l => "link del dev " + l).Concat(namespaces.Select(n => "netns del " + n)).ToList();
        return lines.Count == 0 ? null : Batch("", lines, force: true);
    }

    /// <summary><c>ip -n SW -force -batch -</c> deleting veth ends in a switch namespace. Null when there are none.</summary>
    public static ToolCommand? SwitchTeardown(string switchNamespace, IEnumerable<string> links)
    {
        var lines = links.Select(l => "link del dev " + l).ToList();
        return lines.Count == 0 ? null : Batch(switchNamespace, lines, force: true);
    }

    /// <summary><c>ip [-n NS] [-force] -batch -</c> with the given lines.</summary>
    public static ToolCommand Batch(string @namespace, IEnumerable<string> lines, bool force = false)
        => IpCommands.Batch(@namespace, lines.Select(l => new[] { l }), force);

    /// <summary>Quotes an OVS value when it holds characters ovs-vsctl would parse (lab names never do; kept for safety).</summary>
    public static string Quote(string value) =>
        value.All(c => char.IsLetterOrDigit(c) || c is '_' or '-' or '.') ? value : "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    /// <summary>Maps a failed <c>ip -batch</c> ("Command failed -:N") to the object of line N.</summary>
    public static string? FailedTarget(string stderr, IReadOnlyList<(string Line, string Target)> lines) =>
        FailedLine(stderr) is { } n && n >= 1 && n <= lines.Count ? lines[n - 1].Target : null;

    /// <summary>The line number N of a failed <c>ip -batch</c> ("Command failed -:N"), or null.</summary>
    public static int? FailedLine(string stderr)
    {
        var m = System.Text.RegularExpressions.Regex.Match(stderr, @"Command failed -:(\d+)");
        return m.Success ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }
}
