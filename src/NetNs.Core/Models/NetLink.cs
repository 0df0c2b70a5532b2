namespace NetNs.Core.Models;

/// <summary>
/// A network interface (<c>ip link</c>) in a namespace. Identity is (<see cref="Namespace"/>, <see cref="Name"/>).
/// </summary>
public sealed class NetLink
{
    /// <summary>Creates the object.</summary>
    public NetLink(string @namespace, string name, int ifIndex, string kind, string adminState, string operState,
        string? macAddress, int mtu, string? peerName, string? peerNamespace, int? peerIfIndex, string? master,
        IReadOnlyList<string> flags, string? alias, string? ovsBridge = null)
    {
        Namespace = @namespace;
        Name = name;
        IfIndex = ifIndex;
        Kind = kind;
        AdminState = adminState;
        OperState = operState;
        MacAddress = macAddress;
        Mtu = mtu;
        PeerName = peerName;
        PeerNamespace = peerNamespace;
        PeerIfIndex = peerIfIndex;
        Master = master;
        Flags = flags;
        Alias = alias;
        OvsBridge = ovsBridge;
    }

    /// <summary>The namespace holding the link; the empty string for the root (initial) namespace.</summary>
    public string Namespace { get; }

    /// <summary>Interface name (at most 15 bytes).</summary>
    public string Name { get; }

    /// <summary>Kernel interface index, unique within its namespace.</summary>
    public int IfIndex { get; }

    /// <summary>Link kind: <c>veth</c>, <c>bridge</c>, <c>loopback</c>, <c>openvswitch</c>, <c>tun</c>, <c>device</c> for hardware, …</summary>
    public string Kind { get; }

    /// <summary>Administrative state: <c>UP</c> when the UP flag is set, else <c>DOWN</c>.</summary>
    public string AdminState { get; }

    /// <summary>Operational state as the kernel reports it (RFC 2863): <c>UP</c>, <c>DOWN</c>, <c>LOWERLAYERDOWN</c>, <c>UNKNOWN</c>, …</summary>
    public string OperState { get; }

    /// <summary>Link-layer address, lower case with ':' separators.</summary>
    public string? MacAddress { get; }

    /// <summary>Maximum transmission unit in bytes.</summary>
    public int Mtu { get; }

    /// <summary>For a veth: the other end's name, or null when it cannot be resolved.</summary>
    public string? PeerName { get; }

    /// <summary>For a veth: the namespace of the other end ("" = root), or null when unknown.</summary>
    public string? PeerNamespace { get; }

    /// <summary>For a veth: the other end's ifindex in its own namespace.</summary>
    public int? PeerIfIndex { get; }

    /// <summary>The kernel master device (a Linux bridge, bond or VRF), if enslaved.</summary>
    public string? Master { get; }

    /// <summary>Open vSwitch bridge this link is a port of, when known (filled when OVS is queried).</summary>
    public string? OvsBridge { get; }

    /// <summary>Interface flags as <c>ip link</c> shows them (UP, LOWER_UP, BROADCAST, …).</summary>
    public IReadOnlyList<string> Flags { get; }

    /// <summary>The interface alias (<c>ip link set DEV alias TEXT</c>), if any.</summary>
    public string? Alias { get; }

    /// <summary>True when the administrative state is UP.</summary>
    public bool IsUp => AdminState == "UP";

    /// <summary>A copy with <see cref="OvsBridge"/> set.</summary>
    public NetLink WithOvsBridge(string? bridge) => new(Namespace, Name, IfIndex, Kind, AdminState, OperState, MacAddress, Mtu,
        PeerName, PeerNamespace, PeerIfIndex, Master, Flags, Alias, bridge);

    /// <inheritdoc />
    public override string ToString() => Namespace.Length == 0 ? Name : Namespace + "/" + Name;
}
