using System.Net;
using System.Net.Sockets;
using NetNs.Core.Errors;
using NetNs.Core.Native;
using NetNs.Core.Netlink;
using NetNs.Core.Routes;
using Xunit;

namespace NetNs.Tests;

public class RouteMessageTests
{
    private static RouteSpec Spec(string dst, string? gw = null, string? dev = null, uint? metric = null, uint? table = null, string? family = null) =>
        RouteSpec.Create(dst, gw, dev, metric, table, family, requireNextHop: false);

    [Fact]
    public void Add_is_rtm_newroute_create_excl_boot_unicast_with_dst_gateway_oif_priority()
    {
        var m = RtnlMessages.NewRoute(9, Spec("10.8.0.0/16", "10.9.0.2", "eth1", 50), 4);
        Assert.Equal((uint)m.Length, BitConverter.ToUInt32(m, 0));
        Assert.Equal(24, BitConverter.ToUInt16(m, 4));               // RTM_NEWROUTE
        Assert.Equal(1 | 4 | 0x400 | 0x200, BitConverter.ToUInt16(m, 6)); // REQUEST|ACK|CREATE|EXCL
        Assert.Equal(9u, BitConverter.ToUInt32(m, 8));
        // struct rtmsg: family AF_INET, dst_len 16, src_len 0, tos 0, table main, protocol boot, scope universe, type unicast
        Assert.Equal(new byte[] { 2, 16, 0, 0, 254, 3, 0, 1 }, m[16..24]);
        // RTA_DST (8), RTA_GATEWAY (8), RTA_OIF (8), RTA_PRIORITY (8)
        Assert.Equal(8, BitConverter.ToUInt16(m, 28));
        Assert.Equal(1, BitConverter.ToUInt16(m, 30));
        Assert.Equal(new byte[] { 10, 8, 0, 0 }, m[32..36]);
        Assert.Equal(5, BitConverter.ToUInt16(m, 38));
        Assert.Equal(new byte[] { 10, 9, 0, 2 }, m[40..44]);
        Assert.Equal(4, BitConverter.ToUInt16(m, 46));
        Assert.Equal(4, BitConverter.ToInt32(m, 48));
        Assert.Equal(6, BitConverter.ToUInt16(m, 54));
        Assert.Equal(50u, BitConverter.ToUInt32(m, 56));
        Assert.Equal(60, m.Length);
    }

    [Fact]
    public void Default_route_has_no_dst_attribute_and_ipv4_without_gateway_gets_link_scope()
    {
        var m = RtnlMessages.NewRoute(1, Spec("default", dev: "eth1"), 3);
        Assert.Equal(new byte[] { 2, 0, 0, 0, 254, 3, 253, 1 }, m[16..24]);
        Assert.Equal(4, BitConverter.ToUInt16(m, 30)); // first attribute is RTA_OIF
        Assert.Equal(36, m.Length);
    }

    [Fact]
    public void Ipv6_route_is_af_inet6_universe_and_large_table_goes_in_rta_table()
    {
        var m = RtnlMessages.NewRoute(1, Spec("fd10::/64", dev: "eth1", table: 1000), 3);
        Assert.Equal(new byte[] { 10, 64, 0, 0, 0, 3, 0, 1 }, m[16..24]);
        var r = RtnlMessages.ParseRoute(m)!;
        Assert.Equal(1000u, r.Table);
        Assert.Equal(IPAddress.Parse("fd10::"), r.Destination);
    }

    [Fact]
    public void Delete_is_rtm_delroute_ack_scope_nowhere_type_unspec()
    {
        var m = RtnlMessages.DeleteRoute(2, Spec("default", "fd09::fe"), null);
        Assert.Equal(25, BitConverter.ToUInt16(m, 4));
        Assert.Equal(5, BitConverter.ToUInt16(m, 6));
        Assert.Equal(new byte[] { 10, 0, 0, 0, 254, 0, 255, 0 }, m[16..24]);
        Assert.Equal(5, BitConverter.ToUInt16(m, 30)); // RTA_GATEWAY only
        Assert.Equal(20, BitConverter.ToUInt16(m, 28));
    }

    [Fact]
    public void Dump_request_is_rtm_getroute_dump_of_the_family()
    {
        var m = RtnlMessages.GetRoutes(5, AddressFamily.InterNetworkV6);
        Assert.Equal(26, BitConverter.ToUInt16(m, 4));
        Assert.Equal(1 | 0x300, BitConverter.ToUInt16(m, 6));
        Assert.Equal(10, m[16]);
        Assert.Equal(28, m.Length);
        Assert.Equal(0, RtnlMessages.GetRoutes(5, null)[16]);
    }

    [Fact]
    public void Parse_reads_back_what_the_builder_wrote()
    {
        var r = RtnlMessages.ParseRoute(RtnlMessages.NewRoute(1, Spec("10.8.0.0/16", "10.9.0.2", "eth1", 50), 4))!;
        Assert.Equal(2, r.Family);
        Assert.Equal(16, r.DestinationLength);
        Assert.Equal(254u, r.Table);
        Assert.Equal("boot", RtnlMessages.ProtocolName(r.Protocol));
        Assert.Equal("global", RtnlMessages.ScopeName(r.Scope));
        Assert.Equal("unicast", RtnlMessages.RouteTypeName(r.Type));
        Assert.Equal(IPAddress.Parse("10.8.0.0"), r.Destination);
        Assert.Equal(IPAddress.Parse("10.9.0.2"), r.Gateway);
        Assert.Equal(4, r.OutputIndex);
        Assert.Equal(50u, r.Priority);
        Assert.Null(RtnlMessages.ParseRoute(RtnlMessages.GetRoutes(1, null)));
    }

    [Fact]
    public void Addrgenmode_none_is_rtm_newlink_by_name_with_af_spec_inet6_addr_gen_mode()
    {
        var m = RtnlMessages.SetAddrGenMode(3, "eth1");
        Assert.Equal(16, BitConverter.ToUInt16(m, 4));
        Assert.Equal(5, BitConverter.ToUInt16(m, 6));
        Assert.Equal(0u, BitConverter.ToUInt32(m, 24)); // no flags changed: the link stays down
        Assert.Equal(0u, BitConverter.ToUInt32(m, 28));
        // IFLA_IFNAME "eth1\0" (9 -> 12), then IFLA_AF_SPEC (4 + AF_INET6 nest (4 + IFLA_INET6_ADDR_GEN_MODE 5 -> 8)) = 16
        Assert.Equal(3, BitConverter.ToUInt16(m, 34));
        Assert.Equal(16, BitConverter.ToUInt16(m, 44));
        Assert.Equal(26, BitConverter.ToUInt16(m, 46));
        Assert.Equal(12, BitConverter.ToUInt16(m, 48));
        Assert.Equal(10, BitConverter.ToUInt16(m, 50));
        Assert.Equal(5, BitConverter.ToUInt16(m, 52));
        Assert.Equal(8, BitConverter.ToUInt16(m, 54));
        Assert.Equal(1, m[56]);
        Assert.Equal(60, m.Length);
    }

    [Fact]
    public void Address_add_with_nodad_sets_ifa_f_nodad()
    {
        var m = RtnlMessages.AddAddress(1, 3, "fd00::1/64", noDad: true);
        Assert.Equal(2, m[18]);
        Assert.Equal(0, RtnlMessages.AddAddress(1, 3, "fd00::1/64")[18]);
    }

    [Fact]
    public void Address_parse_keeps_tentative_and_dadfailed_from_the_ifa_flags_attribute()
    {
        // An RTM_NEWADDR as a dump sends it: ifaddrmsg (flags byte 0x40), IFA_LOCAL, IFA_ADDRESS, IFA_FLAGS 0xc8 (PERMANENT|TENTATIVE|DADFAILED).
        var m = new List<byte>(RtnlMessages.AddAddress(1, 7, "fd00::5/64"));
        m.AddRange(new byte[] { 8, 0, 8, 0, 0xc8, 0, 0, 0 });
        var bytes = m.ToArray();
        BitConverter.GetBytes((uint)bytes.Length).CopyTo(bytes, 0);
        BitConverter.GetBytes((ushort)20).CopyTo(bytes, 4); // RTM_NEWADDR
        bytes[18] = 0x40;
        var a = RtnlMessages.ParseAddress(bytes)!;
        Assert.Equal(7, a.Index);
        Assert.Equal(IPAddress.Parse("fd00::5"), a.Address);
        Assert.True(a.Tentative);
        Assert.True(a.DadFailed);
        Assert.True(a.Permanent);
        bytes[^4] = 0x80;
        Assert.False(RtnlMessages.ParseAddress(bytes)!.Tentative);
    }
}

public class RouteSpecTests
{
    private static NetNsException Fails(string? dst, string? gw = null, string? dev = null, uint? table = null, string? family = null, bool requireNextHop = true) =>
        Assert.Throws<NetNsException>(() => RouteSpec.Create(dst, gw, dev, null, table, family, requireNextHop));

    [Theory]
    [InlineData("10.1.0.0/16", "10.9.0.2", null, "route add 10.1.0.0/16 via 10.9.0.2")]
    [InlineData("default", "10.9.0.254", null, "route add default via 10.9.0.254")]
    [InlineData("0.0.0.0/0", null, "eth1", "route add default dev eth1")]
    [InlineData("10.7.7.7", null, "eth1", "route add 10.7.7.7 dev eth1")]
    [InlineData("10.7.7.7/32", null, "eth1", "route add 10.7.7.7 dev eth1")]
    [InlineData("default", "fd09::fe", null, "-6 route add default via fd09::fe")]
    [InlineData("FD10:0::/64", "fe80::1", "eth1", "-6 route add fd10::/64 via fe80::1 dev eth1")]
    public void Valid_routes_normalise_like_ip(string dst, string? gw, string? dev, string args)
    {
        var r = RouteSpec.Create(dst, gw, dev, null, null, null, requireNextHop: true);
        Assert.Equal(args, string.Join(' ', r.IpArguments("add")));
    }

    [Fact]
    public void Metric_table_and_family_appear_in_the_command_line()
    {
        var r = RouteSpec.Create("default", null, "eth1", 5, 100, "IPv6", requireNextHop: true);
        Assert.Equal(AddressFamily.InterNetworkV6, r.Family);
        Assert.Equal("-n ns1 -6 route del default dev eth1 metric 5 table 100", string.Join(' ', RouteOps.Command("ns1", r, "del").Arguments));
    }

    [Theory]
    [InlineData("10.1.0.1/16", "host bits")]
    [InlineData("10.1.0.0/33", "0 to 32")]
    [InlineData("fd00::/129", "0 to 128")]
    [InlineData("default/24", "no prefix")]
    [InlineData("10.1.0/16", "not an IPv4")]
    [InlineData("", "empty")]
    [InlineData("nonsense", "not an IPv4")]
    public void Bad_destinations_are_InvalidRouteDestination(string dst, string why)
    {
        var e = Fails(dst, "10.9.0.2");
        Assert.Equal("InvalidRouteDestination", e.ErrorId);
        Assert.Equal(NetNsErrorCategory.InvalidArgument, e.Category);
        Assert.Contains(why, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.1.0.0/16", "fd00::1", null, "family")]
    [InlineData("fd01::/64", "10.0.0.1", null, "family")]
    [InlineData("default", "10.0.0.1", "IPv6", "IPv6")]
    [InlineData("10.1.0.0/16", "10.0.0.1/24", null, "no prefix")]
    [InlineData("10.1.0.0/16", "224.0.0.1", null, "unicast")]
    [InlineData("10.1.0.0/16", "0.0.0.0", null, "unicast")]
    [InlineData("fd01::/64", "fe80::1", null, "-Interface")]
    public void Bad_gateways_are_InvalidGateway(string dst, string gw, string? family, string why)
    {
        var e = Fails(dst, gw, family: family);
        Assert.Equal("InvalidGateway", e.ErrorId);
        Assert.Contains(why, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Other_rules_have_their_own_ids()
    {
        Assert.Equal("NextHopRequired", Fails("10.1.0.0/16").ErrorId);
        Assert.Equal("InvalidRouteTable", Fails("10.1.0.0/16", "10.0.0.1", table: 0).ErrorId);
        Assert.Equal("InvalidInterfaceName", Fails("10.1.0.0/16", dev: "a/b").ErrorId);
        Assert.Equal("InvalidRouteDestination", Fails("10.1.0.0/16", dev: "eth1", family: "IPv6").ErrorId);
        // Removing needs no next hop.
        Assert.Equal("10.1.0.0/16", RouteSpec.Create("10.1.0.0/16", null, null, null, null, null, requireNextHop: false).DestinationText);
    }

    [Fact]
    public void Kernel_refusals_map_to_error_ids()
    {
        var r = RouteSpec.Create("10.1.0.0/16", "10.99.0.1", null, null, null, null, true);
        var cmd = RouteOps.Command("ns1", r, "add");
        NetNsException Map(int errno, string? ack = null) => RouteOps.Refused(new RtnlException(errno, ack), cmd, "ns1", r, "AddRouteFailed", "Cannot add");
        Assert.Equal("GatewayUnreachable", Map(22, "Nexthop has invalid gateway").ErrorId);
        Assert.Equal("GatewayUnreachable", Map(101).ErrorId);
        Assert.Equal("GatewayUnreachable", Map(113).ErrorId);
        Assert.Equal(NetNsErrorCategory.InvalidArgument, Map(113).Category);
        Assert.Equal("RouteExists", Map(17).ErrorId);
        Assert.Equal(NetNsErrorCategory.ResourceExists, Map(17).Category);
        Assert.Equal("RouteNotFound", Map(3).ErrorId);
        Assert.Equal(NetNsErrorCategory.ObjectNotFound, Map(3).Category);
        Assert.Equal("AddRouteFailed", Map(1).ErrorId);
        Assert.Equal(NetNsErrorCategory.PermissionDenied, Map(1).Category);
    }

    [Fact]
    public void Show_command_names_the_table()
    {
        Assert.Equal("ip -j -n ns1 -6 route show table main", RouteOps.ShowCommand("ns1", AddressFamily.InterNetworkV6, null).ToString());
        Assert.Equal("ip -j route show table all", RouteOps.ShowCommand("", null, 0).ToString());
    }

    [Fact]
    public void Sysctl_paths_and_command_lines()
    {
        Assert.Equal("/proc/sys/net/ipv4/ip_forward", NamespaceSysctl.PathOf(NamespaceSysctl.Ipv4Forwarding));
        Assert.Equal("/proc/sys/net/ipv6/conf/all/forwarding", NamespaceSysctl.PathOf(NamespaceSysctl.Ipv6Forwarding));
        var key = NamespaceSysctl.InterfaceKey("ipv6", "eth0.100", "addr_gen_mode");
        Assert.Equal("/proc/sys/net/ipv6/conf/eth0.100/addr_gen_mode", NamespaceSysctl.PathOf(key));
        Assert.Equal("net.ipv6.conf.eth0/100.addr_gen_mode", NamespaceSysctl.Display(key));
        Assert.Equal("ip netns exec r1 sysctl -w net.ipv4.ip_forward=1", NamespaceSysctl.WriteCommand("r1", NamespaceSysctl.Ipv4Forwarding, "1").ToString());
        Assert.True(NamespaceSysctl.Flag("1"));
        Assert.False(NamespaceSysctl.Flag("0\n".Trim()));
        Assert.Null(NamespaceSysctl.Flag(null));
    }
}

/// <summary>The production route, forwarding and DAD operations over the recording fake kernel.</summary>
public class RouteOpsTests
{
    private static (FakeKernel Kernel, List<string> Trace, NetNs.Core.Context.NetNsContext Context) Setup()
    {
        var k = new FakeKernel().WithNamespace("ns1").WithNamespace("ns2");
        var (a, _) = k.AddVethPair(k.Get("ns1"), "eth1", k.Get("ns2"), "eth2");
        a.Flags |= 1;
        k.Get("ns1").Addresses.Add(new NetNs.Core.Kernel.KernelAddress(a.Index, IPAddress.Parse("10.9.0.1"), 24, 0, true));
        k.Get("ns1").Addresses.Add(new NetNs.Core.Kernel.KernelAddress(a.Index, IPAddress.Parse("fd09::1"), 64, 0, true));
        var trace = new List<string>();
        return (k, trace, Fakes.Context(kernel: k, trace: trace));
    }

    private static RouteSpec Spec(string dst, string? gw = null, string? dev = null, uint? metric = null) =>
        RouteSpec.Create(dst, gw, dev, metric, null, null, requireNextHop: true);

    [Fact]
    public void Add_reads_the_route_back_with_the_interface_the_kernel_chose_and_announces_ip_route_add()
    {
        var (k, trace, ctx) = Setup();
        var ops = new RouteOps(ctx);
        var r = ops.Add("ns1", Spec("default", "10.9.0.254"));
        Assert.Equal(("default", "10.9.0.254", "eth1", "IPv4", "boot", "global", 254u), (r.Destination, r.Gateway, r.Interface, r.Family, r.Protocol, r.Scope, r.Table));
        Assert.Contains("ip -n ns1 route add default via 10.9.0.254   (in process: rtnetlink)", trace);
        Assert.Contains("ns1: route add default via 10.9.0.254", k.Calls);
        var v6 = ops.Add("ns1", Spec("fd10::/64", "fd09::2", metric: 7));
        Assert.Equal(("IPv6", 7u), (v6.Family, v6.Metric));
        Assert.Equal(new[] { "default", "fd10::/64" }, ops.Get("ns1").Select(x => x.Destination));
        Assert.Single(ops.Get("ns1", AddressFamily.InterNetworkV6));
    }

    [Fact]
    public void Refusals_become_error_ids_and_nothing_is_added()
    {
        var (k, _, ctx) = Setup();
        var ops = new RouteOps(ctx);
        Assert.Equal("GatewayUnreachable", Assert.Throws<NetNsException>(() => ops.Add("ns1", Spec("10.5.0.0/24", "10.99.0.1"))).ErrorId);
        Assert.Equal("LinkNotFound", Assert.Throws<NetNsException>(() => ops.Add("ns1", Spec("10.5.0.0/24", dev: "nope"))).ErrorId);
        Assert.Equal("NamespaceNotFound", Assert.Throws<NetNsException>(() => ops.Add("gone", Spec("10.5.0.0/24", dev: "eth1"))).ErrorId);
        Assert.Empty(k.Get("ns1").Routes);
        ops.Add("ns1", Spec("10.5.0.0/24", dev: "eth1"));
        Assert.Equal("RouteExists", Assert.Throws<NetNsException>(() => ops.Add("ns1", Spec("10.5.0.0/24", dev: "eth1"))).ErrorId);
        Assert.Equal("RouteNotFound", Assert.Throws<NetNsException>(() => ops.Remove("ns1", Spec("10.6.0.0/24", dev: "eth1"))).ErrorId);
        ops.Remove("ns1", RouteSpec.Create("10.5.0.0/24", null, null, null, null, null, requireNextHop: false));
        Assert.Empty(k.Get("ns1").Routes);
    }

    [Fact]
    public void Forwarding_is_written_read_back_and_listed_with_the_namespaces()
    {
        var (k, trace, ctx) = Setup();
        var r = new NetNs.Core.Ip.ForwardingOps(ctx).Set("ns1", true, null);
        Assert.Equal((true, false), (r.IPv4, r.IPv6));
        Assert.Contains("ns1: sysctl net/ipv4/ip_forward=1", k.Calls);
        Assert.Contains("ip netns exec ns1 sysctl -w net.ipv4.ip_forward=1   (in process: setns, /proc/sys)", trace);
        var list = new NetNs.Core.Ip.NamespaceOps(ctx).GetNamespaces();
        Assert.Equal(true, list.Single(n => n.Name == "ns1").IPv4Forwarding);
        Assert.Equal(false, list.Single(n => n.Name == "ns2").IPv4Forwarding);
        Assert.Equal("NamespaceNotFound", Assert.Throws<NetNsException>(() => new NetNs.Core.Ip.ForwardingOps(ctx).Set("gone", true, true)).ErrorId);
    }

    [Fact]
    public void Ipv6_address_that_fails_dad_is_removed_and_reported_and_skip_dad_adds_nodad()
    {
        var (k, _, ctx) = Setup();
        k.Duplicates.Add(IPAddress.Parse("fd09::7"));
        var ops = new NetNs.Core.Ip.AddressOps(ctx);
        var e = Assert.Throws<NetNsException>(() => ops.AddAddress("ns1", "eth1", "fd09::7/64"));
        Assert.Equal(("DuplicateAddress", NetNsErrorCategory.ResourceExists), (e.ErrorId, e.Category));
        Assert.DoesNotContain(k.Get("ns1").Addresses, a => a.Address.Equals(IPAddress.Parse("fd09::7")));
        Assert.Contains("ns1: addr del fd09::7/64 dev eth1", k.Calls);
        ops.AddAddress("ns1", "eth1", "fd09::7/64", skipDad: true);
        Assert.Contains("ns1: addr add fd09::7/64 dev eth1 nodad", k.Calls);
        ops.AddAddress("ns1", "eth1", "fd09::8/64");
        Assert.Contains("ns1: addr add fd09::8/64 dev eth1", k.Calls);
    }
}

public class NftBatchTests
{
    [Fact]
    public void Host_batch_replaces_only_netns_ps_nat_atomically_with_one_marked_rule_per_nat()
    {
        var text = NetNs.Core.Nat.NftBatch.Host(new[] { ("r2", "nsnatbbbbbb"), ("r1", "nsnataaaaaa") });
        Assert.Equal(
            "add table ip netns_ps_nat\n" +
            "delete table ip netns_ps_nat\n" +
            "table ip netns_ps_nat {\n" +
            "\tchain postrouting {\n\t\ttype nat hook postrouting priority srcnat; policy accept;\n" +
            "\t\tiifname \"nsnataaaaaa\" oifname != \"nsnataaaaaa\" masquerade comment \"netns-ps nat r1\"\n" +
            "\t\tiifname \"nsnatbbbbbb\" oifname != \"nsnatbbbbbb\" masquerade comment \"netns-ps nat r2\"\n" +
            "\t}\n}\n", text);
        Assert.DoesNotContain("flush ruleset", text);
    }

    [Fact]
    public void Last_removal_only_deletes_the_table_and_the_inner_table_masquerades_the_nat_link()
    {
        Assert.Equal("add table ip netns_ps_nat\ndelete table ip netns_ps_nat\n", NetNs.Core.Nat.NftBatch.Host(Array.Empty<(string, string)>()));
        Assert.Contains("oifname \"nat0\" masquerade comment \"netns-ps nat r1\"", NetNs.Core.Nat.NftBatch.Inner("r1", "nat0"));
        Assert.Equal("add table ip netns_ps_nat\ndelete table ip netns_ps_nat\n", NetNs.Core.Nat.NftBatch.Inner("r1", "nat0", remove: true));
    }

    [Fact]
    public void Batches_go_to_nft_on_standard_input_never_through_a_shell()
    {
        var c = NetNs.Core.Nat.NftBatch.Command("r1", "x\n");
        Assert.Equal("ip", c.Tool);
        Assert.Equal(new[] { "netns", "exec", "r1", "nft", "-f", "-" }, c.Arguments);
        Assert.Equal("x\n", c.StandardInput);
        Assert.Equal(new[] { "-f", "-" }, NetNs.Core.Nat.NftBatch.Command("", "x\n").Arguments);
        Assert.Throws<ArgumentException>(() => NetNs.Core.Nat.NftBatch.Inner("a\"b", "nat0"));
    }

    [Fact]
    public void Subnet_must_be_an_ipv4_network_of_at_most_30_bits()
    {
        Assert.Equal("100.127.0.0/30", NetNs.Core.Nat.NatOps.ParseSubnet("100.127.0.0/30").ToString());
        Assert.Equal("InvalidNatSubnet", Assert.Throws<NetNsException>(() => NetNs.Core.Nat.NatOps.ParseSubnet("10.0.0.1/24")).ErrorId);
        Assert.Equal("InvalidNatSubnet", Assert.Throws<NetNsException>(() => NetNs.Core.Nat.NatOps.ParseSubnet("10.0.0.0/31")).ErrorId);
        Assert.Equal("InvalidNatSubnet", Assert.Throws<NetNsException>(() => NetNs.Core.Nat.NatOps.ParseSubnet("fd00::/64")).ErrorId);
        Assert.Matches("^nsnat[0-9a-f]{6}$", NetNs.Core.Nat.NatOps.NewHostInterface());
    }
}

public class LabRoutingTests
{
    private const string Routed = """
    {
      "Name": "routed",
      "Bridges": [ { "Name": "br1" }, { "Name": "br2" } ],
      "Namespaces": [
        { "Name": "h1", "Routes": [ { "Destination": "default", "Gateway": "10.1.0.1" }, { "Destination": "default", "Gateway": "fd01::1" } ] },
        { "Name": "r1", "Forwarding": true, "Nat": true },
        { "Name": "h2", "Routes": [ { "Destination": "10.1.0.0/24", "Gateway": "10.2.0.1", "Metric": 5 } ] }
      ],
      "Links": [
        { "Namespace": "h1", "Name": "eth0", "Address": ["10.1.0.2/24", "fd01::2/64"], "Bridge": "br1", "PeerName": "p-h1" },
        { "Namespace": "r1", "Name": "eth1", "Address": ["10.1.0.1/24", "fd01::1/64"], "Bridge": "br1", "PeerName": "p-r1a" },
        { "Namespace": "r1", "Name": "eth2", "Address": "10.2.0.1/24", "Bridge": "br2", "PeerName": "p-r1b" },
        { "Namespace": "h2", "Name": "eth0", "Address": "10.2.0.2/24", "Bridge": "br2", "PeerName": "p-h2", "LinkLocal": true }
      ]
    }
    """;

    [Fact]
    public void Routes_and_forwarding_are_read_checked_and_written_back_identically()
    {
        var d = NetNs.Core.Lab.LabDefinitionReader.FromJson(Routed);
        NetNs.Core.Lab.LabValidator.Check(d);
        Assert.True(d.Namespaces[1].Forwarding);
        Assert.Equal(2, d.Namespaces[0].Routes.Count);
        Assert.Equal(5, d.Namespaces[2].Routes[0].Metric);
        Assert.True(d.Links[3].LinkLocal);
        Assert.True(d.Namespaces[1].Nat);
        Assert.Contains("Nat = $true", NetNs.Core.Lab.LabDefinitionWriter.ToPsd1(d));
        Assert.False(d.Links[0].LinkLocal);
        Assert.True(NetNs.Core.Lab.LabCommands.NamespaceSetups(d, "h2").Single(x => x.Name == "eth0").LinkLocal);
        var json = NetNs.Core.Lab.LabDefinitionWriter.ToJson(d);
        Assert.Equal(json, NetNs.Core.Lab.LabDefinitionWriter.ToJson(NetNs.Core.Lab.LabDefinitionReader.FromJson(json)));
        Assert.Equal(json, NetNs.Core.Lab.LabDefinitionWriter.ToJson(NetNs.Core.Lab.LabDefinitionReader.FromYaml(NetNs.Core.Lab.LabDefinitionWriter.ToYaml(d))));
        var psd1 = NetNs.Core.Lab.LabDefinitionWriter.ToPsd1(d);
        Assert.Contains("Forwarding = $true", psd1);
        Assert.Contains("Routes = @(@{ Destination = 'default'; Gateway = '10.1.0.1' }", psd1);
    }

    [Theory]
    [InlineData("\"Gateway\": \"10.1.0.1\"", "\"Gateway\": \"10.9.0.1\"", "GatewayUnreachable", "Namespaces[0].Routes[0].Gateway")]
    [InlineData("\"Gateway\": \"10.1.0.1\"", "\"Gateway\": \"fd01::1\"", "DuplicateLabObject", "Namespaces[0].Routes[1]")]
    [InlineData("\"Destination\": \"10.1.0.0/24\"", "\"Destination\": \"10.1.0.1/24\"", "InvalidRouteDestination", "Namespaces[2].Routes[0].Destination")]
    [InlineData("\"Gateway\": \"10.2.0.1\"", "\"Gateway\": \"fd01::1\"", "InvalidGateway", "Namespaces[2].Routes[0].Gateway")]
    [InlineData("\"Metric\": 5", "\"Interface\": \"eth9\"", "LabReferenceNotFound", "Namespaces[2].Routes[0].Interface")]
    public void Bad_routes_are_refused_naming_their_place(string from, string to, string id, string place)
    {
        var text = Routed.Replace(from, to, StringComparison.Ordinal);
        Assert.NotEqual(Routed, text);
        var e = Assert.Throws<NetNsException>(() => NetNs.Core.Lab.LabValidator.Check(NetNs.Core.Lab.LabDefinitionReader.FromJson(text)));
        Assert.Equal(id, e.ErrorId);
        Assert.Contains(place, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Diagrams_draw_routers_as_hexagons_show_subnets_and_list_routes_on_request()
    {
        var d = NetNs.Core.Lab.LabDefinitionReader.FromJson(Routed);
        var dot = NetNs.Core.Lab.LabDiagram.ToDot(d);
        Assert.Contains("\"ns:r1\" [shape=hexagon", dot);
        Assert.Contains("label=\"r1 (router)\\neth1 10.1.0.1/24", dot);
        Assert.Contains("label=\"br1\\n(auto)\\n10.1.0.0/24\\nfd01::/64\"", dot);
        Assert.DoesNotContain("→ default", dot);
        Assert.Contains("→ default via 10.1.0.1", NetNs.Core.Lab.LabDiagram.ToDot(d, routes: true));
        var mm = NetNs.Core.Lab.LabDiagram.ToMermaid(d, routes: true);
        Assert.Contains("  n1{{\"r1 (router)<br/>", mm);
        Assert.Contains("→ 10.1.0.0/24 via 10.2.0.1", mm);
        Assert.Contains("  n1 -.-|\"nat0 : masquerade\"| nat\n", mm);
        Assert.Contains("\"ns:r1\" -- \"nat:host\"", dot);
    }

    [Fact]
    public void The_matrix_expectation_follows_routes_forwarding_and_the_return_path()
    {
        var d = NetNs.Core.Lab.LabDefinitionReader.FromJson(Routed);
        var e = NetNs.Core.Lab.LabConnectivity.Expectation(d);
        Assert.True(e("h1", IPAddress.Parse("10.2.0.2")));   // via r1, back by h2's route to 10.1.0.0/24
        Assert.True(e("h2", IPAddress.Parse("10.1.0.2")));
        Assert.True(e("h1", IPAddress.Parse("10.2.0.1")));   // r1's far address: its own, no forwarding needed
        Assert.True(e("r1", IPAddress.Parse("10.2.0.2")));

        var noForwarding = NetNs.Core.Lab.LabDefinitionReader.FromJson(Routed.Replace("\"Forwarding\": true", "\"Forwarding\": false", StringComparison.Ordinal));
        Assert.False(NetNs.Core.Lab.LabConnectivity.Expectation(noForwarding)("h1", IPAddress.Parse("10.2.0.2")));
        Assert.True(NetNs.Core.Lab.LabConnectivity.Expectation(noForwarding)("h1", IPAddress.Parse("10.2.0.1")));

        var noReturn = NetNs.Core.Lab.LabDefinitionReader.FromJson(Routed.Replace("\"Destination\": \"10.1.0.0/24\", \"Gateway\": \"10.2.0.1\", \"Metric\": 5", "\"Destination\": \"10.3.0.0/24\", \"Gateway\": \"10.2.0.1\"", StringComparison.Ordinal));
        Assert.False(NetNs.Core.Lab.LabConnectivity.Expectation(noReturn)("h1", IPAddress.Parse("10.2.0.2")));
        Assert.False(NetNs.Core.Lab.LabConnectivity.Expectation(noReturn)("h2", IPAddress.Parse("10.1.0.2")));
    }

    [Fact]
    public void A_nat_namespace_gets_its_default_route_from_nat_and_no_link_named_nat0()
    {
        var withDefault = Routed.Replace("{ \"Name\": \"r1\", \"Forwarding\": true, \"Nat\": true }",
            "{ \"Name\": \"r1\", \"Forwarding\": true, \"Nat\": true, \"Routes\": [ { \"Destination\": \"default\", \"Gateway\": \"10.2.0.2\" } ] }", StringComparison.Ordinal);
        Assert.NotEqual(Routed, withDefault);
        var e = Assert.Throws<NetNsException>(() => NetNs.Core.Lab.LabValidator.Check(NetNs.Core.Lab.LabDefinitionReader.FromJson(withDefault)));
        Assert.Equal("InvalidLabDefinition", e.ErrorId);
        Assert.Contains("Namespaces[1].Routes[0]", e.Message, StringComparison.Ordinal);
        var clash = Routed.Replace("\"Namespace\": \"r1\", \"Name\": \"eth2\"", "\"Namespace\": \"r1\", \"Name\": \"nat0\"", StringComparison.Ordinal);
        Assert.Equal("DuplicateLabObject", Assert.Throws<NetNsException>(() => NetNs.Core.Lab.LabValidator.Check(NetNs.Core.Lab.LabDefinitionReader.FromJson(clash))).ErrorId);
    }

    [Fact]
    public void Unknown_route_keys_are_InvalidLabDefinition()
    {
        var e = Assert.Throws<NetNsException>(() => NetNs.Core.Lab.LabDefinitionReader.FromJson(Routed.Replace("\"Metric\": 5", "\"Via\": \"x\"", StringComparison.Ordinal)));
        Assert.Equal("InvalidLabDefinition", e.ErrorId);
        Assert.Contains("Namespaces[2].Routes[0].Via", e.Message, StringComparison.Ordinal);
    }
}
