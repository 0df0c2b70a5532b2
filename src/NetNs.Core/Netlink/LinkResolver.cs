using NetNs.Core.Ip;
using NetNs.Core.Native;

namespace NetNs.Core.Netlink;

/// <summary>A link found by name, with its veth peer when it has one.</summary>
public sealed class ResolvedLink
{
    /// <summary>Creates the object.</summary>
    public ResolvedLink(string @namespace, string name, string? kind, string? peerName, string? peerNamespace)
    {
        Namespace = @namespace;
        Name = name;
        Kind = kind;
        PeerName = peerName;
        PeerNamespace = peerNamespace;
    }

    /// <summary>The namespace the link is in ("" = root).</summary>
    public string Namespace { get; }

    /// <summary>The link's name.</summary>
    public string Name { get; }

    /// <summary>The link kind (IFLA_INFO_KIND), e.g. "veth"; null for a device without one.</summary>
    public string? Kind { get; }

    /// <summary>For a veth: the peer's name, when it could be resolved.</summary>
    public string? PeerName { get; }

    /// <summary>For a veth: the peer's namespace ("" = root), when it could be resolved.</summary>
    public string? PeerNamespace { get; }
}

/// <summary>
/// Looks up a few links by name in process (RTM_GETLINK on a thread inside the namespace) and resolves veth peers: the
/// peer's namespace from IFLA_LINK_NETNSID (matched against the netns ids of the named namespaces, RTM_GETNSID), its
/// name with if_indextoname(3) inside that namespace. What <c>ip -j -d link show</c> plus <c>ip netns list-id</c> give,
/// for only the links asked for and without a process.
/// </summary>
public static class LinkResolver
{
    /// <summary>
    /// The links among <paramref name="names"/> that exist in <paramref name="namespace"/>, by name. <paramref name="likelyPeerNamespaces"/>
    /// are tried first when a peer's namespace is looked for (e.g. the namespace a piped VethPair names).
    /// </summary>
    /// <exception cref="Errors.NetNsException">The namespace cannot be entered.</exception>
    public static Dictionary<string, ResolvedLink> Resolve(string @namespace, IReadOnlyCollection<string> names, IEnumerable<string>? likelyPeerNamespaces = null)
    {
        var likely = likelyPeerNamespaces?.ToList() ?? new List<string>();
        var found = Rtnl.In(@namespace, s =>
        {
            var list = new List<(string Name, string? Kind, int? PeerIndex, string? PeerNs, string? PeerName)>();
            Dictionary<int, string>? ids = null;
            foreach (var n in names)
            {
                RtnlLink? l;
                try { l = RtnlMessages.ParseLink(s.Query(RtnlMessages.GetLink(s.NextSeq(), n), RtnlMessages.RtmNewLink)); }
                catch (RtnlException) { continue; }
                if (l is null) continue;
                string? peerNs = null, peerName = null;
                if (l.Kind == "veth" && l.LinkIndex is { } index && index > 0)
                {
                    if (l.LinkNetnsId is { } nsid)
                    {
                        ids ??= new Dictionary<int, string>();
                        peerNs = NamespaceOf(s, nsid, ids, likely);
                    }
                    else
                    {
                        peerNs = @namespace;
                        peerName = IfIndex.NameOf(index);
                    }
                }
                list.Add((l.Name, l.Kind, l.LinkIndex, peerNs, peerName));
            }
            return list;
        });
        // Peer names in other namespaces: one lookup per namespace.
        var names2 = new Dictionary<string, Dictionary<int, string?>?>(StringComparer.Ordinal);
        foreach (var g in found.Where(f => f.PeerName is null && f.PeerNs is not null && f.PeerIndex is not null).GroupBy(f => f.PeerNs!))
        {
            var indexes = g.Select(f => f.PeerIndex!.Value).ToList();
            names2[g.Key] = g.Key.Length == 0 ? indexes.Distinct().ToDictionary(i => i, IfIndex.NameOf) : IfIndex.NamesIn(g.Key, indexes);
        }
        var result = new Dictionary<string, ResolvedLink>(StringComparer.Ordinal);
        foreach (var f in found)
        {
            var peerName = f.PeerName;
            if (peerName is null && f.PeerNs is not null && f.PeerIndex is { } pi && names2.TryGetValue(f.PeerNs, out var map) && map is not null)
                map.TryGetValue(pi, out peerName);
            result[f.Name] = new ResolvedLink(@namespace, f.Name, f.Kind, peerName, peerName is null ? null : f.PeerNs);
        }
        return result;
    }

    /// <summary>The name of the namespace that has netns id <paramref name="nsid"/> as seen from the socket's namespace ("" = this process's), or null.</summary>
    private static string? NamespaceOf(RtnlSocket s, int nsid, Dictionary<int, string> known, List<string> likely)
    {
        if (known.TryGetValue(nsid, out var name)) return name;
        var candidates = likely.Concat(NetnsPids.ListNames().Where(n => !likely.Contains(n)));
        foreach (var c in new[] { "" }.Concat(candidates).Distinct(StringComparer.Ordinal))
        {
            var path = c.Length == 0 ? "/proc/self/ns/net" : Path.Combine(NetnsPids.RunDirectory, c);
            int? id;
            try
            {
                using var h = File.OpenHandle(path);
                id = RtnlMessages.ParseNsId(s.Query(RtnlMessages.GetNsId(s.NextSeq(), (int)h.DangerousGetHandle()), RtnlMessages.RtmNewNsId));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or RtnlException) { continue; }
            if (id is { } v) known[v] = c;
            if (id == nsid) return c;
        }
        return null;
    }
}
