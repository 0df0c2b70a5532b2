using System.Net;
using System.Net.Sockets;
using NetNs.Core.Validation;

namespace NetNs.Core.Lab;

/// <summary>
/// The connectivity matrix of a lab: every namespace probes every IPv4 address of every other namespace (ICMP echo,
/// in process, paced and retried; or a ring sample of it for big labs), and the expected outcome derived from the
/// topology: two interfaces share a layer-2 segment when they are the two ends of a veth pair, or ports of the same
/// bridge on the same VLAN (access tag, or untagged); an address is reachable when the source has an address in its
/// subnet on the same segment.
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
    /// <see cref="Expected"/> for many pairs: the hosts and segments of <paramref name="d"/> are worked out once, and the
    /// returned function answers each (source, address).
    /// </summary>
    public static Func<string, IPAddress, bool> Expectation(LabDefinition d)
    {
        var hosts = Hosts(d);
        var seg = Segments(d);
        return (source, address) =>
        {
            var target = hosts.FirstOrDefault(h => h.Address.Equals(address));
            if (target.Namespace is null) return false;
            var targetSeg = seg.GetValueOrDefault((target.Namespace, target.Interface));
            return hosts.Any(h => h.Namespace == source && seg.GetValueOrDefault((h.Namespace, h.Interface)) == targetSeg
                && LabValidator.InSubnet(address, h.Address, h.Prefix));
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
