using System.Globalization;
using System.Net;
using System.Net.Sockets;
using NetNs.Core.Errors;
using NetNs.Core.Netlink;
using NetNs.Core.Validation;

namespace NetNs.Core.Routes;

/// <summary>
/// A route as the user names it, checked before anything reaches the kernel: a destination in CIDR form (network address,
/// prefix within the family) or <c>default</c>, an optional gateway of the same family, an optional output interface, an
/// optional metric and a table (main when not given). One ErrorId per rule, all InvalidArgument:
/// <c>InvalidRouteDestination</c>, <c>InvalidGateway</c>, <c>InvalidInterfaceName</c>, <c>InvalidRouteTable</c>,
/// <c>NextHopRequired</c>.
/// </summary>
internal sealed class RouteSpec
{
    private RouteSpec(AddressFamily family, IPAddress destination, int prefixLength, IPAddress? gateway, string? @interface, uint? metric, uint table)
    {
        Family = family;
        Destination = destination;
        PrefixLength = prefixLength;
        Gateway = gateway;
        Interface = @interface;
        Metric = metric;
        Table = table;
    }

    /// <summary>InterNetwork or InterNetworkV6.</summary>
    public AddressFamily Family { get; }

    /// <summary>The destination network (0.0.0.0 or :: for the default route).</summary>
    public IPAddress Destination { get; }

    /// <summary>The destination's prefix length; 0 for the default route.</summary>
    public int PrefixLength { get; }

    /// <summary>The next hop, or null for a route straight out of <see cref="Interface"/>.</summary>
    public IPAddress? Gateway { get; }

    /// <summary>The output interface, or null to let the kernel pick it from the gateway.</summary>
    public string? Interface { get; }

    /// <summary>The metric (RTA_PRIORITY); null for the kernel's default (0 for IPv4, 1024 for IPv6).</summary>
    public uint? Metric { get; }

    /// <summary>The routing table (254 = main).</summary>
    public uint Table { get; }

    /// <summary>The destination as <c>ip route</c> shows it: <c>default</c>, a host address without /32 or /128, or network/prefix.</summary>
    public string DestinationText => FormatDestination(Destination, PrefixLength);

    /// <summary>"IPv4" or "IPv6".</summary>
    public string FamilyName => FamilyText(Family);

    /// <summary>"IPv4" or "IPv6" for a family.</summary>
    public static string FamilyText(AddressFamily family) => family == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4";

    /// <summary>The destination as <c>ip route</c> shows it.</summary>
    public static string FormatDestination(IPAddress? destination, int prefixLength)
    {
        if (prefixLength == 0 || destination is null) return "default";
        var max = destination.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        return prefixLength == max ? destination.ToString() : destination + "/" + prefixLength.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Checks a route. <paramref name="family"/> ("IPv4", "IPv6" or null) picks the family of <c>default</c>; with a
    /// destination or gateway it must agree with them. A destination without a prefix is a host route (/32, /128).
    /// <paramref name="requireNextHop"/> (adding) asks for a gateway or an interface.
    /// </summary>
    /// <exception cref="NetNsException">One of the ErrorIds of the class, InvalidArgument.</exception>
    public static RouteSpec Create(string? destination, string? gateway, string? @interface, uint? metric, uint? table, string? family, bool requireNextHop)
    {
        AddressFamily? wanted = family switch
        {
            null or "" => null,
            _ when family.Equals("IPv4", StringComparison.OrdinalIgnoreCase) => AddressFamily.InterNetwork,
            _ when family.Equals("IPv6", StringComparison.OrdinalIgnoreCase) => AddressFamily.InterNetworkV6,
            _ => throw new NetNsException("InvalidRouteDestination", NetNsErrorCategory.InvalidArgument, $"Invalid -Family '{Validate.Printable(family)}': expected IPv4 or IPv6.", family),
        };
        IPAddress? gw = null;
        if (!string.IsNullOrEmpty(gateway))
        {
            if (gateway.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)) || !IPAddress.TryParse(gateway, out gw) || gateway.Contains('%') || gateway.Contains('/') || (gw.AddressFamily == AddressFamily.InterNetwork && gateway.Count(c => c == '.') != 3))
                throw Bad("InvalidGateway", gateway, "-Gateway", "expected an IPv4 or IPv6 address such as 10.0.0.254 (no prefix length).");
            if (gw.Equals(IPAddress.Any) || gw.Equals(IPAddress.IPv6Any) || IsMulticast(gw) || gw.Equals(IPAddress.Broadcast))
                throw Bad("InvalidGateway", gateway, "-Gateway", "a gateway is a unicast address of a neighbour.");
            if (wanted is not null && gw.AddressFamily != wanted)
                throw Bad("InvalidGateway", gateway, "-Gateway", $"it is an {FamilyText(gw.AddressFamily)} address but the route is {FamilyText(wanted.Value)}.");
        }
        // No trimming: a destination with whitespace or control characters (a newline pasted along) is refused, not repaired.
        var text = destination ?? string.Empty;
        if (text.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            throw Bad("InvalidRouteDestination", destination, "-Destination", "it holds whitespace or control characters.");
        IPAddress dst;
        int prefix;
        if (text.Equals("default", StringComparison.OrdinalIgnoreCase))
        {
            var f = wanted ?? gw?.AddressFamily ?? AddressFamily.InterNetwork;
            dst = f == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any;
            prefix = 0;
        }
        else
        {
            if (text.StartsWith("default/", StringComparison.OrdinalIgnoreCase))
                throw Bad("InvalidRouteDestination", destination, "-Destination", "'default' takes no prefix length; write 'default' (or 0.0.0.0/0, ::/0).");
            if (text.Length == 0) throw Bad("InvalidRouteDestination", destination, "-Destination", "it is empty; give a network in CIDR form such as 10.1.0.0/16, or 'default'.");
            var withPrefix = text.Contains('/') ? text : text + (text.Contains(':') ? "/128" : "/32");
            if (!Validate.TryCidr(withPrefix, out var ip, out prefix, out var why))
                throw Bad("InvalidRouteDestination", destination, "-Destination", why);
            dst = ip!;
            var network = Network(dst, prefix);
            if (!network.Equals(dst))
                throw Bad("InvalidRouteDestination", destination, "-Destination", $"host bits are set; the network of this prefix is {network}/{prefix}.");
            if (wanted is not null && dst.AddressFamily != wanted)
                throw Bad("InvalidRouteDestination", destination, "-Destination", $"it is an {FamilyText(dst.AddressFamily)} network but -Family is {FamilyText(wanted.Value)}.");
        }
        if (gw is not null && gw.AddressFamily != dst.AddressFamily)
            throw Bad("InvalidGateway", gateway, "-Gateway", $"it is an {FamilyText(gw.AddressFamily)} address but the destination {FormatDestination(dst, prefix)} is {FamilyText(dst.AddressFamily)}; a route's gateway is of the destination's family.");
        if (!string.IsNullOrEmpty(@interface)) Validate.InterfaceName(@interface, "Interface");
        else @interface = null;
        if (gw is not null && gw.IsIPv6LinkLocal && @interface is null)
            throw Bad("InvalidGateway", gateway, "-Gateway", "a link-local gateway (fe80::/10) is only valid on one link; name it with -Interface.");
        if (requireNextHop && gw is null && @interface is null)
            throw new NetNsException("NextHopRequired", NetNsErrorCategory.InvalidArgument,
                $"The route to {FormatDestination(dst, prefix)} needs a next hop: give -Gateway (the neighbour that forwards it), -Interface (a directly connected link), or both.", destination);
        if (table is 0)
            throw new NetNsException("InvalidRouteTable", NetNsErrorCategory.InvalidArgument,
                "Invalid routing table 0 for -Table: 0 means no table; give 1 to 4294967295 (254 is main, 255 local, 253 default).", table);
        return new RouteSpec(dst.AddressFamily, dst, prefix, gw, @interface, metric, table ?? RtnlMessages.TableMain);
    }

    /// <summary>The arguments of <c>ip [-6] route VERB …</c> for this route (after <c>-n NS</c>): what -Verbose and -WhatIf show.</summary>
    public List<string> IpArguments(string verb)
    {
        var a = new List<string>();
        if (Family == AddressFamily.InterNetworkV6) a.Add("-6");
        a.AddRange(new[] { "route", verb, DestinationText });
        if (Gateway is not null) { a.Add("via"); a.Add(Gateway.ToString()); }
        if (Interface is not null) { a.Add("dev"); a.Add(Interface); }
        if (Metric is not null) { a.Add("metric"); a.Add(Metric.Value.ToString(CultureInfo.InvariantCulture)); }
        if (Table != RtnlMessages.TableMain) { a.Add("table"); a.Add(Table.ToString(CultureInfo.InvariantCulture)); }
        return a;
    }

    /// <summary>The network address of <paramref name="ip"/>/<paramref name="prefix"/> (host bits cleared).</summary>
    public static IPAddress Network(IPAddress ip, int prefix)
    {
        var b = ip.GetAddressBytes();
        for (var i = 0; i < b.Length; i++)
        {
            var bits = Math.Clamp(prefix - i * 8, 0, 8);
            b[i] &= (byte)(0xff << (8 - bits));
        }
        return new IPAddress(b);
    }

    private static bool IsMulticast(IPAddress ip) =>
        ip.AddressFamily == AddressFamily.InterNetwork ? (ip.GetAddressBytes()[0] & 0xf0) == 0xe0 : ip.IsIPv6Multicast;

    private static NetNsException Bad(string id, string? value, string parameter, string why) =>
        new(id, NetNsErrorCategory.InvalidArgument, $"Invalid value '{Validate.Printable(value)}' for {parameter}: {why}", value);
}
