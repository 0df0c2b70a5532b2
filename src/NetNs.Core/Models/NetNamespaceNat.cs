namespace NetNs.Core.Models;

/// <summary>The way out of a namespace to what the host reaches: a veth pair to the root namespace and source NAT (masquerade) there.</summary>
public sealed class NetNamespaceNat
{
    /// <summary>Creates the object.</summary>
    public NetNamespaceNat(string @namespace, string @interface, string address, string hostInterface, string gateway, bool exists = true)
    {
        Namespace = @namespace;
        Interface = @interface;
        Address = address;
        HostInterface = hostInterface;
        Gateway = gateway;
        Exists = exists;
    }

    /// <summary>The namespace that reaches the outside.</summary>
    public string Namespace { get; }

    /// <summary>Its end of the NAT link (in the namespace).</summary>
    public string Interface { get; }

    /// <summary>The namespace's address on the NAT link, CIDR.</summary>
    public string Address { get; }

    /// <summary>The root namespace's end of the NAT link.</summary>
    public string HostInterface { get; }

    /// <summary>The root namespace's address on the NAT link: the namespace's default gateway.</summary>
    public string Gateway { get; }

    /// <summary>False only for the object Enable-NetNamespaceNat passes on under -WhatIf.</summary>
    public bool Exists { get; }

    /// <inheritdoc />
    public override string ToString() => Namespace + " -> " + HostInterface;
}
