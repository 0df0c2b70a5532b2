using System.Net.Sockets;

namespace NetNs.Core.Models;

/// <summary>An IPv4 or IPv6 address assigned to a link (<c>ip address</c>).</summary>
public sealed class NetAddress
{
    /// <summary>Creates the object.</summary>
    public NetAddress(string @namespace, string name, string address, int prefixLength, AddressFamily family, string scope, bool dynamic = false)
    {
        Namespace = @namespace;
        Name = name;
        Address = address;
        PrefixLength = prefixLength;
        Family = family == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4";
        Scope = scope;
        Dynamic = dynamic;
    }

    /// <summary>Namespace of the link ("" = root).</summary>
    public string Namespace { get; }

    /// <summary>Name of the link holding the address.</summary>
    public string Name { get; }

    /// <summary>The address without prefix, e.g. 10.0.0.1.</summary>
    public string Address { get; }

    /// <summary>Prefix length in bits (0–32 for IPv4, 0–128 for IPv6).</summary>
    public int PrefixLength { get; }

    /// <summary><c>IPv4</c> or <c>IPv6</c>.</summary>
    public string Family { get; }

    /// <summary>Scope as the kernel reports it: <c>global</c>, <c>link</c>, <c>host</c>.</summary>
    public string Scope { get; }

    /// <summary>True for an address with a lifetime (learnt from DHCP or SLAAC).</summary>
    public bool Dynamic { get; }

    /// <summary>The address in CIDR form, e.g. 10.0.0.1/24.</summary>
    public string Cidr => Address + "/" + PrefixLength;

    /// <inheritdoc />
    public override string ToString() => Cidr;
}
