using System.Buffers.Binary;
using NetNs.Core.Kernel;

namespace NetNs.Core.Netlink;

internal static partial class RtnlMessages
{
    /// <summary>RTM_NEWLINK.</summary>
    public const ushort RtmNewLink = 16;
    /// <summary>RTM_DELLINK.</summary>
    public const ushort RtmDelLink = 17;
    /// <summary>RTM_GETLINK.</summary>
    public const ushort RtmGetLink = 18;

    private const ushort IflaAddress = 1, IflaIfname = 3, IflaMtu = 4, IflaLink = 5, IflaMaster = 10, IflaOperstate = 16,
        IflaLinkinfo = 18, IflaIfalias = 20, IflaNetNsFd = 28, IflaLinkNetnsId = 37;
    private const ushort IflaInfoKind = 1, IflaInfoData = 2, VethInfoPeer = 1;
    private const uint IffUp = 1;

    /// <summary>
    /// RTM_NEWLINK changing an existing link (no create): what <c>ip link set dev NAME [up|down] [mtu M] [address MAC]
    /// [name NEW] [alias TEXT]</c> sends. With <paramref name="index"/> 0 the link is found by <paramref name="name"/>
    /// (IFLA_IFNAME); a rename needs the index (IFLA_IFNAME then carries the new name).
    /// </summary>
    public static byte[] SetLink(uint seq, int index, string name, bool? up = null, int? mtu = null, byte[]? mac = null, string? newName = null, string? alias = null)
    {
        if (newName is not null && index <= 0) throw new ArgumentException("A rename needs the interface index.", nameof(index));
        var m = IfInfo(index, up);
        if (newName is not null) Attr(m, IflaIfname, Cstr(newName));
        else if (index <= 0) Attr(m, IflaIfname, Cstr(name));
        if (mtu is not null) Attr(m, IflaMtu, U32((uint)mtu.Value));
        if (mac is not null) Attr(m, IflaAddress, mac);
        if (alias is not null) Attr(m, IflaIfalias, Cstr(alias));
        return Message(RtmNewLink, (ushort)(FRequest | FAck), seq, m);
    }

    /// <summary>RTM_NEWLINK moving the link with <paramref name="index"/> into the namespace open as <paramref name="namespaceFd"/>: what <c>ip link set dev NAME netns NS</c> sends.</summary>
    public static byte[] MoveLink(uint seq, int index, int namespaceFd)
    {
        var m = IfInfo(index);
        Attr(m, IflaNetNsFd, U32((uint)namespaceFd));
        return Message(RtmNewLink, (ushort)(FRequest | FAck), seq, m);
    }

    /// <summary>
    /// RTM_NEWLINK creating a veth pair (create, exclusive): what <c>ip link add name A [mtu M] [netns NS] type veth peer
    /// name B [mtu M] [netns PNS]</c> sends. Each end is created directly in the namespace open as its fd (IFLA_NET_NS_FD;
    /// null = the socket's namespace), both with the MTU when given.
    /// </summary>
    public static byte[] AddVeth(uint seq, string name, int? namespaceFd, string peerName, int? peerNamespaceFd, int? mtu)
    {
        var peer = IfInfo(0); // the peer's struct ifinfomsg
        Attr(peer, IflaIfname, Cstr(peerName));
        if (mtu is not null) Attr(peer, IflaMtu, U32((uint)mtu.Value));
        if (peerNamespaceFd is not null) Attr(peer, IflaNetNsFd, U32((uint)peerNamespaceFd.Value));
        var data = new List<byte>();
        Attr(data, VethInfoPeer, peer.ToArray());
        var info = new List<byte>();
        Attr(info, IflaInfoKind, Cstr("veth"));
        Attr(info, IflaInfoData, data.ToArray());
        var m = IfInfo(0);
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
        var m = IfInfo(0);
        Attr(m, IflaIfname, Cstr(name));
        return Message(RtmGetLink, FRequest, seq, m);
    }

    /// <summary>RTM_GETLINK of one link by index; the reply is an RTM_NEWLINK (<see cref="ParseLink"/>).</summary>
    public static byte[] GetLink(uint seq, int index) => Message(RtmGetLink, FRequest, seq, IfInfo(index));

    /// <summary>
    /// RTM_GETLINK dump (NLM_F_DUMP) of every link of the socket's namespace: what <c>ip link show</c> sends. The replies
    /// are one RTM_NEWLINK per link (<see cref="ParseLink"/>), then NLMSG_DONE (<see cref="RtnlSocket.Dump"/>).
    /// </summary>
    public static byte[] GetLinks(uint seq) => Message(RtmGetLink, (ushort)(FRequest | FDump), seq, IfInfo(0));

    /// <summary>RTM_DELLINK of the link with index <paramref name="index"/>: what <c>ip link del dev NAME</c> sends (after looking up the index).</summary>
    public static byte[] DeleteLink(uint seq, int index) => Message(RtmDelLink, (ushort)(FRequest | FAck), seq, IfInfo(index));

    /// <summary>RTM_DELLINK of the link named <paramref name="name"/> (IFLA_IFNAME, index 0).</summary>
    public static byte[] DeleteLink(uint seq, string name)
    {
        var m = IfInfo(0);
        Attr(m, IflaIfname, Cstr(name));
        return Message(RtmDelLink, (ushort)(FRequest | FAck), seq, m);
    }

    /// <summary>Parses an RTM_NEWLINK message (a reply to <see cref="GetLink(uint, string)"/> or one of a <see cref="GetLinks"/> dump); null when it is not one.</summary>
    public static KernelLink? ParseLink(ReadOnlySpan<byte> message)
    {
        if (message.Length < 32 || TypeOf(message) != RtmNewLink) return null;
        var type = BinaryPrimitives.ReadUInt16LittleEndian(message[18..]);
        var index = BinaryPrimitives.ReadInt32LittleEndian(message[20..]);
        var flags = BinaryPrimitives.ReadUInt32LittleEndian(message[24..]);
        string name = "";
        string? kind = null, alias = null;
        int? link = null, nsid = null, master = null;
        byte[]? address = null;
        int mtu = 0;
        byte oper = 0;
        foreach (var (t, payload) in Attributes(message[32..Length(message)]))
        {
            switch (t)
            {
                case IflaIfname: name = CString(payload); break;
                case IflaAddress: address = payload; break;
                case IflaMtu when payload.Length >= 4: mtu = I32(payload); break;
                case IflaLink when payload.Length >= 4: link = I32(payload); break;
                case IflaMaster when payload.Length >= 4: master = I32(payload); break;
                case IflaOperstate when payload.Length >= 1: oper = payload[0]; break;
                case IflaIfalias: alias = CString(payload); break;
                case IflaLinkNetnsId when payload.Length >= 4: nsid = I32(payload); break;
                case IflaLinkinfo:
                    foreach (var (it, p) in Attributes(payload))
                        if (it == IflaInfoKind) kind = CString(p);
                    break;
            }
        }
        return new KernelLink(index, name, kind, flags, link, nsid)
        {
            Type = type, OperState = oper, Address = address, Mtu = mtu, MasterIndex = master,
            Alias = string.IsNullOrEmpty(alias) ? null : alias,
        };
    }
}
