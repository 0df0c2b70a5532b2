using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace NetNs.Core.Netlink;

// Neighbour (ARP / NDP) table requests: what 'ip neigh show' and 'ip neigh del' send.
internal static partial class RtnlMessages
{
    /// <summary>RTM_NEWNEIGH: a neighbour entry (also the reply type of a neighbour dump).</summary>
    public const ushort RtmNewNeigh = 28;
    private const ushort RtmDelNeigh = 29, RtmGetNeigh = 30;
    private const ushort NdaDst = 1;
    private const ushort NudPermanent = 0x80, NudNoArp = 0x40;

    /// <summary>RTM_GETNEIGH dump of the neighbour entries of one family (what <c>ip -4 neigh show</c> reads).</summary>
    internal static byte[] GetNeighbours(uint seq, AddressFamily family) =>
        Message(RtmGetNeigh, (ushort)(FRequest | FDump), seq, Ndmsg(family, 0));

    /// <summary>RTM_DELNEIGH of the entry for <paramref name="address"/> on link <paramref name="index"/> (what <c>ip neigh del ADDR dev DEV</c> sends).</summary>
    internal static byte[] DeleteNeighbour(uint seq, int index, IPAddress address)
    {
        var m = Ndmsg(address.AddressFamily, index);
        Attr(m, NdaDst, address.GetAddressBytes());
        return Message(RtmDelNeigh, (ushort)(FRequest | FAck), seq, m);
    }

    /// <summary>
    /// A neighbour entry from an RTM_NEWNEIGH message: its link, address, and whether the kernel made it (not permanent,
    /// not a NOARP entry: one that resolution created and garbage collection may drop); null when it has no address.
    /// </summary>
    internal static (int Index, IPAddress Address, bool Dynamic)? ParseNeighbour(ReadOnlySpan<byte> message)
    {
        var len = Length(message);
        if (len < 28) return null;
        var family = message[16];
        var index = BinaryPrimitives.ReadInt32LittleEndian(message[20..]);
        var state = BinaryPrimitives.ReadUInt16LittleEndian(message[24..]);
        foreach (var (type, payload) in Attributes(message[28..len]))
        {
            if (type != NdaDst) continue;
            if ((family == (byte)AddressFamily.InterNetwork && payload.Length == 4) || payload.Length == 16)
                return (index, new IPAddress(payload), (state & (NudPermanent | NudNoArp)) == 0);
        }
        return null;
    }

    private static List<byte> Ndmsg(AddressFamily family, int index)
    {
        // struct ndmsg: family, 3 bytes pad, ifindex, state, flags, type.
        var m = new List<byte>(new byte[12]);
        m[0] = family == AddressFamily.InterNetworkV6 ? (byte)10 : (byte)2;
        var i = BitConverter.GetBytes(index);
        for (var k = 0; k < 4; k++) m[4 + k] = i[k];
        return m;
    }
}
