using System.Net;
using System.Net.Sockets;
using NetNs.Core.Ip;
using NetNs.Core.Process;
using NetNs.Core.Validation;

namespace NetNs.Core.Lab;

/// <summary>
/// The connectivity matrix of a lab: every namespace pings every IPv4 address of every other namespace
/// (iputils ping through <c>ip netns exec</c>), many at once but bounded, and the expected outcome derived from the
/// topology: two interfaces share a layer-2 segment when they are the two ends of a veth pair, or ports of the same
/// bridge on the same VLAN (access tag, or untagged); an address is reachable when the source has an address in its
/// subnet on the same segment.
/// </summary>
public static class LabConnectivity
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
    /// Runs the matrix. <paramref name="expected"/> maps (source, address) to the expected outcome; pairs it does not
    /// cover get no expectation. Results are ordered by source, then destination, then address.
    /// </summary>
    public static List<NetLabPing> Run(IToolRunner runner, LabDefinition d, int throttle, double timeoutSeconds, int count,
        Func<string, string, IPAddress, bool?>? expected, CancellationToken ct)
    {
        var hosts = Hosts(d);
        var sources = d.Namespaces.Select(n => n.Name).ToList();
        var pairs = new List<(int Order, string Source, string Destination, IPAddress Address)>();
        foreach (var s in sources)
            foreach (var h in hosts.Where(h => h.Namespace != s))
                pairs.Add((pairs.Count, s, h.Namespace, h.Address));
        var results = new NetLabPing[pairs.Count];
        Parallel.ForEach(pairs, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, throttle), CancellationToken = ct }, p =>
        {
            var r = runner.Run(IpCommands.Ping(p.Source, p.Address.ToString(), count, timeoutSeconds, 0.2), ct);
            var parsed = PingParser.Parse(p.Source, p.Address.ToString(), count, r.StandardOutput, r.StandardError);
            results[p.Order] = new NetLabPing(d.Name, p.Source, p.Destination, p.Address.ToString(), parsed.Success,
                expected?.Invoke(p.Source, p.Destination, p.Address), parsed.Success ? parsed.AvgRttMs : null);
        });
        return results.ToList();
    }
}
