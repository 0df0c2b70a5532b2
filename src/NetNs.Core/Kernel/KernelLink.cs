using System.Globalization;
using System.Net;

namespace NetNs.Core.Kernel;

/// <summary>
/// A link as the kernel reports it (an RTM_NEWLINK reply, rtnetlink(7)), before its veth peer is resolved: the one raw
/// link model, turned into the output model <see cref="Models.NetLink"/> by <see cref="Ip.PeerResolver"/>.
/// </summary>
internal sealed record KernelLink(int Index, string Name, string? Kind, uint Flags, int? LinkIndex, int? LinkNetnsId)
{
    /// <summary>ARPHRD_* link type (ifi_type), e.g. 1 (ether), 772 (loopback), 65534 (none).</summary>
    public ushort Type { get; init; } = 1;

    /// <summary>IFLA_OPERSTATE (RFC 2863), e.g. 6 (UP).</summary>
    public byte OperState { get; init; }

    /// <summary>IFLA_ADDRESS, the link-layer address; null when the link has none.</summary>
    public byte[]? Address { get; init; }

    /// <summary>IFLA_MTU.</summary>
    public int Mtu { get; init; }

    /// <summary>IFLA_MASTER: the index of the master device (a bridge, bond or VRF) in the same namespace.</summary>
    public int? MasterIndex { get; init; }

    /// <summary>IFLA_IFALIAS.</summary>
    public string? Alias { get; init; }

    private static readonly string[] OperStates = { "UNKNOWN", "NOTPRESENT", "DOWN", "LOWERLAYERDOWN", "TESTING", "DORMANT", "UP" };

    /// <summary>The operational state's name, as <c>ip</c> shows it.</summary>
    public string OperStateName => OperState < OperStates.Length ? OperStates[OperState] : OperState.ToString(CultureInfo.InvariantCulture);

    /// <summary>True when IFF_UP is set.</summary>
    public bool IsUp => (Flags & 1) != 0;

    /// <summary>The kind <c>ip -d</c> shows: IFLA_INFO_KIND, else loopback/none by link type, else device.</summary>
    public string KindName => Kind ?? Type switch { 772 => "loopback", 65534 => "none", _ => "device" };

    /// <summary>The link-layer address as <c>ip</c> prints it (lower-case hex with ':'; IPv4/IPv6 text for tunnel types).</summary>
    public string? AddressText
    {
        get
        {
            if (Address is null) return null;
            // ll_addr_n2a: ARPHRD_TUNNEL, ARPHRD_SIT, ARPHRD_IPGRE carry IPv4, ARPHRD_TUNNEL6 and ARPHRD_IP6GRE IPv6.
            if (Address.Length == 4 && Type is 768 or 776 or 778) return new IPAddress(Address).ToString();
            if (Address.Length == 16 && Type is 769 or 823) return new IPAddress(Address).ToString();
            return string.Join(":", Address.Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
        }
    }

    private static readonly (uint Bit, string Name)[] FlagNames =
    {
        (0x8, "LOOPBACK"), (0x2, "BROADCAST"), (0x10, "POINTOPOINT"), (0x1000, "MULTICAST"), (0x80, "NOARP"),
        (0x200, "ALLMULTI"), (0x100, "PROMISC"), (0x400, "MASTER"), (0x800, "SLAVE"), (0x4, "DEBUG"), (0x8000, "DYNAMIC"),
        (0x4000, "AUTOMEDIA"), (0x2000, "PORTSEL"), (0x20, "NOTRAILERS"), (0x1, "UP"), (0x10000, "LOWER_UP"),
        (0x20000, "DORMANT"), (0x40000, "ECHO"),
    };

    /// <summary>
    /// The flags as <c>ip link</c> lists them (iproute2's print_link_flags, in its order): NO-CARRIER when up without
    /// IFF_RUNNING, the IFF_* names, the rest in hex, and M-DOWN when <paramref name="lowerDown"/> (the link it sits on,
    /// in the same namespace, is down).
    /// </summary>
    public List<string> FlagList(bool lowerDown)
    {
        var list = new List<string>();
        var f = Flags;
        if ((f & 1) != 0 && (f & 0x40) == 0) list.Add("NO-CARRIER");
        f &= ~0x40u;
        foreach (var (bit, name) in FlagNames)
        {
            if ((f & bit) == 0) continue;
            f &= ~bit;
            list.Add(name);
        }
        if (f != 0) list.Add(f.ToString("x", CultureInfo.InvariantCulture));
        if (lowerDown) list.Add("M-DOWN");
        return list;
    }
}

/// <summary>An address as the kernel reports it (an RTM_NEWADDR reply); <paramref name="Flags"/> are its IFA_F_* flags.</summary>
internal sealed record KernelAddress(int Index, IPAddress Address, int PrefixLength, byte Scope, bool Permanent, uint Flags = 0)
{
    /// <summary>IFA_F_TENTATIVE: IPv6 duplicate address detection has not finished; the address cannot be used yet.</summary>
    public bool Tentative => (Flags & Netlink.RtnlMessages.IfaFTentative) != 0;

    /// <summary>IFA_F_DADFAILED: duplicate address detection found the address in use on the link.</summary>
    public bool DadFailed => (Flags & Netlink.RtnlMessages.IfaFDadFailed) != 0;
}
