namespace NetNs.Core.Netlink;

internal static partial class RtnlMessages
{
    private const ushort IflaAfSpec = 26, IflaInet6AddrGenMode = 8;

    /// <summary>IN6_ADDR_GEN_MODE_NONE: the kernel generates no IPv6 link-local address for the link.</summary>
    internal const byte AddrGenModeNone = 1;

    /// <summary>
    /// RTM_NEWLINK of an existing link by name carrying IFLA_AF_SPEC { AF_INET6 { IFLA_INET6_ADDR_GEN_MODE } }: what
    /// <c>ip link set dev NAME addrgenmode none</c> sends. Sent before the link goes up, the link gets no IPv6 link-local
    /// address, so it sends no duplicate address detection, router or MLD solicitations for one.
    /// </summary>
    internal static byte[] SetAddrGenMode(uint seq, string name, byte mode = AddrGenModeNone)
    {
        var inet6 = new List<byte>();
        Attr(inet6, IflaInet6AddrGenMode, new[] { mode });
        var spec = new List<byte>();
        Attr(spec, AfInet6, inet6.ToArray());
        var m = new List<byte>(new byte[16]);
        Attr(m, IflaIfname, Cstr(name));
        Attr(m, IflaAfSpec, spec.ToArray());
        return Message(RtmNewLink, (ushort)(FRequest | FAck), seq, m);
    }
}
