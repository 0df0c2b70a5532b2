using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using NetNs.Core.Kernel;

namespace NetNs.Core.Netlink;

internal static partial class RtnlMessages
{
    /// <summary>RTM_NEWADDR.</summary>
    public const ushort RtmNewAddr = 20;
    /// <summary>RTM_DELADDR.</summary>
    public const ushort RtmDelAddr = 21;
    /// <summary>RTM_GETADDR.</summary>
    public const ushort RtmGetAddr = 22;
    /// <summary>RTM_NEWNSID.</summary>
    public const ushort RtmNewNsId = 88;
    /// <summary>RTM_GETNSID.</summary>
    public const ushort RtmGetNsId = 90;

    private const ushort IfaAddress = 1, IfaLocal = 2, IfaFlags = 8;
    private const uint IfaFPermanent = 0x80;
    /// <summary>IFA_F_NODAD.</summary>
    internal const byte IfaFNoDad = 0x02;
    /// <summary>IFA_F_DADFAILED.</summary>
    internal const uint IfaFDadFailed = 0x08;
    /// <summary>IFA_F_TENTATIVE.</summary>
    internal const uint IfaFTentative = 0x40;
    private const ushort NetnsaNsId = 1, NetnsaFd = 3;

    /// <summary>RT_SCOPE_UNIVERSE (global).</summary>
    public const byte ScopeGlobal = 0;
    /// <summary>RT_SCOPE_LINK.</summary>
    public const byte ScopeLink = 253;
    /// <summary>RT_SCOPE_HOST.</summary>
    public const byte ScopeHost = 254;

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

    /// <summary>The name <c>ip</c> shows for a scope (rt_scopes): global, site, link, host, nowhere, or the number.</summary>
    public static string ScopeName(byte scope) => scope switch
    {
        ScopeGlobal => "global",
        200 => "site",
        ScopeLink => "link",
        ScopeHost => "host",
        255 => "nowhere",
        _ => scope.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// RTM_NEWADDR (create, exclusive) of a CIDR address on interface <paramref name="index"/>, with IFA_LOCAL and
    /// IFA_ADDRESS and the default scope (<see cref="DefaultScope"/>): what <c>ip address add CIDR dev NAME</c> sends; with
    /// <paramref name="noDad"/> the flag IFA_F_NODAD (<c>… nodad</c>: an IPv6 address is usable at once, without duplicate
    /// address detection).
    /// </summary>
    public static byte[] AddAddress(uint seq, uint index, string cidr, bool noDad = false) => Address(RtmNewAddr, (ushort)(FRequest | FAck | FCreate | FExcl), seq, index, cidr, noDad);

    /// <summary>RTM_DELADDR of a CIDR address on interface <paramref name="index"/>: what <c>ip address del CIDR dev NAME</c> sends.</summary>
    public static byte[] DeleteAddress(uint seq, uint index, string cidr) => Address(RtmDelAddr, (ushort)(FRequest | FAck), seq, index, cidr);

    private static byte[] Address(ushort type, ushort flags, uint seq, uint index, string cidr, bool noDad = false)
    {
        var (ip, prefix) = Validation.Validate.Cidr(cidr);
        var bytes = ip.GetAddressBytes();
        var scope = ip.AddressFamily == AddressFamily.InterNetwork ? DefaultScope(ip) : ScopeGlobal;
        var m = new List<byte>
        {
            (byte)(ip.AddressFamily == AddressFamily.InterNetwork ? 2 : 10), (byte)prefix, noDad ? IfaFNoDad : (byte)0, type == RtmDelAddr ? (byte)0 : scope,
        };
        m.AddRange(U32(index));
        Attr(m, IfaLocal, bytes);
        Attr(m, IfaAddress, bytes);
        return Message(type, flags, seq, m);
    }

    /// <summary>RTM_GETADDR dump of every address of the socket's namespace (all families): what <c>ip address show</c> sends.</summary>
    public static byte[] GetAddresses(uint seq) => Message(RtmGetAddr, (ushort)(FRequest | FDump), seq, new List<byte>(new byte[8]));

    /// <summary>Parses an RTM_NEWADDR message: IFA_LOCAL (else IFA_ADDRESS), prefix, scope, and the IFA_F_* flags (from IFA_FLAGS when present); null when it is not one.</summary>
    public static KernelAddress? ParseAddress(ReadOnlySpan<byte> message)
    {
        if (message.Length < 24 || TypeOf(message) != RtmNewAddr) return null;
        var prefix = message[17];
        uint flags = message[18];
        var scope = message[19];
        var index = BinaryPrimitives.ReadInt32LittleEndian(message[20..]);
        byte[]? local = null, address = null;
        foreach (var (t, p) in Attributes(message[24..Length(message)]))
        {
            if (t == IfaLocal) local = p;
            else if (t == IfaAddress) address = p;
            else if (t == IfaFlags && p.Length >= 4) flags = BinaryPrimitives.ReadUInt32LittleEndian(p);
        }
        var bytes = local ?? address;
        if (bytes is not { Length: 4 or 16 }) return null;
        return new KernelAddress(index, new IPAddress(bytes), prefix, scope, (flags & IfaFPermanent) != 0, flags);
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
                var id = I32(payload);
                return id < 0 ? null : id;
            }
        }
        return null;
    }
}
