using NetNs.Core.Context;
using NetNs.Core.Ip;
using NetNs.Core.Ovs;

namespace NetNs.Core.Netlink;

/// <summary>A link found by name, with its veth peer when it has one (the shape the Open vSwitch cmdlets read).</summary>
/// <param name="Namespace">The namespace the link is in ("" = root).</param>
/// <param name="Name">The link's name.</param>
/// <param name="Kind">The link kind, e.g. "veth".</param>
/// <param name="PeerName">For a veth: the peer's name, when it could be resolved.</param>
/// <param name="PeerNamespace">For a veth: the peer's namespace ("" = root), when it could be resolved.</param>
public sealed record ResolvedLink(string Namespace, string Name, string Kind, string? PeerName, string? PeerNamespace);

/// <summary>
/// The name the Open vSwitch cmdlets still call the one peer resolver by: forwards to <see cref="LinkOps.Find"/> (and so
/// <see cref="PeerResolver"/>) over the production context; it goes once that code is given the context.
/// </summary>
internal static class LinkResolver
{
    /// <summary>The links among <paramref name="names"/> that exist in <paramref name="namespace"/>, by name.</summary>
    public static Dictionary<string, ResolvedLink> Resolve(string @namespace, IReadOnlyCollection<string> names, IEnumerable<string>? likelyPeerNamespaces = null) =>
        new LinkOps(NetNsContext.Production(OvsConnection.Current, CancellationToken.None)).Find(@namespace, names, likelyPeerNamespaces)
            .ToDictionary(kv => kv.Key, kv => new ResolvedLink(kv.Value.Namespace, kv.Value.Name, kv.Value.Kind, kv.Value.PeerName, kv.Value.PeerNamespace), StringComparer.Ordinal);
}
