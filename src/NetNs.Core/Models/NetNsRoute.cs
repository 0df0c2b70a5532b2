namespace NetNs.Core.Models;

/// <summary>A route of a namespace's routing table (<c>ip route</c>).</summary>
public sealed class NetNsRoute
{
    /// <summary>Creates the object.</summary>
    public NetNsRoute(string @namespace, string family, string destination, string? gateway, string? @interface, uint metric, uint table,
        string protocol, string scope, string type, string? preferredSource, bool exists = true)
    {
        Namespace = @namespace;
        Family = family;
        Destination = destination;
        Gateway = gateway;
        Interface = @interface;
        Metric = metric;
        Table = table;
        Protocol = protocol;
        Scope = scope;
        Type = type;
        PreferredSource = preferredSource;
        Exists = exists;
    }

    /// <summary>The namespace whose table holds the route ("" = root).</summary>
    public string Namespace { get; }

    /// <summary><c>IPv4</c> or <c>IPv6</c>.</summary>
    public string Family { get; }

    /// <summary>The destination as <c>ip route</c> shows it: <c>default</c>, a network such as 10.1.0.0/16, or a host address.</summary>
    public string Destination { get; }

    /// <summary>The next hop (<c>via</c>), or null for a directly connected route.</summary>
    public string? Gateway { get; }

    /// <summary>The output interface (<c>dev</c>), or null when it has none (e.g. an unreachable route).</summary>
    public string? Interface { get; }

    /// <summary>The metric (<c>metric</c>): 0 when none was given for IPv4, 1024 for IPv6; lower wins.</summary>
    public uint Metric { get; }

    /// <summary>The routing table: 254 is main (the default), 255 local, 253 default.</summary>
    public uint Table { get; }

    /// <summary>Who added it: <c>kernel</c> (a connected subnet), <c>boot</c> (ip route add, NetNs), <c>static</c>, <c>dhcp</c>, <c>ra</c> …</summary>
    public string Protocol { get; }

    /// <summary>The scope: <c>global</c> (via a gateway), <c>link</c> (directly connected), <c>host</c>.</summary>
    public string Scope { get; }

    /// <summary>The route type: <c>unicast</c> for ordinary routes.</summary>
    public string Type { get; }

    /// <summary>The source address the kernel prefers for traffic on this route (<c>src</c>), or null.</summary>
    public string? PreferredSource { get; }

    /// <summary>False only for the object Add-NetNsRoute passes on under -WhatIf (nothing was added).</summary>
    public bool Exists { get; }

    /// <inheritdoc />
    public override string ToString() => Destination + (Gateway is null ? "" : " via " + Gateway) + (Interface is null ? "" : " dev " + Interface);
}
