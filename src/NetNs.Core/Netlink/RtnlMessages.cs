using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace NetNs.Core.Netlink;

/// <summary>A link as the kernel reports it in an RTM_NEWLINK reply (rtnetlink(7)).</summary>
public sealed class RtnlLink
{
    /// <summary>Creates the object.</summary>
    public RtnlLink(int index, string name, string? kind, uint flags, int? linkIndex, int? linkNetnsId)
    {
        Index = index;
        Name = name;
        Kind = kind;
        Flags = flags;
        LinkIndex = linkIndex;
        LinkNetnsId = linkNetnsId;
    }

    /// <summary>Interface index.</summary>
    public int Index { get; }

    /// <summary>Interface name (IFLA_IFNAME).</summary>
    public string Name { get; }

    /// <summary>IFLA_INFO_KIND, e.g. "veth"; null for a device without link info (e.g. lo, a physical NIC).</summary>
    public string? Kind { get; }

    /// <summary>The IFF_* flags (IFF_UP = 1).</summary>
    public uint Flags { get; }

    /// <summary>IFLA_LINK: for a veth, the peer's ifindex (in the peer's namespace).</summary>
    public int? LinkIndex { get; }

    /// <summary>IFLA_LINK_NETNSID: the netns id, as seen from this link's namespace, of the peer's namespace; null when the peer is in the same namespace.</summary>
    public int? LinkNetnsId { get; }
}

/// <summary>
/// Builds and parses rtnetlink messages (RFC 3549, rtnetlink(7)): the requests <c>ip link set</c>, <c>ip link add … type veth</c>,
/// <c>ip link show</c>, <c>ip link del</c>, <c>ip address add</c>, <c>ip netns set NAME auto</c> and <c>ip netns list-id</c> send, so that NetNs can make those changes without starting a
/// process. All integers are in host (little-endian) byte order, attributes aligned to 4 bytes.
/// </summary>
public static partial class RtnlMessages
{
    /// <summary>RTM_NEWLINK.</summary>
    public const ushort RtmNewLink = 16;
    /// <summary>RTM_DELLINK.</summary>
    public const ushort RtmDelLink = 17;
    /// <summary>RTM_GETLINK.</summary>
    public const ushort RtmGetLink = 18;
    /// <summary>RTM_NEWADDR.</summary>
    public const ushort RtmNewAddr = 20;
    /// <summary>RTM_NEWNSID.</summary>
    public const ushort RtmNewNsId = 88;
    /// <summary>RTM_GETNSID.</summary>
    public const ushort RtmGetNsId = 90;
    /// <summary>NLMSG_ERROR (also the acknowledgement, with error 0).</summary>
    public const ushort NlmsgError = 2;
    /// <summary>NLMSG_DONE: the end of a dump (its payload is an int, a negative errno when the dump failed).</summary>
    public const ushort NlmsgDone = 3;

    private const ushort FRequest = 1, FAck = 4, FDump = 0x300, FExcl = 0x200, FCreate = 0x400;
    private const ushort IflaAddress = 1, IflaIfname = 3, IflaMtu = 4, IflaLink = 5, IflaLinkinfo = 18, IflaIfalias = 20, IflaLinkNetnsId = 37;
    private const ushort IflaInfoKind = 1, IflaInfoData = 2, VethInfoPeer = 1, IflaNetNsFd = 28;
    private const ushort IfaAddress = 1, IfaLocal = 2;
    private const ushort NetnsaNsId = 1, NetnsaFd = 3;
    private const uint IffUp = 1;

    /// <summary>RT_SCOPE_UNIVERSE (global).</summary>
    public const byte ScopeGlobal = 0;
    /// <summary>RT_SCOPE_LINK.</summary>
    public const byte ScopeLink = 253;
    /// <summary>RT_SCOPE_HOST.</summary>
    public const byte ScopeHost = 254;

    /// <summary>
    /// RTM_NEWLINK changing an existing link (no create): what <c>ip link set dev NAME [up|down] [mtu M] [address MAC]
    /// [name NEW] [alias TEXT]</c> sends. With <paramref name="index"/> 0 the link is found by <paramref name="name"/>
    /// (IFLA_IFNAME); a rename needs the index (IFLA_IFNAME then carries the new name).
    /// </summary>
    public static byte[] SetLink(uint seq, int index, string name, bool? up = null, int? mtu = null, byte[]? mac = null, string? newName = null, string? alias = null)
    {
        if (newName is not null && index <= 0) throw new ArgumentException("A rename needs the interface index.", nameof(index));
        var m = new List<byte>();
        var body = new byte[16];
        // struct ifinfomsg: family 0, pad, type 0, index, flags, change.
        BinaryPrimitives.WriteInt32LittleEndian(body.AsSpan(4), index);
        if (up is not null)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(8), up.Value ? IffUp : 0);
            BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(12), IffUp);
        }
        m.AddRange(body);
        if (newName is not null) Attr(m, IflaIfname, Cstr(newName));
        else if (index <= 0) Attr(m, IflaIfname, Cstr(name));
        if (mtu is not null) Attr(m, IflaMtu, U32((uint)mtu.Value));
        if (mac is not null) Attr(m, IflaAddress, mac);
        if (alias is not null) Attr(m, IflaIfalias, Cstr(alias));
        return Message(RtmNewLink, (ushort)(FRequest | FAck), seq, m);
    }

    /// <summary>
    /// RTM_NEWLINK creating a veth pair (create, exclusive): what <c>ip link add name A [mtu M] [netns NS] type veth peer
    /// name B [mtu M] [netns PNS]</c> sends. Each end is created directly in the namespace open as its fd (IFLA_NET_NS_FD;
    /// null = the socket's namespace), both with the MTU when given.
    /// </summary>
    public static byte[] AddVeth(uint seq, string name, int? namespaceFd, string peerName, int? peerNamespaceFd, int? mtu)
    {
        var peer = new List<byte>(new byte[16]); // the peer's struct ifinfomsg
        Attr(peer, IflaIfname, Cstr(peerName));
        if (mtu is not null) Attr(peer, IflaMtu, U32((uint)mtu.Value));
        if (peerNamespaceFd is not null) Attr(peer, IflaNetNsFd, U32((uint)peerNamespaceFd.Value));
        var data = new List<byte>();
        Attr(data, VethInfoPeer, peer.ToArray());
        var info = new List<byte>();
        Attr(info, IflaInfoKind, Cstr("veth"));
        Attr(info, IflaInfoData, data.ToArray());
        var m = new List<byte>(new byte[16]);
        Attr(m, IflaIfname, Cstr(name));
        if (mtu is not null) Attr(m, IflaMtu, U32((uint)mtu.Value));
        if (namespaceFd is not null) Attr(m, IflaNetNsFd, U32((uint)namespaceFd.Value));
        Attr(m, IflaLinkinfo, info.ToArray());
        return Message(RtmNewLink, (ushort)(FRequest | FAck | FCreate | FExcl), seq, m);
    }

    /// <summary>RTM_NEWLINK for an existing link by name: IFF_UP, and IFLA_IFALIAS when given.</summary>
    public static byte[] LinkUp(uint seq, string name, string? alias) => SetLink(seq, 0, name, up: true, alias: alias);

    /// <summary>RTM_GETLINK of one link by name (IFLA_IFNAME); the reply is an RTM_NEWLINK (<see cref="ParseLink"/>).</summary>
    public static byte[] GetLink(uint seq, string name)
    {
        var m = new List<byte>(new byte[16]);
        Attr(m, IflaIfname, Cstr(name));
        return Message(RtmGetLink, FRequest, seq, m);
    }

    /// <summary>
    /// RTM_GETLINK dump (NLM_F_DUMP) of every link of the socket's namespace: what <c>ip link show</c> sends. The replies
    /// are one RTM_NEWLINK per link (<see cref="ParseLink"/>), then NLMSG_DONE (<see cref="RtnlSocket.Dump"/>).
    /// </summary>
    public static byte[] GetLinks(uint seq) => Message(RtmGetLink, (ushort)(FRequest | FDump), seq, new List<byte>(new byte[16]));

    /// <summary>RTM_DELLINK of the link with index <paramref name="index"/>: what <c>ip link del dev NAME</c> sends (after looking up the index).</summary>
    public static byte[] DeleteLink(uint seq, int index)
    {
        var body = new byte[16];
        BinaryPrimitives.WriteInt32LittleEndian(body.AsSpan(4), index);
        return Message(RtmDelLink, (ushort)(FRequest | FAck), seq, new List<byte>(body));
    }

    /// <summary>
    /// The scope <c>ip address add</c> gives an address when none is named (iproute2's default_scope, and the kernel's
    /// for IPv6): host for 127.0.0.0/8 and ::1, link for fe80::/10, else global.
    /// </summary>
    public static byte DefaultScope(IPAddress ip)
    {
        if (ip.AddressFamily == AddressFamily.InterNetwork) return ip.GetAddressBytes()[0] == 127 ? ScopeHost : ScopeGlobal;
        if (IPAddress.IPv6Loopback.Equals(ip)) return ScopeHost;
        return ip.IsIPv6LinkLocal ? ScopeLink : ScopeGlobal;
    }

    /// <summary>The name <c>ip</c> shows for a scope: global, link, host, or the number.</summary>
    public static string ScopeName(byte scope) => scope switch
    {
        ScopeGlobal => "global",
        ScopeLink => "link",
        ScopeHost => "host",
        _ => scope.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// RTM_NEWADDR (create, exclusive) of a CIDR address on interface <paramref name="index"/>, with IFA_LOCAL and
    /// IFA_ADDRESS and the default scope (<see cref="DefaultScope"/>): what <c>ip address add CIDR dev NAME</c> sends;
    /// with <paramref name="noDad"/> the flag IFA_F_NODAD (<c>… nodad</c>: an IPv6 address is usable at once, without
    /// duplicate address detection).
    /// </summary>
    public static byte[] AddAddress(uint seq, uint index, string cidr, bool noDad = false)
    {
        var (ip, prefix) = Validation.Validate.Cidr(cidr);
        var bytes = ip.GetAddressBytes();
        var scope = ip.AddressFamily == AddressFamily.InterNetwork ? DefaultScope(ip) : ScopeGlobal;
        var m = new List<byte>
        {
            (byte)(ip.AddressFamily == AddressFamily.InterNetwork ? 2 : 10), (byte)prefix, noDad ? IfaFNoDad : (byte)0, scope,
        };
        m.AddRange(U32(index));
        Attr(m, IfaLocal, bytes);
        Attr(m, IfaAddress, bytes);
        return Message(RtmNewAddr, (ushort)(FRequest | FAck | FCreate | FExcl), seq, m);
    }

    /// <summary>
    /// RTM_NEWNSID giving the namespace open as <paramref name="fd"/> a netns id in the socket's namespace, picked by the
    /// kernel (NETNSA_NSID -1): what <c>ip netns set NAME auto</c> sends.
    /// </summary>
    public static byte[] NewNsId(uint seq, int fd)
    {
        var m = new List<byte> { 0, 0, 0, 0 }; // struct rtgenmsg (AF_UNSPEC), padded
        Attr(m, NetnsaFd, U32((uint)fd));
        Attr(m, NetnsaNsId, U32(unchecked((uint)-1)));
        return Message(RtmNewNsId, (ushort)(FRequest | FAck), seq, m);
    }

    /// <summary>RTM_GETNSID of the namespace open as <paramref name="fd"/>; the reply carries NETNSA_NSID (<see cref="ParseNsId"/>).</summary>
    public static byte[] GetNsId(uint seq, int fd)
    {
        var m = new List<byte> { 0, 0, 0, 0 };
        Attr(m, NetnsaFd, U32((uint)fd));
        return Message(RtmGetNsId, FRequest, seq, m);
    }

    /// <summary>The NETNSA_NSID of an RTM_NEWNSID reply; null when there is none or it is -1 (not assigned).</summary>
    public static int? ParseNsId(ReadOnlySpan<byte> message)
    {
        if (message.Length < 20) return null;
        foreach (var (type, payload) in Attributes(message[20..Length(message)]))
        {
            if (type == NetnsaNsId && payload.Length >= 4)
            {
                var id = BinaryPrimitives.ReadInt32LittleEndian(payload);
                return id < 0 ? null : id;
            }
        }
        return null;
    }

    /// <summary>Parses an RTM_NEWLINK message (a reply to <see cref="GetLink"/> or one of a <see cref="GetLinks"/> dump); null when it is not one.</summary>
    public static RtnlLink? ParseLink(ReadOnlySpan<byte> message)
    {
        if (message.Length < 32 || BinaryPrimitives.ReadUInt16LittleEndian(message[4..]) != RtmNewLink) return null;
        var index = BinaryPrimitives.ReadInt32LittleEndian(message[20..]);
        var flags = BinaryPrimitives.ReadUInt32LittleEndian(message[24..]);
        string name = "";
        string? kind = null;
        int? link = null, nsid = null;
        foreach (var (type, payload) in Attributes(message[32..Length(message)]))
        {
            switch (type)
            {
                case IflaIfname: name = CString(payload); break;
                case IflaLink when payload.Length >= 4: link = BinaryPrimitives.ReadInt32LittleEndian(payload); break;
                case IflaLinkNetnsId when payload.Length >= 4: nsid = BinaryPrimitives.ReadInt32LittleEndian(payload); break;
                case IflaLinkinfo:
                    foreach (var (t, p) in Attributes(payload))
                        if (t == IflaInfoKind) kind = CString(p);
                    break;
            }
        }
        return new RtnlLink(index, name, kind, flags, link, nsid);
    }

    /// <summary>
    /// The error of an NLMSG_ERROR message: the errno (positive; 0 is an acknowledgement) and the extended-ack text
    /// (NLMSGERR_ATTR_MSG) when the kernel sent one.
    /// </summary>
    public static (int Errno, string? Message) ParseError(ReadOnlySpan<byte> message)
    {
        var len = Length(message);
        var error = BinaryPrimitives.ReadInt32LittleEndian(message[16..]);
        if (error == 0) return (0, null);
        var flags = BinaryPrimitives.ReadUInt16LittleEndian(message[6..]);
        string? text = null;
        // NLM_F_ACK_TLVS: TLVs follow the echoed request header (NLM_F_CAPPED: only its 16 bytes).
        if ((flags & 0x200) != 0 && len > 36)
        {
            foreach (var (type, payload) in Attributes(message[36..len]))
                if (type == 1) text = CString(payload);
        }
        return (-error, text);
    }

    private static int Length(ReadOnlySpan<byte> message) => Math.Min(message.Length, (int)BinaryPrimitives.ReadUInt32LittleEndian(message));

    private static List<(ushort Type, byte[] Payload)> Attributes(ReadOnlySpan<byte> tlvs)
    {
        var list = new List<(ushort, byte[])>();
        var off = 0;
        while (off + 4 <= tlvs.Length)
        {
            var len = BinaryPrimitives.ReadUInt16LittleEndian(tlvs[off..]);
            var type = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(tlvs[(off + 2)..]) & 0x3fff);
            if (len < 4 || off + len > tlvs.Length) break;
            list.Add((type, tlvs.Slice(off + 4, len - 4).ToArray()));
            off += (len + 3) & ~3;
        }
        return list;
    }

    private static string CString(ReadOnlySpan<byte> b)
    {
        var end = b.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? b : b[..end]);
    }

    private static byte[] U32(uint v)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, v);
        return b;
    }

    private static byte[] Cstr(string s) => Encoding.UTF8.GetBytes(s + "\0");

    private static void Attr(List<byte> m, ushort type, byte[] payload)
    {
        var h = new byte[4];
        BinaryPrimitives.WriteUInt16LittleEndian(h, (ushort)(4 + payload.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(2), type);
        m.AddRange(h);
        m.AddRange(payload);
        while (m.Count % 4 != 0) m.Add(0);
    }

    private static byte[] Message(ushort type, ushort flags, uint seq, List<byte> payload)
    {
        var msg = new byte[16 + payload.Count];
        BinaryPrimitives.WriteUInt32LittleEndian(msg, (uint)msg.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(msg.AsSpan(4), type);
        BinaryPrimitives.WriteUInt16LittleEndian(msg.AsSpan(6), flags);
        BinaryPrimitives.WriteUInt32LittleEndian(msg.AsSpan(8), seq);
        payload.CopyTo(msg, 16);
        return msg;
    }
}
