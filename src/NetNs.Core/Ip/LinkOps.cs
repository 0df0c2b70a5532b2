using NetNs.Core.Context;
using NetNs.Core.Errors;
using NetNs.Core.Kernel;
using NetNs.Core.Models;
using NetNs.Core.Netlink;
using NetNs.Core.Validation;

namespace NetNs.Core.Ip;

/// <summary>
/// Links through the kernel seam, each request in process (rtnetlink in the link's namespace; the equivalent <c>ip</c>
/// command line is announced): list with veth peers resolved (<see cref="PeerResolver"/>), create veth pairs, change,
/// move and delete links. Every method validates its input before it touches the kernel and throws
/// <see cref="NetNsException"/> on failure.
/// </summary>
internal sealed class LinkOps : KernelOps
{
    /// <summary>Creates the operations over <paramref name="context"/>.</summary>
    public LinkOps(NetNsContext context) : base(context) { }

    /// <summary>The links of a namespace (or the one named), veth peers resolved.</summary>
    public List<NetLink> GetLinks(string @namespace, string? name = null, IEnumerable<string>? likelyPeerNamespaces = null)
    {
        RequireNamespace(@namespace);
        var show = IpCommands.LinkShow(@namespace, name);
        Announce(show);
        using var h = Kernel.At(@namespace);
        using var resolver = new PeerResolver(Kernel, h, likelyPeerNamespaces);
        try
        {
            if (name is null) return resolver.ResolveAll(h.Links());
            return new List<NetLink> { resolver.Resolve(h.Link(name) ?? throw LinkNotFound(new LinkId(@namespace, name))) };
        }
        catch (RtnlException ex)
        {
            throw KernelErrors.Refused(ex, show, "GetLinkFailed", name ?? @namespace, $"Cannot list links in {LinkId.Describe(@namespace)}");
        }
    }

    /// <summary>One link, or throws <c>LinkNotFound</c> (ObjectNotFound).</summary>
    public NetLink GetLink(string @namespace, string name, string parameter = "Name")
    {
        Validate.InterfaceName(name, parameter);
        return GetLinks(@namespace, name)[0];
    }

    /// <summary>
    /// The links among <paramref name="names"/> that exist in <paramref name="namespace"/>, by name, peers resolved
    /// (<paramref name="likelyPeerNamespaces"/> tried first). Names that do not exist are left out.
    /// </summary>
    public Dictionary<string, NetLink> Find(string @namespace, IReadOnlyCollection<string> names, IEnumerable<string>? likelyPeerNamespaces = null)
    {
        using var h = Kernel.At(@namespace);
        using var resolver = new PeerResolver(Kernel, h, likelyPeerNamespaces);
        var result = new Dictionary<string, NetLink>(StringComparer.Ordinal);
        foreach (var n in names)
        {
            KernelLink? l;
            try { l = h.Link(n); }
            catch (RtnlException) { continue; }
            if (l is not null) result[n] = resolver.Resolve(l);
        }
        return result;
    }

    /// <summary>True when the link exists in the namespace.</summary>
    public bool Exists(string @namespace, string name)
    {
        try
        {
            using var h = Kernel.At(@namespace);
            return h.Link(name) is not null;
        }
        catch (Exception ex) when (ex is NetNsException or RtnlException) { return false; }
    }

    /// <summary>Named namespaces other than <paramref name="except"/> that hold a link called <paramref name="name"/> (for error messages).</summary>
    public List<string> NamespacesHolding(string name, string except = "") =>
        Kernel.NamespaceNames().Where(ns => ns != except && Exists(ns, name)).ToList();

    /// <summary>
    /// Creates a veth pair with each end directly in its namespace, in one kernel call (the RTM_NEWLINK <c>ip link add …
    /// type veth peer …</c> sends); the MTU, when given, is set on both ends. Checks names, MTU and namespaces first, so a
    /// failure leaves nothing behind.
    /// </summary>
    public VethPair AddVeth(string name, string @namespace, string peerName, string peerNamespace, int? mtu)
    {
        ValidateVeth(name, @namespace, peerName, peerNamespace, mtu);
        var cmd = IpCommands.VethAdd(name, @namespace, peerName, peerNamespace, mtu);
        Announce(cmd);
        try
        {
            using var root = Kernel.At("");
            root.AddVeth(name, @namespace, peerName, peerNamespace, mtu);
        }
        catch (IOException)
        {
            RequireNamespace(@namespace, "Namespace");
            RequireNamespace(peerNamespace, "PeerNamespace");
            throw;
        }
        catch (RtnlException ex)
        {
            throw KernelErrors.Refused(ex, cmd, "AddVethFailed", new LinkId(@namespace, name).Target, $"Cannot create veth pair '{name}'/'{peerName}'", (NetNsErrorCategory.ResourceExists, "LinkExists"));
        }
        return new VethPair(name, @namespace, peerName, peerNamespace, mtu);
    }

    /// <summary>The checks <see cref="AddVeth"/> makes before touching the kernel.</summary>
    public void ValidateVeth(string name, string @namespace, string peerName, string peerNamespace, int? mtu)
    {
        Validate.InterfaceName(name, "Name");
        Validate.InterfaceName(peerName, "PeerName");
        if (mtu is not null) Validate.Mtu(mtu.Value);
        if (name == peerName && @namespace == peerNamespace)
            throw new NetNsException("InvalidPeerName", NetNsErrorCategory.InvalidArgument,
                $"-Name and -PeerName are both '{name}' in the same namespace; the two ends of a veth pair need different names.", name);
        RequireNamespace(@namespace, "Namespace");
        RequireNamespace(peerNamespace, "PeerNamespace");
    }

    /// <summary>Moves a link to another namespace (it arrives DOWN, without addresses): RTM_NEWLINK with IFLA_NET_NS_FD.</summary>
    public NetLink MoveLink(string @namespace, string name, string destination)
    {
        Validate.InterfaceName(name);
        RequireNamespace(@namespace);
        RequireNamespace(destination, "Destination");
        var id = new LinkId(@namespace, name);
        if (@namespace == destination)
            throw new NetNsException("SameNamespace", NetNsErrorCategory.InvalidArgument, $"Link '{name}' is already in {LinkId.Describe(destination)}.", id.Target);
        var cmd = IpCommands.LinkMove(@namespace, name, destination, Environment.ProcessId);
        using (var h = Kernel.At(@namespace))
        {
            if (h.Link(name) is null) throw LinkNotFound(id);
            if (Exists(destination, name))
                throw new NetNsException("LinkExists", NetNsErrorCategory.ResourceExists, $"A link named '{name}' already exists in {LinkId.Describe(destination)}.", new LinkId(destination, name).Target);
            Announce(cmd);
            try { h.MoveLink(name, destination); }
            catch (RtnlException ex)
            {
                throw KernelErrors.Refused(ex, cmd, "MoveLinkFailed", id.Target, $"Cannot move link '{name}' to {LinkId.Describe(destination)}",
                    (NetNsErrorCategory.ResourceExists, "LinkExists"), (NetNsErrorCategory.ObjectNotFound, "LinkNotFound"));
            }
        }
        return GetLink(destination, name);
    }

    /// <summary>Changes state, MTU, MAC address, name or alias of a link in one request (the RTM_NEWLINK <c>ip link set</c> sends).</summary>
    public void SetLink(string @namespace, string name, bool? up, int? mtu, string? mac, string? newName, string? alias = null)
    {
        var cmd = IpCommands.LinkSet(@namespace, name, up, mtu, mac, newName, alias);
        var macBytes = mac is null ? null : Convert.FromHexString(mac.Replace(":", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal));
        Send(@namespace, cmd, h => h.SetLink(name, up, mtu, macBytes, newName, alias), ex => KernelErrors.Refused(ex, cmd, "SetLinkFailed",
            new LinkId(@namespace, name).Target, $"Cannot change link '{name}' in {LinkId.Describe(@namespace)}",
            (NetNsErrorCategory.ObjectNotFound, "LinkNotFound"), (NetNsErrorCategory.ResourceExists, "LinkExists")));
    }

    /// <summary>Deletes a link (RTM_DELLINK); for a veth, both ends go.</summary>
    public void RemoveLink(string @namespace, string name)
    {
        var cmd = IpCommands.LinkDelete(@namespace, name);
        Send(@namespace, cmd, h => h.DeleteLink(name), ex => KernelErrors.Refused(ex, cmd, "RemoveLinkFailed", new LinkId(@namespace, name).Target,
            $"Cannot remove link '{name}' from {LinkId.Describe(@namespace)}", (NetNsErrorCategory.ObjectNotFound, "LinkNotFound")));
    }
}
