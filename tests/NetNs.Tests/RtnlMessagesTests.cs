using System.Buffers.Binary;
using System.Net;
using NetNs.Core.Netlink;
using Xunit;

namespace NetNs.Tests;

public class RtnlMessagesTests
{
    [Fact]
    public void Link_up_request_is_rtm_newlink_by_name_with_alias()
    {
        var m = RtnlMessages.LinkUp(7, "eth0", "netns-lab:x");
        // nlmsghdr: len, type 16 (RTM_NEWLINK), flags REQUEST|ACK, seq 7, pid 0
        Assert.Equal((uint)m.Length, BitConverter.ToUInt32(m, 0));
        Assert.Equal(16, BitConverter.ToUInt16(m, 4));
        Assert.Equal(5, BitConverter.ToUInt16(m, 6));
        Assert.Equal(7u, BitConverter.ToUInt32(m, 8));
        // ifinfomsg: index 0, flags IFF_UP, change IFF_UP
        Assert.Equal(0, BitConverter.ToInt32(m, 20));
        Assert.Equal(1u, BitConverter.ToUInt32(m, 24));
        Assert.Equal(1u, BitConverter.ToUInt32(m, 28));
        // IFLA_IFNAME "eth0\0" (len 9, padded to 12), then IFLA_IFALIAS
        Assert.Equal(9, BitConverter.ToUInt16(m, 32));
        Assert.Equal(3, BitConverter.ToUInt16(m, 34));
        Assert.Equal("eth0\0", System.Text.Encoding.ASCII.GetString(m, 36, 5));
        Assert.Equal(20, BitConverter.ToUInt16(m, 46));
        Assert.Equal("netns-lab:x\0", System.Text.Encoding.ASCII.GetString(m, 48, 12));
        Assert.Equal(0, m.Length % 4);
    }

    [Fact]
    public void Link_down_clears_iff_up_and_changes_only_that_flag()
    {
        var m = RtnlMessages.SetLink(1, 0, "veth1", up: false);
        Assert.Equal(0u, BitConverter.ToUInt32(m, 24));
        Assert.Equal(1u, BitConverter.ToUInt32(m, 28));
        Assert.Equal(3, BitConverter.ToUInt16(m, 34));
        Assert.Equal(16 + 16 + 12, m.Length);
    }

    [Fact]
    public void Set_link_without_state_changes_no_flags_and_carries_mtu_and_mac()
    {
        var m = RtnlMessages.SetLink(2, 0, "a", mtu: 9000, mac: new byte[] { 2, 0xaa, 0xbb, 0xcc, 0xdd, 1 });
        Assert.Equal(0u, BitConverter.ToUInt32(m, 24));
        Assert.Equal(0u, BitConverter.ToUInt32(m, 28));
        // IFLA_IFNAME "a\0" (6 -> 8), IFLA_MTU (8), IFLA_ADDRESS (10 -> 12)
        Assert.Equal(6, BitConverter.ToUInt16(m, 32));
        Assert.Equal(8, BitConverter.ToUInt16(m, 40));
        Assert.Equal(4, BitConverter.ToUInt16(m, 42));
        Assert.Equal(9000u, BitConverter.ToUInt32(m, 44));
        Assert.Equal(10, BitConverter.ToUInt16(m, 48));
        Assert.Equal(1, BitConverter.ToUInt16(m, 50));
        Assert.Equal(new byte[] { 2, 0xaa, 0xbb, 0xcc, 0xdd, 1 }, m[52..58]);
        Assert.Equal(60, m.Length);
    }

    [Fact]
    public void Rename_goes_by_index_and_names_the_new_name()
    {
        var m = RtnlMessages.SetLink(3, 12, "old", newName: "new0");
        Assert.Equal(12, BitConverter.ToInt32(m, 20));
        Assert.Equal(3, BitConverter.ToUInt16(m, 34));
        Assert.Equal("new0\0", System.Text.Encoding.ASCII.GetString(m, 36, 5));
        Assert.Throws<ArgumentException>(() => RtnlMessages.SetLink(3, 0, "old", newName: "new0"));
    }

    [Fact]
    public void Address_request_is_rtm_newaddr_create_exclusive()
    {
        var m = RtnlMessages.AddAddress(3, 42, "10.0.0.7/24");
        Assert.Equal(20, BitConverter.ToUInt16(m, 4));
        Assert.Equal(0x605, BitConverter.ToUInt16(m, 6));
        Assert.Equal(new byte[] { 2, 24, 0, 0 }, m[16..20]);
        Assert.Equal(42u, BitConverter.ToUInt32(m, 20));
        Assert.Equal(8, BitConverter.ToUInt16(m, 24));
        Assert.Equal(2, BitConverter.ToUInt16(m, 26));
        Assert.Equal(new byte[] { 10, 0, 0, 7 }, m[28..32]);
        Assert.Equal(1, BitConverter.ToUInt16(m, 34));
        var v6 = RtnlMessages.AddAddress(4, 1, "fd00::1/64");
        Assert.Equal(new byte[] { 10, 64, 0, 0 }, v6[16..20]);
        Assert.Equal(20, BitConverter.ToUInt16(v6, 24));
    }

    [Fact]
    public void Loopback_ipv4_addresses_get_host_scope_like_ip_does()
    {
        var m = RtnlMessages.AddAddress(1, 1, "127.0.0.2/8");
        Assert.Equal(254, m[19]);
        Assert.Equal("host", RtnlMessages.ScopeName(RtnlMessages.DefaultScope(IPAddress.Parse("127.0.0.2"))));
        Assert.Equal("global", RtnlMessages.ScopeName(RtnlMessages.DefaultScope(IPAddress.Parse("10.0.0.1"))));
        Assert.Equal("link", RtnlMessages.ScopeName(RtnlMessages.DefaultScope(IPAddress.Parse("fe80::1234"))));
        Assert.Equal("host", RtnlMessages.ScopeName(RtnlMessages.DefaultScope(IPAddress.IPv6Loopback)));
        Assert.Equal("global", RtnlMessages.ScopeName(RtnlMessages.DefaultScope(IPAddress.Parse("fd00::1"))));
    }

    [Fact]
    public void Nsid_requests_carry_the_namespace_fd_and_auto_id()
    {
        var m = RtnlMessages.NewNsId(5, 9);
        Assert.Equal(88, BitConverter.ToUInt16(m, 4));
        Assert.Equal(5, BitConverter.ToUInt16(m, 6));
        Assert.Equal(0u, BitConverter.ToUInt32(m, 16));
        Assert.Equal(8, BitConverter.ToUInt16(m, 20));
        Assert.Equal(3, BitConverter.ToUInt16(m, 22));
        Assert.Equal(9u, BitConverter.ToUInt32(m, 24));
        Assert.Equal(1, BitConverter.ToUInt16(m, 30));
        Assert.Equal(-1, BitConverter.ToInt32(m, 32));
        var g = RtnlMessages.GetNsId(6, 9);
        Assert.Equal(90, BitConverter.ToUInt16(g, 4));
        Assert.Equal(1, BitConverter.ToUInt16(g, 6));
        Assert.Equal(28, g.Length);
    }

    [Fact]
    public void Parses_an_nsid_reply()
    {
        var m = new byte[28];
        BinaryPrimitives.WriteUInt32LittleEndian(m, 28);
        BinaryPrimitives.WriteUInt16LittleEndian(m.AsSpan(4), 88);
        BinaryPrimitives.WriteUInt16LittleEndian(m.AsSpan(20), 8);
        BinaryPrimitives.WriteUInt16LittleEndian(m.AsSpan(22), 1);
        BinaryPrimitives.WriteInt32LittleEndian(m.AsSpan(24), 4);
        Assert.Equal(4, RtnlMessages.ParseNsId(m));
        BinaryPrimitives.WriteInt32LittleEndian(m.AsSpan(24), -1);
        Assert.Null(RtnlMessages.ParseNsId(m));
    }

    [Fact]
    public void Parses_an_error_with_extended_ack_text()
    {
        // nlmsgerr: error -17, echoed header (capped), then NLMSGERR_ATTR_MSG "exists\0"
        var m = new byte[16 + 4 + 16 + 12];
        BinaryPrimitives.WriteUInt32LittleEndian(m, (uint)m.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(m.AsSpan(4), 2);
        BinaryPrimitives.WriteUInt16LittleEndian(m.AsSpan(6), 0x300);
        BinaryPrimitives.WriteInt32LittleEndian(m.AsSpan(16), -17);
        BinaryPrimitives.WriteUInt16LittleEndian(m.AsSpan(36), 11);
        BinaryPrimitives.WriteUInt16LittleEndian(m.AsSpan(38), 1);
        System.Text.Encoding.ASCII.GetBytes("exists\0").CopyTo(m, 40);
        var (errno, text) = RtnlMessages.ParseError(m);
        Assert.Equal(17, errno);
        Assert.Equal("exists", text);
        var ex = new RtnlException(errno, text);
        Assert.Equal(NetNs.Core.Errors.NetNsErrorCategory.ResourceExists, ex.Category);
        Assert.Equal(NetNs.Core.Errors.NetNsErrorCategory.ObjectNotFound, new RtnlException(19, null).Category);
    }

    [Fact]
    public void Get_link_request_and_reply()
    {
        var q = RtnlMessages.GetLink(8, "veth0");
        Assert.Equal(18, BitConverter.ToUInt16(q, 4));
        Assert.Equal(1, BitConverter.ToUInt16(q, 6));
        Assert.Equal("veth0\0", System.Text.Encoding.ASCII.GetString(q, 36, 6));
        // A reply: ifinfomsg index 7 flags UP, IFLA_IFNAME, IFLA_LINK 3, IFLA_LINK_NETNSID 2, IFLA_LINKINFO { IFLA_INFO_KIND "veth" }
        var m = new List<byte>(new byte[32]);
        void Attr(ushort type, byte[] p)
        {
            var h = new byte[4];
            BinaryPrimitives.WriteUInt16LittleEndian(h, (ushort)(4 + p.Length));
            BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(2), type);
            m.AddRange(h); m.AddRange(p);
            while (m.Count % 4 != 0) m.Add(0);
        }
        Attr(3, System.Text.Encoding.ASCII.GetBytes("veth0\0"));
        Attr(5, BitConverter.GetBytes(3));
        Attr(37, BitConverter.GetBytes(2));
        Attr(18 | 0x8000, new byte[] { 9, 0, 1, 0, (byte)'v', (byte)'e', (byte)'t', (byte)'h', 0, 0, 0, 0 });
        var b = m.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(b, (uint)b.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(4), 16);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(20), 7);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(24), 1);
        var l = RtnlMessages.ParseLink(b)!;
        Assert.Equal(7, l.Index);
        Assert.Equal("veth0", l.Name);
        Assert.Equal("veth", l.Kind);
        Assert.Equal(1u, l.Flags);
        Assert.Equal(3, l.LinkIndex);
        Assert.Equal(2, l.LinkNetnsId);
    }
}

public class RtnlDeleteTests
{
    [Fact]
    public void Link_dump_request_is_rtm_getlink_with_nlm_f_dump_and_an_empty_ifinfomsg()
    {
        var m = RtnlMessages.GetLinks(4);
        Assert.Equal(32, m.Length);
        Assert.Equal(32u, BitConverter.ToUInt32(m, 0));
        Assert.Equal(18, BitConverter.ToUInt16(m, 4));
        // NLM_F_REQUEST | NLM_F_DUMP (NLM_F_ROOT | NLM_F_MATCH), no ACK: the dump ends with NLMSG_DONE
        Assert.Equal(0x301, BitConverter.ToUInt16(m, 6));
        Assert.Equal(4u, BitConverter.ToUInt32(m, 8));
        Assert.Equal(new byte[16], m[16..32]);
    }

    [Fact]
    public void Link_delete_request_is_rtm_dellink_by_index_with_ack()
    {
        var m = RtnlMessages.DeleteLink(5, 42);
        Assert.Equal(32, m.Length);
        Assert.Equal(17, BitConverter.ToUInt16(m, 4));
        Assert.Equal(5, BitConverter.ToUInt16(m, 6));
        Assert.Equal(5u, BitConverter.ToUInt32(m, 8));
        Assert.Equal(0, m[16]);
        Assert.Equal(42, BitConverter.ToInt32(m, 20));
        Assert.Equal(0u, BitConverter.ToUInt32(m, 24));
        Assert.Equal(0u, BitConverter.ToUInt32(m, 28));
    }

    [Fact]
    public void A_dump_part_with_nlm_f_multi_parses_like_a_single_reply()
    {
        // ifinfomsg index 3, IFLA_IFNAME "eth0", IFLA_LINKINFO { IFLA_INFO_KIND "veth" }; flags NLM_F_MULTI
        var b = new byte[32 + 12 + 16];
        BinaryPrimitives.WriteUInt32LittleEndian(b, (uint)b.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(4), 16);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(6), 2);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(20), 3);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(32), 9);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(34), 3);
        System.Text.Encoding.ASCII.GetBytes("eth0").CopyTo(b, 36);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(44), 16);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(46), 18);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(48), 9);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(50), 1);
        System.Text.Encoding.ASCII.GetBytes("veth").CopyTo(b, 52);
        var l = RtnlMessages.ParseLink(b)!;
        Assert.Equal(3, l.Index);
        Assert.Equal("eth0", l.Name);
        Assert.Equal("veth", l.Kind);
    }
}

public class RtnlVethTests
{
    [Fact]
    public void Veth_request_nests_the_peer_with_its_namespace_fd_and_mtu()
    {
        var m = RtnlMessages.AddVeth(9, "eth0", 5, "veth0", 6, 1400);
        Assert.Equal((uint)m.Length, BitConverter.ToUInt32(m, 0));
        Assert.Equal(16, BitConverter.ToUInt16(m, 4));
        Assert.Equal(0x605, BitConverter.ToUInt16(m, 6));
        // IFLA_IFNAME "eth0\0" at 32, IFLA_MTU at 44, IFLA_NET_NS_FD at 52, IFLA_LINKINFO at 60
        Assert.Equal(3, BitConverter.ToUInt16(m, 34));
        Assert.Equal(4, BitConverter.ToUInt16(m, 46));
        Assert.Equal(1400u, BitConverter.ToUInt32(m, 48));
        Assert.Equal(28, BitConverter.ToUInt16(m, 54));
        Assert.Equal(5u, BitConverter.ToUInt32(m, 56));
        Assert.Equal(18, BitConverter.ToUInt16(m, 62));
        Assert.Equal(m.Length - 60, BitConverter.ToUInt16(m, 60));
        // IFLA_INFO_KIND "veth\0", then IFLA_INFO_DATA { VETH_INFO_PEER { ifinfomsg, IFLA_IFNAME, IFLA_MTU, IFLA_NET_NS_FD } }
        Assert.Equal(1, BitConverter.ToUInt16(m, 66));
        Assert.Equal("veth\0", System.Text.Encoding.ASCII.GetString(m, 68, 5));
        Assert.Equal(2, BitConverter.ToUInt16(m, 78));
        Assert.Equal(1, BitConverter.ToUInt16(m, 82));
        Assert.Equal(new byte[16], m[84..100]);
        Assert.Equal(3, BitConverter.ToUInt16(m, 102));
        Assert.Equal("veth0\0", System.Text.Encoding.ASCII.GetString(m, 104, 6));
        Assert.Equal(4, BitConverter.ToUInt16(m, 114));
        Assert.Equal(1400u, BitConverter.ToUInt32(m, 116));
        Assert.Equal(28, BitConverter.ToUInt16(m, 122));
        Assert.Equal(6u, BitConverter.ToUInt32(m, 124));
        Assert.Equal(128, m.Length);
    }

    [Fact]
    public void Veth_ends_in_the_callers_namespace_carry_no_fd()
    {
        var m = RtnlMessages.AddVeth(1, "a", null, "b", null, null);
        // hdr 16 + ifinfomsg 16 + IFNAME 8 + LINKINFO (4 + KIND 12 + DATA (4 + PEER (4 + 16 + IFNAME 8)))
        Assert.Equal(16 + 16 + 8 + 4 + 12 + 4 + 4 + 16 + 8, m.Length);
        Assert.Equal(18, BitConverter.ToUInt16(m, 42));
    }
}
