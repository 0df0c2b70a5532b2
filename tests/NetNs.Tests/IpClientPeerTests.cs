using NetNs.Core.Ip;
using Xunit;

namespace NetNs.Tests;

/// <summary>Peer resolution of Get-NetLink in the root namespace, fed with golden ip -j output.</summary>
public class IpClientPeerTests
{
    private static FakeRunner Runner() => new FakeRunner()
        .Answer("ip -j -d link show", Golden.Read("ip-link-root-veth.json"))
        .Answer("ip -j -d link show dev gold-root", Golden.Read("ip-link-root-veth.json"))
        .Answer("ip -j netns list-id", Golden.Read("ip-netns-list-id-root.json"))
        .Answer("ip -j -d -n gold1 link show", Golden.Read("ip-link-ns.json"))
        .Answer("ip -j -d -n gold2 link show", Golden.Read("ip-link-ns2.json"));

    [Fact]
    public void Root_end_resolves_to_the_end_in_the_named_namespace()
    {
        var runner = Runner();
        var l = Assert.Single(new IpClient(runner).GetLinks(""));
        Assert.Equal("", l.Namespace);
        Assert.Equal("gold-root", l.Name);
        Assert.Equal(87, l.IfIndex);
        Assert.Equal("veth", l.Kind);
        Assert.Equal("DOWN", l.AdminState);
        Assert.Equal(1400, l.Mtu);
        Assert.Equal("gold-in", l.PeerName);
        Assert.Equal("gold1", l.PeerNamespace);
        Assert.Equal(2, l.PeerIfIndex);
        Assert.Equal(new[] { "ip -j -d link show", "ip -j netns list-id", "ip -j -d -n gold1 link show" }, runner.Commands);
    }

    [Fact]
    public void One_link_by_name()
    {
        var l = new IpClient(Runner()).GetLink("", "gold-root");
        Assert.Equal("gold-in", l.PeerName);
        Assert.Equal("gold1", l.PeerNamespace);
    }

    [Fact]
    public void A_peer_that_does_not_point_back_stays_unresolved()
    {
        // The root's nsid 2 names gold2, whose ifindex 2 (gold-y) is a veth pointing at ifindex 3, not 87.
        var runner = new FakeRunner()
            .Answer("ip -j -d link show", Golden.Read("ip-link-root-veth.json"))
            .Answer("ip -j netns list-id", """[{"nsid":2,"name":"gold2"}]""")
            .Answer("ip -j -d -n gold2 link show", Golden.Read("ip-link-ns2.json"));
        var l = Assert.Single(new IpClient(runner).GetLinks(""));
        Assert.Null(l.PeerName);
        Assert.Null(l.PeerNamespace);
        Assert.Null(l.PeerIfIndex);
    }

    [Fact]
    public void An_unnamed_nsid_seen_from_the_root_stays_unresolved()
    {
        var runner = new FakeRunner()
            .Answer("ip -j -d link show", Golden.Read("ip-link-root-veth.json"))
            .Answer("ip -j netns list-id", """[{"nsid":2}]""");
        var l = Assert.Single(new IpClient(runner).GetLinks(""));
        Assert.Null(l.PeerNamespace);
        Assert.Null(l.PeerName);
    }
}
