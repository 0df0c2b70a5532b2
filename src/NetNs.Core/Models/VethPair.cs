namespace NetNs.Core.Models;

/// <summary>
/// A virtual Ethernet pair (<c>ip link add … type veth peer …</c>): two interfaces joined like
/// a cable. <see cref="Name"/> is the first end, <see cref="PeerName"/> the second.
/// </summary>
public sealed class VethPair
{
    /// <summary>Creates the object.</summary>
    public VethPair(string name, string @namespace, string peerName, string peerNamespace, int? mtu, bool exists = true)
    {
        Name = name;
        Namespace = @namespace;
        PeerName = peerName;
        PeerNamespace = peerNamespace;
        Mtu = mtu;
        Exists = exists;
    }

    /// <summary>First end's name.</summary>
    public string Name { get; }

    /// <summary>Namespace of the first end ("" = root).</summary>
    public string Namespace { get; }

    /// <summary>Second end's name.</summary>
    public string PeerName { get; }

    /// <summary>Namespace of the second end ("" = root).</summary>
    public string PeerNamespace { get; }

    /// <summary>MTU of both ends in bytes, or null when left at the kernel default (1500).</summary>
    public int? Mtu { get; }

    /// <summary>False only for the object passed on under -WhatIf (nothing was created).</summary>
    public bool Exists { get; }

    /// <summary>The end that lives in the root namespace, or null when both ends are in named namespaces.</summary>
    public string? RootEnd => PeerNamespace.Length == 0 ? PeerName : Namespace.Length == 0 ? Name : null;

    /// <inheritdoc />
    public override string ToString() => $"{(Namespace.Length == 0 ? "" : Namespace + "/")}{Name} <-> {(PeerNamespace.Length == 0 ? "" : PeerNamespace + "/")}{PeerName}";
}
