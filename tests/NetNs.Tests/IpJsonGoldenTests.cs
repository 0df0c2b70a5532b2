using NetNs.Core.Ip;
using Xunit;

namespace NetNs.Tests;

/// <summary>IpJson against ip -j output captured on this machine (iproute2 6.1).</summary>
public class IpJsonGoldenTests
{
    [Fact]
    public void ParseLinks_namespace_with_veths_bridge_and_loopback()
    {
        var links = IpJson.ParseLinks(Golden.Read("ip-link-ns.json"));
        Assert.Equal(new[] { "lo", "gold-in", "gold-x", "gold-q", "gold-p", "gold-br" }, links.Select(l => l.Name));
        Assert.Equal(new[] { 1, 2, 3, 4, 5, 6 }, links.Select(l => l.IfIndex));
        Assert.Equal(new[] { "loopback", "veth", "veth", "veth", "veth", "bridge" }, links.Select(l => l.Kind));

        var lo = links[0];
        Assert.Equal(65536, lo.Mtu);
        Assert.Equal("UNKNOWN", lo.OperState);
        Assert.Equal(new[] { "LOOPBACK", "UP", "LOWER_UP" }, lo.Flags);
        Assert.Equal("00:00:00:00:00:00", lo.MacAddress);
        Assert.Null(lo.LinkIndex);

        var inner = links[1]; // peer in the root namespace
        Assert.Equal(1400, inner.Mtu);
        Assert.Equal("DOWN", inner.OperState);
        Assert.Contains("UP", inner.Flags);
        Assert.Contains("NO-CARRIER", inner.Flags);
        Assert.Equal(87, inner.LinkIndex);
        Assert.Equal(0, inner.LinkNetnsId);
        Assert.Null(inner.LinkName);
        Assert.Equal("62:57:4c:cb:fc:33", inner.MacAddress);

        var x = links[2]; // peer in namespace gold2
        Assert.Equal("02:00:00:00:00:0a", x.MacAddress);
        Assert.Equal("UP", x.OperState);
        Assert.Equal(2, x.LinkIndex);
        Assert.Equal(1, x.LinkNetnsId);

        var q = links[3]; // peer in the same namespace, port of a Linux bridge
        Assert.Null(q.LinkIndex);
        Assert.Null(q.LinkNetnsId);
        Assert.Equal("gold-p", q.LinkName);
        Assert.Equal("gold-br", q.Master);
        Assert.Equal("gold-q", links[4].LinkName);
        Assert.Null(links[4].Master);

        var br = links[5];
        Assert.Equal(1500, br.Mtu);
        Assert.Equal("fe:f5:ec:5f:a7:e8", br.MacAddress);
        Assert.DoesNotContain("UP", br.Flags);
    }

    [Fact]
    public void ParseLinks_root_end_of_a_veth()
    {
        var l = Assert.Single(IpJson.ParseLinks(Golden.Read("ip-link-root-veth.json")));
        Assert.Equal(87, l.IfIndex);
        Assert.Equal("gold-root", l.Name);
        Assert.Equal("veth", l.Kind);
        Assert.Equal(1400, l.Mtu);
        Assert.Equal("DOWN", l.OperState);
        Assert.Equal(new[] { "BROADCAST", "MULTICAST" }, l.Flags);
        Assert.Equal(2, l.LinkIndex);
        Assert.Equal(2, l.LinkNetnsId);
        Assert.Equal("be:cb:52:08:0e:d5", l.MacAddress);
    }

    [Fact]
    public void ParseLinks_kinds_of_the_machines_own_links()
    {
        var links = IpJson.ParseLinks(Golden.Read("ip-link-root-system.json"));
        Assert.Equal(new[] { "lo", "eth0", "ifb0" }, links.Select(l => l.Name));
        Assert.Equal(new[] { "loopback", "device", "ifb" }, links.Select(l => l.Kind));
        Assert.Equal(new[] { 65536, 1400, 1500 }, links.Select(l => l.Mtu));
        Assert.Equal(new[] { "UNKNOWN", "UP", "DOWN" }, links.Select(l => l.OperState));
        Assert.Equal("02:fc:00:00:00:01", links[1].MacAddress);
        Assert.All(links, l => Assert.Null(l.LinkIndex));
    }

    [Fact]
    public void ParseLinks_empty_output_is_no_links() => Assert.Empty(IpJson.ParseLinks(""));

    [Fact]
    public void ParseNetnsIds_from_inside_a_namespace_leaves_the_root_unnamed()
    {
        var ids = IpJson.ParseNetnsIds(Golden.Read("ip-netns-list-id-ns.json"));
        Assert.Equal(2, ids.Count);
        Assert.Null(ids[0]);
        Assert.Equal("gold2", ids[1]);
    }

    [Fact]
    public void ParseNetnsIds_from_the_root()
    {
        var ids = IpJson.ParseNetnsIds(Golden.Read("ip-netns-list-id-root.json"));
        Assert.Equal(new Dictionary<int, string?> { [2] = "gold1", [3] = "gold2" }, ids);
    }

    [Fact]
    public void ParseAddresses_namespace()
    {
        var a = IpJson.ParseAddresses(Golden.Read("ip-address-ns.json"), "gold1");
        Assert.Equal(new[] { "127.0.0.1/8", "::1/128", "10.0.0.1/24", "fd00::1/64", "fe80::ff:fe00:a/64" }, a.Select(x => x.Cidr));
        Assert.Equal(new[] { "lo", "lo", "gold-x", "gold-x", "gold-x" }, a.Select(x => x.Name));
        Assert.Equal(new[] { "IPv4", "IPv6", "IPv4", "IPv6", "IPv6" }, a.Select(x => x.Family));
        Assert.Equal(new[] { "host", "host", "global", "global", "link" }, a.Select(x => x.Scope));
        Assert.All(a, x => Assert.Equal("gold1", x.Namespace));
        Assert.All(a, x => Assert.False(x.Dynamic));
        Assert.Equal("10.0.0.1", a[2].Address);
        Assert.Equal(24, a[2].PrefixLength);
    }

    [Fact]
    public void ParseAddresses_one_device()
    {
        var a = IpJson.ParseAddresses(Golden.Read("ip-address-dev.json"), "gold1");
        Assert.Equal(new[] { "10.0.0.1/24", "fd00::1/64", "fe80::ff:fe00:a/64" }, a.Select(x => x.Cidr));
    }

    [Fact]
    public void ParseAddresses_marks_dynamic_addresses()
    {
        const string json = """[{"ifindex":2,"ifname":"eth1","addr_info":[{"family":"inet","local":"10.0.0.50","prefixlen":24,"scope":"global","dynamic":true,"valid_life_time":3599}]}]""";
        var a = Assert.Single(IpJson.ParseAddresses(json, "ns"));
        Assert.True(a.Dynamic);
        Assert.Equal("10.0.0.50/24", a.Cidr);
    }
}
