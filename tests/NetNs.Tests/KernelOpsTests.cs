using NetNs.Core.Errors;
using NetNs.Core.Ip;
using NetNs.Core.Kernel;
using Xunit;

namespace NetNs.Tests;

/// <summary>The production code of the namespace, link and address operations, run against the recording fake kernel.</summary>
public class KernelOpsTests
{
    private readonly FakeKernel _k = new FakeKernel().WithNamespace("ns1").WithNamespace("ns2");
    private readonly List<string> _trace = new();
    private readonly FakeDhcp _dhcp = new();

    private Core.Context.NetNsContext Ctx() => Fakes.Context(kernel: _k, dhcp: _dhcp, trace: _trace);

    [Fact]
    public void Create_namespace_announces_the_ip_command_marked_and_gives_it_an_id()
    {
        var ns = new NamespaceOps(Ctx()).CreateNamespace("ns3");
        Assert.Equal("ns3", ns.Name);
        Assert.NotNull(ns.Id);
        Assert.Contains("netns add ns3", _k.Calls);
        Assert.Equal(new[] { "ip netns add ns3   (in process: unshare, bind mount)", "ip netns set ns3 auto   (in process: rtnetlink)" }, _trace);
        var ex = Assert.Throws<NetNsException>(() => new NamespaceOps(Ctx()).CreateNamespace("ns3"));
        Assert.Equal("NamespaceExists", ex.ErrorId);
    }

    [Fact]
    public void Get_namespaces_lists_names_ids_and_pids()
    {
        _k.Pids["ns2"] = new List<int> { 42 };
        var ops = new NamespaceOps(Ctx());
        ops.AssignNsId("ns2");
        var all = ops.GetNamespaces();
        Assert.Equal(new[] { "ns1", "ns2" }, all.Select(n => n.Name));
        Assert.Null(all[0].Id);
        Assert.Equal(0, all[1].Id);
        Assert.Equal(new[] { 42 }, all[1].ProcessIds);
    }

    [Fact]
    public void Remove_deletes_the_veths_inside_then_the_namespace_and_announces_each_step()
    {
        _k.AddVethPair(_k.Get("ns1"), "a", _k.Get(""), "b");
        _k.AddVethPair(_k.Get("ns1"), "c", _k.Get("ns2"), "d");
        _k.AddVethPair(_k.Get("ns1"), "e", _k.Get("ns1"), "f");
        new NamespaceOps(Ctx()).RemoveKernelPart("ns1", force: false);
        Assert.False(_k.NamespaceExists("ns1"));
        using (var root = _k.At("")) Assert.Null(root.Link("b"));
        using (var ns2 = _k.At("ns2")) Assert.Equal(new[] { "lo" }, ns2.Links().Select(l => l.Name));
        Assert.Equal("ip -j -d -n ns1 link show   (in process: rtnetlink)", _trace[0]);
        Assert.Contains("ip -n ns1 link del dev a   (in process: rtnetlink)", _trace);
        Assert.Contains("ip -n ns1 link del dev c   (in process: rtnetlink)", _trace);
        Assert.Equal(4, _trace.Count(t => t.StartsWith("ip -n ns1 link del dev ", StringComparison.Ordinal)));
        Assert.Equal("ip netns del ns1   (in process: umount, unlink)", _trace[^1]);
        Assert.Equal("netns del ns1", _k.Calls[^1]);
    }

    [Fact]
    public void Remove_refuses_while_processes_run_unless_forced()
    {
        _k.Pids["ns1"] = new List<int> { 7, 8 };
        var ex = Assert.Throws<NetNsException>(() => new NamespaceOps(Ctx()).RemoveKernelPart("ns1", force: false));
        Assert.Equal("NamespaceInUse", ex.ErrorId);
        Assert.Equal(NetNsErrorCategory.ResourceUnavailable, ex.Category);
        Assert.True(_k.NamespaceExists("ns1"));
        new NamespaceOps(Ctx()).RemoveKernelPart("ns1", force: true);
        Assert.Equal(new[] { 7, 8 }, _k.Stopped);
        Assert.False(_k.NamespaceExists("ns1"));
    }

    [Fact]
    public void Namespace_removal_stops_dhcp_first_asks_and_reports_each_failure()
    {
        var failed = new List<string>();
        var asked = new List<string>();
        new NamespaceRemoval(Ctx())
        {
            Confirm = (n, action) => { asked.Add(n + ": " + action); return n != "ns2"; },
            Failed = ex => failed.Add(ex.ErrorId),
        }.Run(new[] { "ns1", "ns2", "nope", "ns1" });
        Assert.Equal(new[] { "ns1: ip netns del ns1", "ns2: ip netns del ns2" }, asked);
        Assert.Equal(new[] { "NamespaceNotFound" }, failed);
        Assert.Equal(new[] { "stop-in ns1" }, _dhcp.Calls);
        Assert.False(_k.NamespaceExists("ns1"));
        Assert.True(_k.NamespaceExists("ns2"));
    }

    [Fact]
    public void Veth_add_creates_both_ends_in_their_namespaces_in_one_request()
    {
        var pair = new LinkOps(Ctx()).AddVeth("a", "ns1", "b", "ns2", 1400);
        Assert.Equal("ns2", pair.PeerNamespace);
        Assert.Equal(new[] { "root: veth add a@ns1 b@ns2 mtu 1400" }, _k.Calls);
        Assert.Equal(new[] { "ip link add name a mtu 1400 netns ns1 type veth peer name b mtu 1400 netns ns2   (in process: rtnetlink)" }, _trace);
        var again = Assert.Throws<NetNsException>(() => new LinkOps(Ctx()).AddVeth("a", "ns1", "c", "ns2", null));
        Assert.Equal("LinkExists", again.ErrorId);
        Assert.Equal("ns1/a", again.Target);
        Assert.Equal("NamespaceNotFound", Assert.Throws<NetNsException>(() => new LinkOps(Ctx()).AddVeth("x", "gone", "y", "", null)).ErrorId);
        Assert.Equal("InvalidPeerName", Assert.Throws<NetNsException>(() => new LinkOps(Ctx()).AddVeth("x", "ns1", "x", "ns1", null)).ErrorId);
    }

    [Fact]
    public void Peers_resolve_in_the_root_in_another_namespace_and_in_the_same_one()
    {
        var ops = new LinkOps(Ctx());
        ops.AddVeth("in", "ns1", "root-end", "", 1400);
        ops.AddVeth("x", "ns1", "y", "ns2", null);
        _k.AddVethPair(_k.Get("ns1"), "p", _k.Get("ns1"), "q");
        var links = ops.GetLinks("ns1").ToDictionary(l => l.Name);
        Assert.Equal(("root-end", ""), (links["in"].PeerName, links["in"].PeerNamespace));
        Assert.Equal(("y", "ns2"), (links["x"].PeerName, links["x"].PeerNamespace));
        Assert.Equal(("q", "ns1"), (links["p"].PeerName, links["p"].PeerNamespace));
        Assert.Equal("loopback", links["lo"].Kind);
        Assert.Equal(1400, links["in"].Mtu);
        Assert.Contains("M-DOWN", links["p"].Flags);
        var root = ops.GetLink("", "root-end");
        Assert.Equal(("in", "ns1"), (root.PeerName, root.PeerNamespace));
        Assert.Equal(links["in"].IfIndex, root.PeerIfIndex);
        Assert.Equal("ip -j -d link show dev root-end   (in process: rtnetlink)", _trace[^1]);
    }

    [Fact]
    public void A_peer_in_a_namespace_no_file_names_stays_unresolved()
    {
        _k.AddVethPair(_k.Get(""), "cont0", _k.AddForeign(), "eth0");
        var l = new LinkOps(Ctx()).GetLink("", "cont0");
        Assert.Null(l.PeerName);
        Assert.Null(l.PeerNamespace);
        Assert.Null(l.PeerIfIndex);
    }

    [Fact]
    public void Find_resolves_only_the_names_asked_for_and_tries_likely_namespaces_first()
    {
        new LinkOps(Ctx()).AddVeth("v1", "", "e1", "ns2", null);
        var found = new LinkOps(Ctx()).Find("", new[] { "v1", "missing" }, new[] { "ns2" });
        var v1 = Assert.Single(found).Value;
        Assert.Equal(("e1", "ns2"), (v1.PeerName, v1.PeerNamespace));
    }

    [Fact]
    public void Set_link_changes_state_and_name_and_maps_refusals()
    {
        var ops = new LinkOps(Ctx());
        ops.AddVeth("a", "ns1", "b", "ns1", null);
        ops.SetLink("ns1", "a", up: true, mtu: 1300, mac: "02:00:00:00:00:0a", newName: "a2");
        var l = ops.GetLink("ns1", "a2");
        Assert.True(l.IsUp);
        Assert.Equal(1300, l.Mtu);
        Assert.Equal("02:00:00:00:00:0a", l.MacAddress);
        Assert.Contains(IpCommands.LinkSet("ns1", "a", true, 1300, "02:00:00:00:00:0a", "a2") + "   (in process: rtnetlink)", _trace);
        Assert.Equal("LinkNotFound", Assert.Throws<NetNsException>(() => ops.SetLink("ns1", "a", true, null, null, null)).ErrorId);
        Assert.Equal("LinkExists", Assert.Throws<NetNsException>(() => ops.SetLink("ns1", "a2", null, null, null, "b")).ErrorId);
    }

    [Fact]
    public void Move_link_checks_both_sides_then_moves_it_down()
    {
        var ops = new LinkOps(Ctx());
        ops.AddVeth("a", "", "b", "ns1", null);
        ops.SetLink("", "a", true, null, null, null);
        var moved = ops.MoveLink("", "a", "ns2");
        Assert.Equal("ns2", moved.Namespace);
        Assert.False(moved.IsUp);
        Assert.Equal(("b", "ns1"), (moved.PeerName, moved.PeerNamespace));
        Assert.Contains("root: link move a to ns2", _k.Calls);
        Assert.Equal("SameNamespace", Assert.Throws<NetNsException>(() => ops.MoveLink("ns2", "a", "ns2")).ErrorId);
        Assert.Equal("LinkNotFound", Assert.Throws<NetNsException>(() => ops.MoveLink("", "a", "ns1")).ErrorId);
        ops.AddVeth("a", "ns1", "c", "ns1", null);
        Assert.Equal("LinkExists", Assert.Throws<NetNsException>(() => ops.MoveLink("ns1", "a", "ns2")).ErrorId);
    }

    [Fact]
    public void Remove_link_takes_both_ends_of_a_veth()
    {
        var ops = new LinkOps(Ctx());
        ops.AddVeth("a", "ns1", "b", "ns2", null);
        ops.RemoveLink("ns1", "a");
        Assert.False(ops.Exists("ns2", "b"));
        Assert.Equal("ip -n ns1 link del dev a   (in process: rtnetlink)", _trace[^1]);
        var ex = Assert.Throws<NetNsException>(() => ops.RemoveLink("ns1", "a"));
        Assert.Equal("LinkNotFound", ex.ErrorId);
        Assert.Equal(NetNsErrorCategory.ObjectNotFound, ex.Category);
        Assert.Equal("ns1/a", ex.Target);
    }

    [Fact]
    public void Namespaces_holding_a_link_are_found_for_error_messages()
    {
        new LinkOps(Ctx()).AddVeth("a", "ns1", "b", "ns2", null);
        Assert.Equal(new[] { "ns1" }, new LinkOps(Ctx()).NamespacesHolding("a"));
        Assert.Empty(new LinkOps(Ctx()).NamespacesHolding("a", except: "ns1"));
    }

    [Fact]
    public void Addresses_are_added_listed_in_ip_order_and_removed()
    {
        var links = new LinkOps(Ctx());
        links.AddVeth("a", "ns1", "b", "ns1", null);
        var ops = new AddressOps(Ctx());
        ops.AddAddress("ns1", "a", "fd00::1/64");
        var v4 = ops.AddAddress("ns1", "a", "10.0.0.1/24");
        Assert.Equal("global", v4.Scope);
        ops.AddAddress("ns1", "lo", "127.0.0.1/8");
        var all = ops.GetAddresses("ns1");
        Assert.Equal(new[] { "lo 127.0.0.1/8 host", "a 10.0.0.1/24 global", "a fd00::1/64 global" }, all.Select(x => $"{x.Name} {x.Cidr} {x.Scope}"));
        Assert.All(all, x => Assert.False(x.Dynamic));
        Assert.Equal(2, ops.GetAddresses("ns1", "a").Count);
        Assert.Equal("AddressExists", Assert.Throws<NetNsException>(() => ops.AddAddress("ns1", "a", "10.0.0.1/24")).ErrorId);
        ops.RemoveAddress("ns1", "a", "10.0.0.1/24");
        Assert.Equal("ip -n ns1 address del 10.0.0.1/24 dev a   (in process: rtnetlink)", _trace[^1]);
        var gone = Assert.Throws<NetNsException>(() => ops.RemoveAddress("ns1", "a", "10.0.0.1/24"));
        Assert.Equal("AddressNotFound", gone.ErrorId);
        Assert.Equal("LinkNotFound", Assert.Throws<NetNsException>(() => ops.GetAddresses("ns1", "zz")).ErrorId);
        Assert.Equal("LinkNotFound", Assert.Throws<NetNsException>(() => ops.AddAddress("ns1", "zz", "10.0.0.2/24")).ErrorId);
        Assert.Equal("NamespaceNotFound", Assert.Throws<NetNsException>(() => ops.GetAddresses("gone")).ErrorId);
    }

    [Fact]
    public void Link_flags_and_kinds_are_named_as_ip_names_them()
    {
        var up = new KernelLink(3, "e", null, 0x1 | 0x2 | 0x1000 | 0x40 | 0x10000, null, null);
        Assert.Equal(new[] { "BROADCAST", "MULTICAST", "UP", "LOWER_UP" }, up.FlagList(lowerDown: false));
        var noCarrier = new KernelLink(3, "e", "veth", 0x1 | 0x2 | 0x1000, 4, null);
        Assert.Equal(new[] { "NO-CARRIER", "BROADCAST", "MULTICAST", "UP", "M-DOWN" }, noCarrier.FlagList(lowerDown: true));
        Assert.Equal("device", up.KindName);
        Assert.Equal("none", (up with { Type = 65534 }).KindName);
        Assert.Equal("02:00:00:00:00:0a", (up with { Address = new byte[] { 2, 0, 0, 0, 0, 10 } }).AddressText);
        Assert.Equal("10.1.2.3", (up with { Type = 768, Address = new byte[] { 10, 1, 2, 3 } }).AddressText);
        Assert.Equal("LOWERLAYERDOWN", (up with { OperState = 3 }).OperStateName);
    }
}

/// <summary>The kernel part of labs through the fake kernel.</summary>
public class LabKernelTests
{
    [Fact]
    public void Lab_links_go_up_with_their_mark_and_addresses_in_each_namespace_and_failures_name_the_link()
    {
        var k = new FakeKernel().WithNamespace("h1").WithNamespace("h2");
        k.AddVethPair(k.Get("h1"), "e1", k.Get("h2"), "e2");
        var ctx = Fakes.Context(kernel: k);
        Core.Lab.LabNetlink.Apply(ctx, new[]
        {
            ("h1", (IReadOnlyList<Core.Lab.LabLinkSetup>)new[] { new Core.Lab.LabLinkSetup("lo", "netns-lab:t", Array.Empty<string>()), new Core.Lab.LabLinkSetup("e1", "netns-lab:t", new[] { "10.0.0.1/24" }) }),
            ("h2", (IReadOnlyList<Core.Lab.LabLinkSetup>)new[] { new Core.Lab.LabLinkSetup("e2", "netns-lab:t", new[] { "10.0.0.2/24" }) }),
        });
        var l = new LinkOps(ctx).GetLink("h1", "e1");
        Assert.True(l.IsUp);
        Assert.Equal("netns-lab:t", l.Alias);
        Assert.Equal("10.0.0.2/24", Assert.Single(new AddressOps(ctx).GetAddresses("h2")).Cidr);
        Assert.Equal(new[] { "e1" }, Core.Lab.LabNetlink.ExistingLinks(ctx, "h1", new[] { "e1", "gone" }));
        var ex = Assert.Throws<NetNsException>(() => Core.Lab.LabNetlink.Apply(ctx, new[] { ("h2", (IReadOnlyList<Core.Lab.LabLinkSetup>)new[] { new Core.Lab.LabLinkSetup("zz", null, Array.Empty<string>()) }) }));
        Assert.Equal("LabBuildFailed", ex.ErrorId);
        Assert.Equal("h2/zz", ex.Target);
        Assert.Empty(Core.Lab.LabNetlink.RemoveNamespaces(ctx, new[] { "h1", "h1" }));
        Assert.False(k.NamespaceExists("h1"));
    }

    [Fact]
    public void Lab_namespaces_and_pairs_are_created_in_process_and_a_failure_names_the_pair()
    {
        var k = new FakeKernel();
        var trace = new List<string>();
        var ctx = Fakes.Context(kernel: k, trace: trace);
        var d = Core.Lab.LabDefinitionReader.FromJson("""
            {"Name":"t","Namespaces":["h1","h2"],"Links":[{"Namespace":"h1","Name":"e1","PeerNamespace":"h2","PeerName":"e2","Mtu":1400}]}
            """, "t");
        Core.Lab.LabNetlink.CreateRoot(ctx, d, "");
        Assert.Equal(new[] { "netns add h1", "netns add h2", "root: veth add e1@h1 e2@h2 mtu 1400" }, k.Calls);
        Assert.StartsWith("ip -batch -", Assert.Single(trace));
        Assert.EndsWith("(in process: unshare, bind mount, rtnetlink)", trace[0]);
        var again = Assert.Throws<NetNsException>(() => Core.Lab.LabNetlink.CreateRoot(ctx, d, ""));
        Assert.Equal("LabBuildFailed", again.ErrorId);
        Assert.Equal(NetNsErrorCategory.ResourceExists, again.Category);
    }
}
