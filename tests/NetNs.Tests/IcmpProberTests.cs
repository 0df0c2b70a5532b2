using System.Buffers.Binary;
using System.Net;
using NetNs.Core.Lab;
using Xunit;

namespace NetNs.Tests;

/// <summary>The echo requests the connectivity matrix sends, the replies it accepts, and the pairs it probes.</summary>
public class IcmpProberTests
{
    [Fact]
    public void Echo_request_has_type_8_identifier_sequence_payload_and_a_valid_checksum()
    {
        var packet = new byte[24];
        IcmpProber.Build(packet, 0xBEEF, 70000);
        Assert.Equal(8, packet[0]);
        Assert.Equal(0, packet[1]);
        Assert.Equal(0xBEEF, BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(4)));
        Assert.Equal(70000 & 0xffff, BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(6)));
        Assert.Equal(70000, BinaryPrimitives.ReadInt32BigEndian(packet.AsSpan(12)));
        // A packet with its checksum in place sums to 0xffff (RFC 1071): the checksum over it is 0.
        Assert.Equal(0, IcmpProber.Checksum(packet));
    }

    [Fact]
    public void Checksum_matches_the_rfc_1071_example()
    {
        // RFC 1071, 3: the bytes 00 01 f2 03 f4 f5 f6 f7 sum (one's complement) to ddf2; the checksum is its complement.
        Assert.Equal(0x220d, IcmpProber.Checksum(new byte[] { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 }));
        Assert.Equal(0x00ff, IcmpProber.Checksum(new byte[] { 0xff })); // an odd last byte is padded with zero
    }

    /// <summary>An IPv4 datagram as a raw socket delivers it: a 20-byte header, then the ICMP message.</summary>
    private static byte[] Reply(ushort identifier, int index, byte type = 0, byte ihlWords = 5)
    {
        var icmp = new byte[24];
        IcmpProber.Build(icmp, identifier, index);
        icmp[0] = type;
        var ip = new byte[ihlWords * 4 + icmp.Length];
        ip[0] = (byte)(0x40 | ihlWords);
        new byte[] { 10, 0, 0, 2 }.CopyTo(ip, 12);
        icmp.CopyTo(ip, ihlWords * 4);
        return ip;
    }

    [Fact]
    public void Accepts_only_echo_replies_of_this_run()
    {
        Assert.Equal(42, IcmpProber.Match(Reply(7, 42), 7));
        Assert.Equal(42, IcmpProber.Match(Reply(7, 42, ihlWords: 6), 7)); // IP options: the header length is read
        Assert.Null(IcmpProber.Match(Reply(8, 42), 7));                    // another run's (or ping's) identifier
        Assert.Null(IcmpProber.Match(Reply(7, 42, type: 8), 7));           // an echo request someone sent us
        Assert.Null(IcmpProber.Match(Reply(7, 42)[..30], 7));              // truncated
        var forged = Reply(7, 42);
        BinaryPrimitives.WriteUInt16BigEndian(forged.AsSpan(26), 43);      // sequence and payload disagree
        Assert.Null(IcmpProber.Match(forged, 7));
    }

    private static LabDefinition Star(int n) => new("s", new[] { new LabBridge("br", NetNs.Core.Ovs.OvsDatapathType.Netdev) },
        Enumerable.Range(1, n).Select(i => new LabNamespace($"h{i}")).ToList(),
        Enumerable.Range(1, n).Select(i => new LabLink($"h{i}", "eth0", $"vh{i}", null, "br", new[] { $"10.0.0.{i}/24" })).ToList(),
        Array.Empty<LabDhcpServer>());

    [Fact]
    public void Full_matrix_pairs_every_namespace_with_every_other_address()
    {
        var pairs = LabConnectivity.Pairs(Star(5));
        Assert.Equal(20, pairs.Count);
        Assert.DoesNotContain(pairs, p => p.Source == p.Destination);
        Assert.Equal(("h1", "h2", IPAddress.Parse("10.0.0.2")), pairs[0]);
    }

    [Fact]
    public void Ring_sample_probes_the_next_k_namespaces_and_covers_every_namespace_as_target()
    {
        var pairs = LabConnectivity.Pairs(Star(10), 3);
        Assert.Equal(30, pairs.Count);
        Assert.Equal(new[] { "h2", "h3", "h4" }, pairs.Where(p => p.Source == "h1").Select(p => p.Destination));
        Assert.Equal(new[] { "h1", "h2", "h3" }, pairs.Where(p => p.Source == "h10").Select(p => p.Destination));
        Assert.All(Enumerable.Range(1, 10), i => Assert.Equal(3, pairs.Count(p => p.Destination == $"h{i}")));
        // A sample as big as the lab is the full matrix.
        Assert.Equal(90, LabConnectivity.Pairs(Star(10), 9).Count);
    }
}
