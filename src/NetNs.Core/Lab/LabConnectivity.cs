using System.Net;
using System.Net.Sockets;
using NetNs.Core.Validation;

namespace NetNs.Core.Lab;

/// <summary>
/// The connectivity matrix of a lab: every namespace probes every IPv4 address of every other namespace (ICMP echo,
/// in process, paced and retried; or a ring sample of it for big labs), and the expected outcome derived from the
/// topology: two interfaces share a layer-2 segment when they are the two ends of a veth pair, or ports of the same
/// bridge on the same VLAN (access tag, or untagged); an address is reachable when a path of routes and forwarding
/// namespaces leads there over such segments and the reply finds its way back (<see cref="Expectation"/>).
/// </summary>
internal static class LabConnectivity
{
    /// <summary>The IPv4 addresses of the lab: (namespace, interface, address, prefix).</summary>
    public static List<(string Namespace, string Interface, IPAddress Address, int Prefix)> Hosts(LabDefinition d)
    {
        var list = new List<(string, string, IPAddress, int)>();
        foreach (var l in d.Links)
        {
            foreach (var a in l.Addresses) Add(l.Namespace, l.Name, a);
            if (l.PeerNamespace is not null) foreach (var a in l.PeerAddresses) Add(l.PeerNamespace, l.PeerName, a);
        }
        return list;

        void Add(string ns, string name, string cidr)
        {
            var (ip, prefix) = Validate.Cidr(cidr);
            if (ip.AddressFamily == AddressFamily.InterNetwork) list.Add((ns, name, ip, prefix));
        }
    }

    /// <summary>The layer-2 segment of each (namespace, interface) of the lab.</summary>
    public static Dictionary<(string, string), string> Segments(LabDefinition d)
    {
        var seg = new Dictionary<(string, string), string>();
        for (var i = 0; i < d.Links.Count; i++)
        {
            var l = d.Links[i];
            if (l.Bridge is not null)
                seg[(l.Namespace, l.Name)] = l.Trunk.Count > 0 ? $"trunk:{i}" : $"{l.Bridge}:{l.Tag ?? 0}";
            else
            {
                seg[(l.Namespace, l.Name)] = $"veth:{i}";
                seg[(l.PeerNamespace!, l.PeerName)] = $"veth:{i}";
            }
        }
        return seg;
    }

    /// <summary>Whether <paramref name="source"/> should reach <paramref name="address"/> per the topology.</summary>
    public static bool Expected(LabDefinition d, string source, IPAddress address) => Expectation(d)(source, address);

    /// <summary>
    /// <see cref="Expected"/> for many pairs: the hosts, segments and routes of <paramref name="d"/> are worked out once,
    /// and the returned function answers each (source, address). The answer follows layer 3 as the kernel does: the
    /// source routes the packet (its connected subnets, then its lab routes by longest prefix, the default route last),
    /// the next hop must be an address on the same layer-2 segment as the interface the route leaves by, and a namespace
    /// that receives a packet not addressed to one of its own addresses passes it on only when it forwards (a router).
    /// The reply must find its way back the same way to the source's address on the interface the request left by. So
    /// a missing return route, or a router with forwarding off, predicts unreachable.
    /// </summary>
    public static Func<string, IPAddress, bool> Expectation(LabDefinition d)
    {
        var hosts = Hosts(d);
        var seg = Segments(d);
        var byNs = d.Namespaces.ToDictionary(n => n.Name, StringComparer.Ordinal);
        var routes = d.Namespaces.ToDictionary(n => n.Name, n => n.Routes
            .Select(r => Routes.RouteSpec.Create(r.Destination, r.Gateway, r.Interface, r.Metric is { } m ? (uint)m : null, null, null, requireNextHop: false))
            .Where(r => r.Family == AddressFamily.InterNetwork)
            .OrderByDescending(r => r.PrefixLength).ThenBy(r => r.Metric ?? 0).ToList(), StringComparer.Ordinal);

        // The (namespace, interface, source address) the packet leaves `ns` by, and the next hop, for each way the kernel may take.
        IEnumerable<(string Interface, IPAddress Source, IPAddress NextHop)> Hops(string ns, IPAddress dst)
        {
            var connected = hosts.Where(h => h.Namespace == ns && LabValidator.InSubnet(dst, h.Address, h.Prefix)).ToList();
            if (connected.Count > 0) return connected.Select(h => (h.Interface, h.Address, dst));
            foreach (var r in routes.GetValueOrDefault(ns) ?? new List<Routes.RouteSpec>())
            {
                if (r.PrefixLength > 0 && !LabValidator.InSubnet(dst, r.Destination, r.PrefixLength)) continue;
                var via = hosts.Where(h => h.Namespace == ns && (r.Interface is null || h.Interface == r.Interface)
                    && (r.Gateway is null || LabValidator.InSubnet(r.Gateway, h.Address, h.Prefix))).ToList();
                if (via.Count == 0) continue;
                return via.Take(1).Select(h => (h.Interface, h.Address, r.Gateway ?? dst));
            }
            return Enumerable.Empty<(string, IPAddress, IPAddress)>();
        }

        // Where a packet from `ns` to `dst` ends up: the namespace that owns `dst`, and the source address it carried; null when it is lost.
        (string Namespace, IPAddress Source)? Deliver(string ns, IPAddress dst, IPAddress? source)
        {
            var at = ns;
            IPAddress? src = source;
            for (var ttl = 0; ttl < 16; ttl++)
            {
                if (hosts.Any(h => h.Namespace == at && h.Address.Equals(dst))) return src is null ? null : (at, src);
                if (at != ns && !(byNs.GetValueOrDefault(at)?.Forwarding ?? false)) return null;
                string? next = null;
                foreach (var (iface, from, hop) in Hops(at, dst))
                {
                    var segment = seg.GetValueOrDefault((at, iface));
                    var owner = hosts.FirstOrDefault(h => h.Address.Equals(hop) && h.Namespace != at && seg.GetValueOrDefault((h.Namespace, h.Interface)) == segment);
                    if (owner.Namespace is null) continue;
                    src ??= from;
                    next = owner.Namespace;
                    break;
                }
                if (next is null) return null;
                at = next;
            }
            return null;
        }

        return (source, address) =>
        {
            var there = Deliver(source, address, null);
            if (there is null) return false;
            var back = Deliver(there.Value.Namespace, there.Value.Source, address);
            return back is { } b && b.Namespace == source;
        };
    }

    /// <summary>
    /// The pairs to probe: every namespace against every address of every other namespace, or, with
    /// <paramref name="sample"/> = K, against the addresses of the K namespaces that follow it in the lab's order (a ring:
    /// every namespace is probed from K others and probes K others). Ordered by source, then destination, then address.
    /// </summary>
    public static List<(string Source, string Destination, IPAddress Address)> Pairs(LabDefinition d, int? sample = null)
    {
        var hosts = Hosts(d);
        var sources = d.Namespaces.Select(n => n.Name).ToList();
        var pairs = new List<(string, string, IPAddress)>();
        if (sample is not { } k || k >= sources.Count - 1)
        {
            foreach (var s in sources)
                foreach (var h in hosts.Where(h => h.Namespace != s))
                    pairs.Add((s, h.Namespace, h.Address));
            return pairs;
        }
        var byNamespace = hosts.ToLookup(h => h.Namespace, StringComparer.Ordinal);
        for (var i = 0; i < sources.Count; i++)
            for (var j = 1; j <= k; j++)
            {
                var dst = sources[(i + j) % sources.Count];
                foreach (var h in byNamespace[dst]) pairs.Add((sources[i], dst, h.Address));
            }
        return pairs;
    }

    /// <summary>
    /// Runs the matrix in process (<see cref="IcmpProber"/>: ICMP echo from a raw socket inside each source namespace,
    /// paced by a window of outstanding requests, each lost request sent again up to <see cref="ProbeOptions.Attempts"/> times
    /// before the pair counts as unreachable). <paramref name="expected"/> maps (source, destination, address) to the
    /// expected outcome; pairs it does not cover get no expectation.
    /// </summary>
    public static List<NetLabPing> Run(Kernel.IKernel kernel, LabDefinition d, IReadOnlyList<(string Source, string Destination, IPAddress Address)> pairs,
        ProbeOptions options, Func<string, string, IPAddress, bool?>? expected, Action<int>? progress, CancellationToken ct)
    {
        var outcomes = IcmpProber.Run(kernel, pairs.Select(p => new ProbeTarget(p.Source, p.Destination, p.Address)).ToList(), options, progress, ct);
        return pairs.Select((p, i) => new NetLabPing(d.Name, p.Source, p.Destination, p.Address.ToString(), outcomes[i].Reachable,
            expected?.Invoke(p.Source, p.Destination, p.Address), outcomes[i].RttMs is { } ms ? Math.Round(ms, 3) : null)).ToList();
    }
}
