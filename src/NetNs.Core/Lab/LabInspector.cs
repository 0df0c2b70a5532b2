using NetNs.Core.Ovs;
using NetNs.Core.Errors;
using System.Collections.Concurrent;
using NetNs.Core.Ip;
using NetNs.Core.Models;
using NetNs.Core.Process;

namespace NetNs.Core.Lab;

/// <summary>
/// Reads a lab's live state back as a <see cref="LabDefinition"/> (what Export-NetLab writes and Compare-NetLab
/// compares): the lab's namespaces that exist, the veth ends there that carry its mark (peers resolved, MTU, global
/// addresses), its bridges and ports in Open vSwitch (datapath, tag, trunks). Order follows the lab's record, so
/// export, remove, build, export gives the same file.
/// </summary>
internal sealed class LabInspector
{
    private readonly Context.NetNsContext _context;
    private readonly IToolRunner _runner;
    private readonly CancellationToken _ct;

    /// <summary>Creates it over the context (runner, kernel seam, DHCP service, cancellation).</summary>
    internal LabInspector(Context.NetNsContext context)
    {
        _context = context;
        _runner = context.Runner;
        _ct = context.Cancellation;
    }

    /// <summary>
    /// The datapath to write for a bridge of the definition: what the definition said (Auto included) while the live bridge
    /// has what that resolves to here, else the live one (drift shows).
    /// </summary>
    private static OvsDatapathType AsDefined(OvsDatapathType defined, OvsDatapathType live) =>
        defined == OvsDatapathType.Auto && OvsDatapath.FromColumn(OvsDatapath.Resolve(defined, out _)) == live ? defined : live;

    /// <summary>
    /// The routes added to a namespace (protocol boot, table main) as lab routes: written as the definition wrote them when
    /// one matches (destination and gateway), so that a lab as built compares equal; any other with its interface and metric.
    /// </summary>
    private static List<LabRoute> LiveRoutes(List<NetNsRoute> live, IReadOnlyList<LabRoute> defined)
    {
        string Key(string dst, string? gw) => dst + " " + (gw is null ? "" : System.Net.IPAddress.Parse(gw).ToString());
        var byKey = new Dictionary<string, LabRoute>(StringComparer.Ordinal);
        foreach (var r in defined)
        {
            try { byKey.TryAdd(Key(Routes.RouteSpec.Create(r.Destination, r.Gateway, r.Interface, null, null, null, false).DestinationText, r.Gateway), r); }
            catch (NetNsException) { /* the definition was checked when it was built */ }
        }
        return live.Where(r => r.Protocol == "boot")
            .Select(r => byKey.TryGetValue(Key(r.Destination, r.Gateway), out var def) ? def : new LabRoute(r.Destination, r.Gateway, r.Interface, (int)r.Metric))
            .ToList();
    }

    /// <summary>The live lab as a definition.</summary>
    public LabDefinition ReadLive(LabRecord r)
    {
        var d = LabBuilder.DefinitionOf(r);
        var mark = LabMarks.Alias(d.Name);
        var linkOps = new LinkOps(_context);
        var addressOps = new AddressOps(_context);
        var all = _context.Kernel.NamespaceNames().ToHashSet(StringComparer.Ordinal);
        var nsList = d.Namespaces.Select(n => n.Name).Where(all.Contains).ToList();
        var links = new ConcurrentDictionary<string, List<NetLink>>();
        var addrs = new ConcurrentDictionary<string, List<NetAddress>>();
        var routes = new ConcurrentDictionary<string, List<LabRoute>>();
        var routeOps = new Routes.RouteOps(_context);
        var defined = d.Namespaces.ToDictionary(n => n.Name, StringComparer.Ordinal);
        Parallel.ForEach(nsList, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(4, Environment.ProcessorCount * 2), CancellationToken = _ct }, ns =>
        {
            links[ns] = linkOps.GetLinks(ns);
            addrs[ns] = addressOps.GetAddresses(ns);
            // The default route NAT gives a namespace is NAT's, not one of the definition's routes.
            routes[ns] = LiveRoutes(routeOps.Get(ns).Where(x => x.Interface != Nat.NatOps.LabInterface).ToList(), defined[ns].Routes);
        });
        var forwarding = new ForwardingOps(_context).Read(nsList);
        var natted = new Nat.NatOps(_context).Get().Select(x => x.Namespace).ToHashSet(StringComparer.Ordinal);
        var bridges = new List<LabBridge>();
        Ovs.OvsState? ovs = null;
        if (d.Bridges.Count > 0)
        {
            ovs = LabOvs.Read(_context, r.OvsSocket);
            var byName = ovs.BridgeRows.ToDictionary(b => b.Name, StringComparer.Ordinal);
            foreach (var b in d.Bridges)
                if (byName.TryGetValue(b.Name, out var ob)) bridges.Add(new LabBridge(b.Name, AsDefined(b.DatapathType, OvsDatapath.FromColumn(ob.DatapathType))));
            foreach (var ob in ovs.BridgeRows.Where(b => b.ExternalIds.GetValueOrDefault(LabMarks.ExternalIdKey) == d.Name && d.Bridges.All(x => x.Name != b.Name)).OrderBy(b => b.Name, StringComparer.Ordinal))
                bridges.Add(new LabBridge(ob.Name, OvsDatapath.FromColumn(ob.DatapathType)));
        }
        var bridgeNames = bridges.Select(b => b.Name).ToHashSet(StringComparer.Ordinal);
        var done = new HashSet<(string, string)>();
        var result = new List<LabLink>();

        List<string> AddressesOf(string ns, string name) =>
            addrs.TryGetValue(ns, out var list) ? list.Where(a => a.Name == name && a.Scope == "global").Select(a => a.Address + "/" + a.PrefixLength).ToList() : new List<string>();

        // LinkLocal as a definition says it: a link-local address on an end that has no other IPv6 address.
        bool LinkLocalOf(string ns, string name) =>
            addrs.TryGetValue(ns, out var list) && list.Any(a => a.Name == name && a.Family == "IPv6" && a.Scope == "link")
            && !list.Any(a => a.Name == name && a.Family == "IPv6" && a.Scope == "global");

        void Add(string ns, NetLink a)
        {
            done.Add((ns, a.Name));
            var mtu = a.Mtu == 1500 ? (int?)null : a.Mtu;
            var peerNs = a.PeerNamespace;
            var peerName = a.PeerName ?? "?";
            if (peerNs is not null && peerNs == r.SwitchNamespace && ovs?.FindPort(peerName) is { } port && ovs.BridgeOfPortUuid(port.Uuid) is { } portBridge && bridgeNames.Contains(portBridge))
            {
                result.Add(new LabLink(ns, a.Name, peerName, null, portBridge, AddressesOf(ns, a.Name), null, mtu, port.Tag, port.Trunks, LinkLocalOf(ns, a.Name)));
                return;
            }
            if (peerNs is not null && peerNs.Length > 0 && peerNs != r.SwitchNamespace)
            {
                done.Add((peerNs, peerName));
                result.Add(new LabLink(ns, a.Name, peerName, peerNs, null, AddressesOf(ns, a.Name), AddressesOf(peerNs, peerName), mtu, linkLocal: LinkLocalOf(ns, a.Name)));
                return;
            }
            // The peer is in the switch namespace but on no lab bridge: report it as a dangling bridge link.
            result.Add(new LabLink(ns, a.Name, peerName, null, "(none)", AddressesOf(ns, a.Name), null, mtu));
        }

        foreach (var l in d.Links)
        {
            if (done.Contains((l.Namespace, l.Name)) || !links.TryGetValue(l.Namespace, out var nsLinks)) continue;
            var a = nsLinks.FirstOrDefault(x => x.Name == l.Name && x.Kind == "veth");
            if (a is not null) Add(l.Namespace, a);
            else if (!l.IsBridgeLink && links.TryGetValue(l.PeerNamespace!, out var peerLinks) && peerLinks.FirstOrDefault(x => x.Name == l.PeerName && x.Kind == "veth") is { } b)
                Add(l.PeerNamespace!, b);
        }
        foreach (var ns in nsList)
            foreach (var a in links[ns].Where(x => x.Kind == "veth" && x.Alias == mark && !done.Contains((ns, x.Name))).OrderBy(x => x.Name, StringComparer.Ordinal))
                Add(ns, a);
        var dhcp = d.Dhcp.Where(s => all.Contains(s.Namespace));
        return new LabDefinition(d.Name, bridges, nsList.Select(n => new LabNamespace(n, forwarding[n].IPv4 == true, routes[n], natted.Contains(n))), result, dhcp);
    }

    /// <summary>One row per namespace, bridge and link of the definition and of the live lab.</summary>
    public static List<NetLabObject> Objects(LabDefinition defined, LabDefinition live)
    {
        var rows = new List<NetLabObject>();
        var liveNs = live.Namespaces.Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var n in defined.Namespaces)
            rows.Add(new NetLabObject(defined.Name, "Namespace", n.Name, n.Name, null, null, null, null, Array.Empty<int>(), null, Array.Empty<string>(), liveNs.Contains(n.Name), null));
        var liveBr = live.Bridges.ToDictionary(b => b.Name, StringComparer.Ordinal);
        foreach (var b in defined.Bridges.Concat(live.Bridges.Where(x => defined.Bridges.All(y => y.Name != x.Name))))
            rows.Add(new NetLabObject(defined.Name, "Bridge", "", b.Name, null, null, null, null, Array.Empty<int>(), null, Array.Empty<string>(), liveBr.ContainsKey(b.Name),
                "datapath_type=" + (liveBr.TryGetValue(b.Name, out var lb) ? lb.DatapathType : b.DatapathType).ToString().ToLowerInvariant()));
        var liveLinks = live.Links.ToDictionary(l => (l.Namespace, l.Name));
        foreach (var l in defined.Links.Concat(live.Links.Where(x => !defined.Links.Any(y => y.Namespace == x.Namespace && y.Name == x.Name))))
        {
            var cur = liveLinks.GetValueOrDefault((l.Namespace, l.Name));
            var s = cur ?? l;
            var addresses = s.Addresses.Concat(s.PeerAddresses.Select(a => "peer " + a)).ToList();
            rows.Add(new NetLabObject(defined.Name, "Link", s.Namespace, s.Name, s.PeerNamespace, s.PeerName, s.Bridge, s.Tag, s.Trunk, s.Mtu ?? 1500, addresses, cur is not null, null));
        }
        return rows;
    }
}

/// <summary>Compares a definition with the live lab (Compare-NetLab).</summary>
internal static class LabComparer
{
    /// <summary>Every difference: objects missing from the live lab, extra objects, and properties that differ.</summary>
    public static List<NetLabDifference> Compare(LabDefinition defined, LabDefinition live)
    {
        var lab = live.Name;
        var diffs = new List<NetLabDifference>();
        var dn = defined.Namespaces.Select(n => n.Name).ToList();
        var ln = live.Namespaces.Select(n => n.Name).ToList();
        foreach (var n in dn.Except(ln)) diffs.Add(new NetLabDifference(lab, "Namespace", n, "Missing", null, n, null));
        foreach (var n in ln.Except(dn)) diffs.Add(new NetLabDifference(lab, "Namespace", n, "Extra", null, null, n));
        foreach (var d in defined.Namespaces)
        {
            if (live.Namespaces.FirstOrDefault(x => x.Name == d.Name) is not { } l) continue;
            if (d.Nat != l.Nat)
                diffs.Add(new NetLabDifference(lab, "Namespace", d.Name, "Different", "Nat", d.Nat.ToString(), l.Nat.ToString()));
            if (d.Forwarding != l.Forwarding)
                diffs.Add(new NetLabDifference(lab, "Namespace", d.Name, "Different", "Forwarding", d.Forwarding.ToString(), l.Forwarding.ToString()));
            string RouteText(IReadOnlyList<LabRoute> rs) => string.Join("; ", rs.Select(r => r.Destination + (r.Gateway is null ? "" : " via " + r.Gateway) + (r.Interface is null ? "" : " dev " + r.Interface)).Order(StringComparer.Ordinal));
            if (RouteText(d.Routes) != RouteText(l.Routes))
                diffs.Add(new NetLabDifference(lab, "Namespace", d.Name, "Different", "Routes", RouteText(d.Routes), RouteText(l.Routes)));
        }
        foreach (var b in defined.Bridges)
        {
            var l = live.Bridges.FirstOrDefault(x => x.Name == b.Name);
            if (l is null) diffs.Add(new NetLabDifference(lab, "Bridge", b.Name, "Missing", null, b.Name, null));
            else if (b.DatapathType != OvsDatapathType.Auto && b.DatapathType != l.DatapathType)
                diffs.Add(new NetLabDifference(lab, "Bridge", b.Name, "Different", "DatapathType", b.DatapathType.ToString(), l.DatapathType.ToString()));
        }
        foreach (var b in live.Bridges.Where(x => defined.Bridges.All(y => y.Name != x.Name)))
            diffs.Add(new NetLabDifference(lab, "Bridge", b.Name, "Extra", null, null, b.Name));
        var liveLinks = live.Links.ToDictionary(l => Key(l.Namespace, l.Name));
        foreach (var l in live.Links.Where(x => x.PeerNamespace is not null))
            liveLinks.TryAdd(Key(l.PeerNamespace!, l.PeerName), Swap(l));
        var seen = new HashSet<string>();
        foreach (var d in defined.Links)
        {
            var key = Key(d.Namespace, d.Name);
            seen.Add(key);
            if (d.PeerNamespace is not null) seen.Add(Key(d.PeerNamespace, d.PeerName));
            if (!liveLinks.TryGetValue(key, out var l)) { diffs.Add(new NetLabDifference(lab, "Link", key, "Missing", null, d.ToString(), null)); continue; }
            void Prop(string name, string? want, string? have)
            {
                if (!string.Equals(want ?? "", have ?? "", StringComparison.Ordinal)) diffs.Add(new NetLabDifference(lab, "Link", key, "Different", name, want, have));
            }
            Prop("PeerName", d.PeerName, l.PeerName);
            Prop("PeerNamespace", d.PeerNamespace, l.PeerNamespace);
            Prop("Bridge", d.Bridge, l.Bridge);
            Prop("Tag", d.Tag?.ToString(), l.Tag?.ToString());
            Prop("Trunk", string.Join(",", d.Trunk.Order()), string.Join(",", l.Trunk.Order()));
            Prop("Mtu", (d.Mtu ?? 1500).ToString(), (l.Mtu ?? 1500).ToString());
            Prop("Address", Addr(d.Addresses), Addr(l.Addresses));
            Prop("PeerAddress", Addr(d.PeerAddresses), Addr(l.PeerAddresses));
            if (!d.Addresses.Any(a => a.Contains(':'))) Prop("LinkLocal", d.LinkLocal.ToString(), l.LinkLocal.ToString());
        }
        foreach (var l in live.Links)
        {
            var key = Key(l.Namespace, l.Name);
            if (seen.Contains(key) || (l.PeerNamespace is not null && seen.Contains(Key(l.PeerNamespace, l.PeerName)))) continue;
            diffs.Add(new NetLabDifference(lab, "Link", key, "Extra", null, null, l.ToString()));
        }
        return diffs;
    }

    private static string Key(string ns, string name) => ns + "/" + name;

    private static LabLink Swap(LabLink l) => new(l.PeerNamespace!, l.PeerName, l.Name, l.Namespace, null, l.PeerAddresses, l.Addresses, l.Mtu);

    private static string Addr(IEnumerable<string> a) => string.Join(",", a.Select(LabCommands.Normalize).Order(StringComparer.Ordinal));
}
