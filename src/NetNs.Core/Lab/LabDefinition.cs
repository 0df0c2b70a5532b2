using NetNs.Core.Ovs;

namespace NetNs.Core.Lab;

/// <summary>
/// A whole lab: bridges, namespaces, veth links with their addresses, VLANs and MTUs, and DHCP servers.
/// Read from a .psd1/hashtable, JSON or YAML by <see cref="LabDefinitionReader"/>; checked by <see cref="LabValidator"/>.
/// </summary>
public sealed class LabDefinition
{
    /// <summary>Creates a definition.</summary>
    public LabDefinition(string name, IEnumerable<LabBridge> bridges, IEnumerable<LabNamespace> namespaces, IEnumerable<LabLink> links, IEnumerable<LabDhcpServer> dhcp)
    {
        Name = name;
        Bridges = bridges.ToList();
        Namespaces = namespaces.ToList();
        Links = links.ToList();
        Dhcp = dhcp.ToList();
    }

    /// <summary>The lab's name (the owner mark on every object it creates).</summary>
    public string Name { get; }

    /// <summary>Open vSwitch bridges.</summary>
    public IReadOnlyList<LabBridge> Bridges { get; }

    /// <summary>Network namespaces (the hosts).</summary>
    public IReadOnlyList<LabNamespace> Namespaces { get; }

    /// <summary>veth links: namespace to namespace, or namespace to bridge.</summary>
    public IReadOnlyList<LabLink> Links { get; }

    /// <summary>DHCP servers to start once the lab stands.</summary>
    public IReadOnlyList<LabDhcpServer> Dhcp { get; }

    /// <summary>A copy with another name.</summary>
    public LabDefinition WithName(string name) => new(name, Bridges, Namespaces, Links, Dhcp);

    /// <summary>Number of objects (namespaces + bridges + links).</summary>
    public override string ToString() => $"{Name}: {Namespaces.Count} namespaces, {Bridges.Count} bridges, {Links.Count} links";
}

/// <summary>An Open vSwitch bridge of a lab.</summary>
public sealed class LabBridge
{
    /// <summary>Creates a bridge definition.</summary>
    public LabBridge(string name, OvsDatapathType datapathType = OvsDatapathType.Auto)
    {
        Name = name;
        DatapathType = datapathType;
    }

    /// <summary>Bridge name (also an interface name: 1-15 bytes).</summary>
    public string Name { get; }

    /// <summary>Datapath type.</summary>
    public OvsDatapathType DatapathType { get; }
}

/// <summary>A network namespace of a lab: a host, or a router when it forwards.</summary>
public sealed class LabNamespace
{
    /// <summary>Creates a namespace definition.</summary>
    public LabNamespace(string name, bool forwarding = false, IEnumerable<LabRoute>? routes = null, bool nat = false)
    {
        Name = name;
        Nat = nat;
        Forwarding = forwarding;
        Routes = (routes ?? Array.Empty<LabRoute>()).ToList();
    }

    /// <summary>Namespace name.</summary>
    public string Name { get; }

    /// <summary>True for a router: IPv4 and IPv6 forwarding on (its own net.ipv4.ip_forward, net.ipv6.conf.all.forwarding).</summary>
    public bool Forwarding { get; }

    /// <summary>
    /// True when the namespace reaches what the host reaches, as Enable-NetNamespaceNat gives it: a link nat0 to the root
    /// namespace, a default route through it and source NAT; the hosts it routes for go out through it too.
    /// </summary>
    public bool Nat { get; }

    /// <summary>Routes added to its main table once its addresses stand.</summary>
    public IReadOnlyList<LabRoute> Routes { get; }
}

/// <summary>A route of a lab namespace (as Add-NetNsRoute takes it).</summary>
public sealed class LabRoute
{
    /// <summary>Creates a route definition.</summary>
    public LabRoute(string destination, string? gateway = null, string? @interface = null, int? metric = null)
    {
        Destination = destination;
        Gateway = gateway;
        Interface = @interface;
        Metric = metric;
    }

    /// <summary>A network in CIDR form, a host address, or 'default'.</summary>
    public string Destination { get; }

    /// <summary>The next hop: an address on a subnet of one of the namespace's lab links.</summary>
    public string? Gateway { get; }

    /// <summary>The output link (one of the namespace's lab links).</summary>
    public string? Interface { get; }

    /// <summary>The metric; the kernel's default when null.</summary>
    public int? Metric { get; }
}

/// <summary>
/// A veth pair. End A (<see cref="Name"/>) is always inside <see cref="Namespace"/>; end B (<see cref="PeerName"/>)
/// is either inside <see cref="PeerNamespace"/> (namespace to namespace) or in the root namespace as a port of
/// <see cref="Bridge"/> (namespace to bridge), optionally with an access <see cref="Tag"/> or a <see cref="Trunk"/>.
/// </summary>
public sealed class LabLink
{
    /// <summary>Creates a link definition.</summary>
    public LabLink(string @namespace, string name, string peerName, string? peerNamespace, string? bridge,
        IEnumerable<string>? addresses = null, IEnumerable<string>? peerAddresses = null, int? mtu = null,
        int? tag = null, IEnumerable<int>? trunk = null, bool linkLocal = false)
    {
        LinkLocal = linkLocal;
        Namespace = @namespace;
        Name = name;
        PeerName = peerName;
        PeerNamespace = string.IsNullOrEmpty(peerNamespace) ? null : peerNamespace;
        Bridge = string.IsNullOrEmpty(bridge) ? null : bridge;
        Addresses = (addresses ?? Array.Empty<string>()).ToList();
        PeerAddresses = (peerAddresses ?? Array.Empty<string>()).ToList();
        Mtu = mtu;
        Tag = tag;
        Trunk = (trunk ?? Array.Empty<int>()).ToList();
    }

    /// <summary>Namespace of end A.</summary>
    public string Namespace { get; }

    /// <summary>Interface name of end A.</summary>
    public string Name { get; }

    /// <summary>Interface name of end B.</summary>
    public string PeerName { get; }

    /// <summary>Namespace of end B, or null when end B is a bridge port in the root namespace.</summary>
    public string? PeerNamespace { get; }

    /// <summary>The bridge end B is a port of, or null for a namespace-to-namespace link.</summary>
    public string? Bridge { get; }

    /// <summary>Addresses (CIDR) of end A.</summary>
    public IReadOnlyList<string> Addresses { get; }

    /// <summary>Addresses (CIDR) of end B (namespace-to-namespace links only).</summary>
    public IReadOnlyList<string> PeerAddresses { get; }

    /// <summary>MTU of both ends in bytes, or null for the kernel default (1500).</summary>
    public int? Mtu { get; }

    /// <summary>Access VLAN tag of the bridge port (1-4094), or null.</summary>
    public int? Tag { get; }

    /// <summary>Trunk VLANs of the bridge port (empty: all VLANs / none configured).</summary>
    public IReadOnlyList<int> Trunk { get; }

    /// <summary>
    /// True when the namespace end(s) should get an IPv6 link-local address although they carry no IPv6 address (by
    /// default such a lab link gets none: addrgenmode none). A link with an IPv6 address always has one.
    /// </summary>
    public bool LinkLocal { get; }

    /// <summary>True when end B is a bridge port.</summary>
    public bool IsBridgeLink => Bridge is not null;

    /// <summary>"ns/name &lt;-&gt; peer".</summary>
    public override string ToString() => $"{Namespace}/{Name} <-> {(Bridge is null ? PeerNamespace + "/" : Bridge + ":")}{PeerName}";
}

/// <summary>A DHCP server of a lab (started and stopped through the context's DHCP service).</summary>
public sealed class LabDhcpServer
{
    /// <summary>Creates a DHCP server definition.</summary>
    public LabDhcpServer(string @namespace, string @interface, string rangeStart, string rangeEnd, int leaseTimeSeconds = 3600, string? router = null, IEnumerable<string>? dnsServers = null)
    {
        Namespace = @namespace;
        Interface = @interface;
        RangeStart = rangeStart;
        RangeEnd = rangeEnd;
        LeaseTimeSeconds = leaseTimeSeconds;
        Router = string.IsNullOrEmpty(router) ? null : router;
        DnsServers = (dnsServers ?? Array.Empty<string>()).ToList();
    }

    /// <summary>Namespace the server runs in.</summary>
    public string Namespace { get; }

    /// <summary>Interface it serves (must carry an IPv4 address of the lab).</summary>
    public string Interface { get; }

    /// <summary>First address of the range.</summary>
    public string RangeStart { get; }

    /// <summary>Last address of the range.</summary>
    public string RangeEnd { get; }

    /// <summary>Lease time in seconds.</summary>
    public int LeaseTimeSeconds { get; }

    /// <summary>Router option (DHCP option 3), or null.</summary>
    public string? Router { get; }

    /// <summary>DNS server option (DHCP option 6).</summary>
    public IReadOnlyList<string> DnsServers { get; }
}
