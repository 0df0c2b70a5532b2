using NetNs.Core.Errors;
using NetNs.Core.Kernel;
using NetNs.Core.Models;

namespace NetNs.Core.Ip;

/// <summary>
/// The one veth-peer resolver: turns the kernel's links of one namespace (<see cref="KernelLink"/>) into the output model
/// <see cref="NetLink"/>, with the peer's name, namespace and index. A peer in the same namespace is found by index there;
/// a peer elsewhere through IFLA_LINK_NETNSID: the namespace whose netns id (as seen from this one, RTM_GETNSID) is that
/// id — the likely namespaces first, then the root namespace, then every named one — and the peer's index looked up
/// there. A candidate counts only when it is a veth pointing back at this link, so a peer in a foreign (e.g. container)
/// namespace stays unresolved (null) instead of being reported wrongly. Handles opened on other namespaces are kept for
/// the resolver's life (one per namespace) and closed by <see cref="Dispose"/>.
/// </summary>
internal sealed class PeerResolver : IDisposable
{
    private readonly IKernel _kernel;
    private readonly IKernelHandle _home;
    private readonly List<string> _likely;
    private readonly Dictionary<int, string> _ids = new();
    private readonly HashSet<string> _probed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IKernelHandle?> _handles = new(StringComparer.Ordinal);

    /// <summary>Creates a resolver for links of <paramref name="home"/>'s namespace.</summary>
    public PeerResolver(IKernel kernel, IKernelHandle home, IEnumerable<string>? likelyPeerNamespaces = null)
    {
        _kernel = kernel;
        _home = home;
        _likely = likelyPeerNamespaces?.ToList() ?? new List<string>();
    }

    /// <summary>Resolves every link of a full dump (<paramref name="links"/> is all of the namespace's links).</summary>
    public List<NetLink> ResolveAll(List<KernelLink> links)
    {
        var local = new Dictionary<int, KernelLink>();
        foreach (var l in links) local[l.Index] = l;
        return links.Select(l => Resolve(l, local)).ToList();
    }

    /// <summary>Resolves one link; <paramref name="local"/>, when given, holds the namespace's links by index (else they are asked for).</summary>
    public NetLink Resolve(KernelLink l, IReadOnlyDictionary<int, KernelLink>? local = null)
    {
        KernelLink? Local(int index) => local is not null ? local.GetValueOrDefault(index) : _home.Link(index);
        var ns = _home.Namespace;
        string? peerName = null, peerNs = null, master = null;
        int? peerIndex = null;
        var lowerDown = false;
        if (l.LinkIndex is { } li && li > 0 && l.LinkNetnsId is null)
        {
            // ip's M-DOWN: the link this one sits on (in this namespace) is down.
            var lower = Local(li);
            lowerDown = !(lower?.IsUp ?? false);
            if (l.Kind == "veth" && lower is not null)
            {
                peerName = lower.Name;
                peerNs = ns;
                peerIndex = lower.Index;
            }
        }
        else if (l.Kind == "veth" && l.LinkIndex is { } index && index > 0 && l.LinkNetnsId is { } nsid
            && NamespaceOf(nsid) is { } other && HandleOf(other)?.Link(index) is { Kind: "veth" } peer
            && (peer.LinkIndex is null || peer.LinkIndex == l.Index))
        {
            peerName = peer.Name;
            peerNs = other;
            peerIndex = index;
        }
        if (l.MasterIndex is { } mi) master = Local(mi)?.Name;
        return new NetLink(ns, l.Name, l.Index, l.KindName, l.IsUp ? "UP" : "DOWN", l.OperStateName, l.AddressText, l.Mtu,
            peerName, peerNs, peerIndex, master, l.FlagList(lowerDown), l.Alias);
    }

    /// <summary>The name of the namespace that has netns id <paramref name="nsid"/> as seen from this one ("" = the root), or null.</summary>
    private string? NamespaceOf(int nsid)
    {
        if (_ids.TryGetValue(nsid, out var known)) return known;
        var candidates = _likely.AsEnumerable();
        if (_home.Namespace.Length > 0) candidates = candidates.Append("");
        foreach (var c in candidates.Concat(_kernel.NamespaceNames()))
        {
            if (c == _home.Namespace || !_probed.Add(c)) continue;
            if (_home.NsIdOf(c) is not { } id) continue;
            _ids[id] = c;
            if (id == nsid) return c;
        }
        return null;
    }

    private IKernelHandle? HandleOf(string @namespace)
    {
        if (_handles.TryGetValue(@namespace, out var h)) return h;
        try { h = _kernel.At(@namespace); }
        catch (NetNsException) { h = null; }
        return _handles[@namespace] = h;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var h in _handles.Values) h?.Dispose();
        _handles.Clear();
    }
}
