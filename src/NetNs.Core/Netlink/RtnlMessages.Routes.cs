using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using NetNs.Core.Routes;

namespace NetNs.Core.Netlink;

/// <summary>A route as the kernel reports it in an RTM_NEWROUTE message (struct rtmsg and its attributes, rtnetlink(7)).</summary>
internal sealed record KernelRoute
{
    /// <summary>AF_INET (2) or AF_INET6 (10).</summary>
    public byte Family { get; init; }

    /// <summary>rtm_dst_len: the destination's prefix length; 0 for the default route.</summary>
    public byte DestinationLength { get; init; }

    /// <summary>The table: RTA_TABLE when present, else rtm_table.</summary>
    public uint Table { get; init; }

    /// <summary>rtm_protocol (RTPROT_*: 2 kernel, 3 boot, 4 static, 16 dhcp …).</summary>
    public byte Protocol { get; init; }

    /// <summary>rtm_scope (RT_SCOPE_*: 0 universe, 253 link, 254 host).</summary>
    public byte Scope { get; init; }

    /// <summary>rtm_type (RTN_*: 1 unicast, 2 local, 3 broadcast …).</summary>
    public byte Type { get; init; }

    /// <summary>rtm_flags (RTM_F_CLONED = 0x200 marks a cache entry).</summary>
    public uint Flags { get; init; }

    /// <summary>RTA_DST; null for the default route.</summary>
    public IPAddress? Destination { get; init; }

    /// <summary>RTA_GATEWAY; null for a directly connected route.</summary>
    public IPAddress? Gateway { get; init; }

    /// <summary>RTA_OIF: the output interface's index.</summary>
    public int? OutputIndex { get; init; }

    /// <summary>RTA_PRIORITY: the metric; null when the kernel sent none (IPv4 metric 0).</summary>
    public uint? Priority { get; init; }

    /// <summary>RTA_PREFSRC: the preferred source address.</summary>
    public IPAddress? PreferredSource { get; init; }
}

/// <summary>Route requests: what <c>ip route add|del|show</c> send.</summary>
internal static partial class RtnlMessages
{
    /// <summary>RTM_NEWROUTE.</summary>
    internal const ushort RtmNewRoute = 24;
    /// <summary>RTM_DELROUTE.</summary>
    internal const ushort RtmDelRoute = 25;
    /// <summary>RTM_GETROUTE.</summary>
    internal const ushort RtmGetRoute = 26;

    /// <summary>RT_TABLE_MAIN.</summary>
    internal const uint TableMain = 254;
    /// <summary>RT_TABLE_LOCAL.</summary>
    internal const uint TableLocal = 255;
    /// <summary>RT_TABLE_DEFAULT.</summary>
    internal const uint TableDefault = 253;
    /// <summary>RTPROT_BOOT: what <c>ip route add</c> gives a route when no protocol is named.</summary>
    internal const byte ProtocolBoot = 3;
    /// <summary>RT_SCOPE_NOWHERE: what <c>ip route del</c> sends to match a route of any scope.</summary>
    internal const byte ScopeNowhere = 255;
    /// <summary>RTN_UNICAST.</summary>
    internal const byte TypeUnicast = 1;
    /// <summary>RTM_F_CLONED: a route cache entry (never shown by <c>ip route show</c>).</summary>
    internal const uint RouteFlagCloned = 0x200;

    private const ushort RtaDst = 1, RtaOif = 4, RtaGateway = 5, RtaPriority = 6, RtaPrefSrc = 7, RtaTable = 15;
    private const byte AfInet = 2, AfInet6 = 10;

    /// <summary>The address family byte of <paramref name="family"/>: AF_INET or AF_INET6.</summary>
    internal static byte FamilyByte(AddressFamily family) => family == AddressFamily.InterNetworkV6 ? AfInet6 : AfInet;

    /// <summary>
    /// RTM_NEWROUTE (create, exclusive): what <c>ip route add DEST [via GW] [dev NAME] [metric M] [table T]</c> sends:
    /// protocol boot, type unicast, scope universe when there is a gateway and link when there is none (IPv4; IPv6 routes
    /// are always universe), RTA_TABLE besides rtm_table for tables above 255.
    /// </summary>
    internal static byte[] NewRoute(uint seq, RouteSpec route, int? outputIndex)
    {
        var scope = route.Family == AddressFamily.InterNetwork && route.Gateway is null ? ScopeLink : ScopeGlobal;
        return Route(RtmNewRoute, (ushort)(FRequest | FAck | FCreate | FExcl), seq, route, outputIndex, ProtocolBoot, scope, TypeUnicast);
    }

    /// <summary>
    /// RTM_DELROUTE: what <c>ip route del DEST [via GW] [dev NAME] [metric M] [table T]</c> sends: protocol and type
    /// unspecified, scope nowhere, so the kernel deletes the first route of the table matching what is given.
    /// </summary>
    internal static byte[] DeleteRoute(uint seq, RouteSpec route, int? outputIndex) =>
        Route(RtmDelRoute, (ushort)(FRequest | FAck), seq, route, outputIndex, 0, ScopeNowhere, 0);

    private static byte[] Route(ushort type, ushort flags, uint seq, RouteSpec route, int? outputIndex, byte protocol, byte scope, byte routeType)
    {
        var table = route.Table;
        var m = new List<byte>
        {
            FamilyByte(route.Family), (byte)route.PrefixLength, 0, 0,
            (byte)(table < 256 ? table : 0), protocol, scope, routeType,
            0, 0, 0, 0, // rtm_flags
        };
        if (route.PrefixLength > 0) Attr(m, RtaDst, route.Destination.GetAddressBytes());
        if (route.Gateway is not null) Attr(m, RtaGateway, route.Gateway.GetAddressBytes());
        if (outputIndex is not null) Attr(m, RtaOif, U32((uint)outputIndex.Value));
        if (route.Metric is not null) Attr(m, RtaPriority, U32(route.Metric.Value));
        if (table >= 256) Attr(m, RtaTable, U32(table));
        return Message(type, flags, seq, m);
    }

    /// <summary>
    /// RTM_GETROUTE dump of one family (AF_UNSPEC = both): what <c>ip [-4|-6] route show table all</c> sends; the replies
    /// are RTM_NEWROUTE messages (<see cref="ParseRoute"/>), filtered by the caller as <c>ip</c> filters them.
    /// </summary>
    internal static byte[] GetRoutes(uint seq, AddressFamily? family)
    {
        var m = new List<byte>(new byte[12]);
        m[0] = family is null ? (byte)0 : FamilyByte(family.Value);
        return Message(RtmGetRoute, (ushort)(FRequest | FDump), seq, m);
    }

    /// <summary>Parses an RTM_NEWROUTE message; null when it is not one.</summary>
    internal static KernelRoute? ParseRoute(ReadOnlySpan<byte> message)
    {
        if (message.Length < 28 || BinaryPrimitives.ReadUInt16LittleEndian(message[4..]) != RtmNewRoute) return null;
        var family = message[16];
        if (family != AfInet && family != AfInet6) return null;
        uint table = message[20];
        IPAddress? dst = null, gateway = null, prefsrc = null;
        int? oif = null;
        uint? priority = null;
        var addressLength = family == AfInet ? 4 : 16;
        foreach (var (type, payload) in Attributes(message[28..Length(message)]))
        {
            switch (type)
            {
                case RtaDst when payload.Length == addressLength: dst = new IPAddress(payload); break;
                case RtaGateway when payload.Length == addressLength: gateway = new IPAddress(payload); break;
                case RtaPrefSrc when payload.Length == addressLength: prefsrc = new IPAddress(payload); break;
                case RtaOif when payload.Length >= 4: oif = BinaryPrimitives.ReadInt32LittleEndian(payload); break;
                case RtaPriority when payload.Length >= 4: priority = BinaryPrimitives.ReadUInt32LittleEndian(payload); break;
                case RtaTable when payload.Length >= 4: table = BinaryPrimitives.ReadUInt32LittleEndian(payload); break;
            }
        }
        return new KernelRoute
        {
            Family = family,
            DestinationLength = message[17],
            Table = table,
            Protocol = message[21],
            Scope = message[22],
            Type = message[23],
            Flags = BinaryPrimitives.ReadUInt32LittleEndian(message[24..]),
            Destination = dst,
            Gateway = gateway,
            OutputIndex = oif,
            Priority = priority,
            PreferredSource = prefsrc,
        };
    }

    /// <summary>The name <c>ip</c> shows for a route protocol (rt_protos): kernel, boot, static, dhcp, ra …, or the number.</summary>
    internal static string ProtocolName(byte protocol) => protocol switch
    {
        0 => "unspec",
        1 => "redirect",
        2 => "kernel",
        3 => "boot",
        4 => "static",
        9 => "ra",
        11 => "zebra",
        12 => "bird",
        16 => "dhcp",
        18 => "keepalived",
        42 => "babel",
        186 => "bgp",
        187 => "isis",
        188 => "ospf",
        189 => "rip",
        _ => protocol.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>The name <c>ip</c> shows for a route type: unicast, local, broadcast …</summary>
    internal static string RouteTypeName(byte type) => type switch
    {
        1 => "unicast",
        2 => "local",
        3 => "broadcast",
        4 => "anycast",
        5 => "multicast",
        6 => "blackhole",
        7 => "unreachable",
        8 => "prohibit",
        9 => "throw",
        10 => "nat",
        _ => type.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
