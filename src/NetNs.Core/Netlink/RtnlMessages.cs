using System.Buffers.Binary;
using System.Text;

namespace NetNs.Core.Netlink;

/// <summary>
/// Builds and parses rtnetlink messages (RFC 3549, rtnetlink(7)): the requests <c>ip link</c>, <c>ip address</c> and
/// <c>ip netns set/list-id</c> send, so that NetNs makes those changes and reads that state without starting a process.
/// All integers are in host (little-endian) byte order, attributes aligned to 4 bytes. This file: the message frame,
/// attributes and errors; links in RtnlMessages.Links.cs, addresses and netns ids in RtnlMessages.Addresses.cs.
/// </summary>
internal static partial class RtnlMessages
{
    /// <summary>NLMSG_ERROR (also the acknowledgement, with error 0).</summary>
    public const ushort NlmsgError = 2;
    /// <summary>NLMSG_DONE: the end of a dump (its payload is an int, a negative errno when the dump failed).</summary>
    public const ushort NlmsgDone = 3;

    private const ushort FRequest = 1, FAck = 4, FDump = 0x300, FExcl = 0x200, FCreate = 0x400;

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

    private static ushort TypeOf(ReadOnlySpan<byte> message) => BinaryPrimitives.ReadUInt16LittleEndian(message[4..]);

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

    private static int I32(byte[] p) => BinaryPrimitives.ReadInt32LittleEndian(p);

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

    /// <summary>A struct ifinfomsg (16 bytes) with <paramref name="index"/>, and IFF_UP in flags/change when <paramref name="up"/> is given.</summary>
    private static List<byte> IfInfo(int index, bool? up = null)
    {
        var body = new byte[16];
        BinaryPrimitives.WriteInt32LittleEndian(body.AsSpan(4), index);
        if (up is not null)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(8), up.Value ? IffUp : 0);
            BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(12), IffUp);
        }
        return new List<byte>(body);
    }
}
