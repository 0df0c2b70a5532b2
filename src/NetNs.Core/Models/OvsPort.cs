namespace NetNs.Core.Models;

/// <summary>
/// A port of an Open vSwitch bridge with its (first) interface: rows of the OVSDB <c>Port</c> and
/// <c>Interface</c> tables joined. VLAN fields follow IEEE 802.1Q as OVS models them (ovs-vswitchd.conf.db(5)).
/// </summary>
public sealed class OvsPort
{
    /// <summary>Creates the object.</summary>
    public OvsPort(string bridge, string name, string @interface, string interfaceType, int? ofPort, string? vlanMode, int? tag,
        IReadOnlyList<int> trunks, string? error, bool? txChecksumOffload = null, string? peerName = null, string? peerNamespace = null,
        bool exists = true)
    {
        Bridge = bridge;
        Name = name;
        Interface = @interface;
        InterfaceType = interfaceType;
        OfPort = ofPort;
        VlanMode = vlanMode;
        Tag = tag;
        Trunks = trunks;
        Error = error;
        TxChecksumOffload = txChecksumOffload;
        PeerName = peerName;
        PeerNamespace = peerNamespace;
        Exists = exists;
    }

    /// <summary>The bridge the port belongs to.</summary>
    public string Bridge { get; }

    /// <summary>Port name (for a port made from a link: the link's name).</summary>
    public string Name { get; }

    /// <summary>Name of the port's interface (the same as <see cref="Name"/> except for bonds).</summary>
    public string Interface { get; }

    /// <summary>Interface type: <c>""</c> for a kernel device (veth, tap), <c>internal</c>, <c>patch</c>, …</summary>
    public string InterfaceType { get; }

    /// <summary>OpenFlow port number; -1 when the interface could not be opened, null before ovs-vswitchd assigned it.</summary>
    public int? OfPort { get; }

    /// <summary>
    /// 802.1Q mode: <c>access</c>, <c>trunk</c>, <c>native-untagged</c>, <c>native-tagged</c>; when OVS has no explicit mode,
    /// the effective one (<c>access</c> with a tag, <c>trunk</c> with trunks), or null for a normal port carrying all VLANs.
    /// </summary>
    public string? VlanMode { get; }

    /// <summary>Access VLAN (1–4094), or the native VLAN of a native-* trunk; null when unset.</summary>
    public int? Tag { get; }

    /// <summary>VLANs a trunk port carries, ascending; empty = all VLANs (or an access port).</summary>
    public IReadOnlyList<int> Trunks { get; }

    /// <summary>
    /// The interface error OVS reports (e.g. <c>could not open network device X (No such device)</c>); for a system device that
    /// vanished after it was connected (OVS only notices on its next restart) NetNs says so; else null.
    /// </summary>
    public string? Error { get; }

    /// <summary>Whether tx checksum offload is on for the interface in the root namespace; null when unknown (no such device).</summary>
    public bool? TxChecksumOffload { get; }

    /// <summary>For a veth: the other end's name, when known.</summary>
    public string? PeerName { get; }

    /// <summary>For a veth: the other end's namespace ("" = root), when known.</summary>
    public string? PeerNamespace { get; }

    /// <summary>False only for the object passed on under -WhatIf (nothing was created).</summary>
    public bool Exists { get; }

    /// <summary>A copy with the veth peer and offload state filled in, and <paramref name="error"/> when OVS reports none.</summary>
    public OvsPort With(bool? txChecksumOffload, string? peerName, string? peerNamespace, string? error = null) =>
        new(Bridge, Name, Interface, InterfaceType, OfPort, VlanMode, Tag, Trunks, Error ?? error, txChecksumOffload, peerName, peerNamespace, Exists);

    /// <inheritdoc />
    public override string ToString() => Bridge + "/" + Name;
}
