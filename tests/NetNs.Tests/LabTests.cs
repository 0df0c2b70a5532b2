using NetNs.Core.Ovs;
using System.Collections;
using NetNs.Core.Errors;
using NetNs.Core.Lab;
using Xunit;

namespace NetNs.Tests;

public class LabDefinitionTests
{
    private static Hashtable Walkthrough(int tag2 = 100) => new()
    {
        ["Name"] = "walkthrough",
        ["Bridges"] = new object[] { new Hashtable { ["Name"] = "br0", ["DatapathType"] = "Netdev" } },
        ["Namespaces"] = new object[] { "ns1", "ns2" },
        ["Links"] = new object[]
        {
            new Hashtable { ["Namespace"] = "ns1", ["Name"] = "eth1-ns1", ["Address"] = "10.0.0.1/24", ["Bridge"] = "br0", ["PeerName"] = "veth-ns1", ["Tag"] = 100 },
            new Hashtable { ["Namespace"] = "ns2", ["Name"] = "eth1-ns2", ["Address"] = "10.0.0.2/24", ["Bridge"] = "br0", ["PeerName"] = "veth-ns2", ["Tag"] = tag2 },
        },
    };

    [Fact]
    public void Reads_a_hashtable_definition()
    {
        var d = LabDefinitionReader.FromTree(Walkthrough());
        Assert.Equal("walkthrough", d.Name);
        Assert.Equal(new[] { "ns1", "ns2" }, d.Namespaces.Select(n => n.Name));
        Assert.Equal(OvsDatapathType.Netdev, d.Bridges[0].DatapathType);
        Assert.Equal("veth-ns2", d.Links[1].PeerName);
        Assert.Equal("br0", d.Links[1].Bridge);
        Assert.Equal(100, d.Links[1].Tag);
        Assert.Equal(new[] { "10.0.0.2/24" }, d.Links[1].Addresses);
    }

    [Fact]
    public void Json_and_yaml_round_trip_to_the_same_definition()
    {
        var d = LabDefinitionReader.FromTree(Walkthrough());
        var json = LabDefinitionWriter.ToJson(d);
        var yaml = LabDefinitionWriter.ToYaml(d);
        Assert.Equal(json, LabDefinitionWriter.ToJson(LabDefinitionReader.FromJson(json)));
        Assert.Equal(json, LabDefinitionWriter.ToJson(LabDefinitionReader.FromYaml(yaml)));
    }

    [Fact]
    public void Reads_yaml_with_keys_in_any_case_and_trunks()
    {
        var yaml = "name: y1\nbridges: [sw]\nnamespaces: [a, b]\nlinks:\n  - {namespace: a, name: e0, bridge: sw, peername: pa, trunk: [10, 20]}\n  - {namespace: a, name: x0, peernamespace: b, peername: x1, address: 10.1.0.1/30, peeraddress: 10.1.0.2/30, mtu: 9000}\n";
        var d = LabDefinitionReader.FromYaml(yaml);
        Assert.Equal(new[] { 10, 20 }, d.Links[0].Trunk);
        Assert.Equal(OvsDatapathType.Auto, d.Bridges[0].DatapathType);
        Assert.Equal("b", d.Links[1].PeerNamespace);
        Assert.Equal(9000, d.Links[1].Mtu);
        LabValidator.Check(d);
    }

    [Fact]
    public void Psd1_text_is_deterministic()
    {
        var d = LabDefinitionReader.FromTree(Walkthrough());
        var text = LabDefinitionWriter.ToPsd1(d);
        Assert.Contains("@{ Namespace = 'ns1'; Name = 'eth1-ns1'; Address = '10.0.0.1/24'; Bridge = 'br0'; PeerName = 'veth-ns1'; Tag = 100 }", text);
        Assert.Contains("    Name       = 'walkthrough'", text);
        Assert.Equal(text, LabDefinitionWriter.ToPsd1(LabDefinitionReader.FromTree(Walkthrough())));
    }

    [Theory]
    [InlineData("Colour", "red", "InvalidLabDefinition")]
    [InlineData("Bridges", 5, "InvalidLabDefinition")]
    public void Unknown_keys_and_wrong_types_are_refused(string key, object value, string errorId)
    {
        var h = Walkthrough();
        h[key] = value;
        var ex = Assert.ThrowsAny<NetNsException>(() => LabDefinitionReader.FromTree(h));
        Assert.Equal(errorId, ex.ErrorId);
        Assert.Equal(NetNsErrorCategory.InvalidArgument, ex.Category);
        Assert.Contains(key == "Colour" ? "Colour" : "Bridges[0]", ex.Message);
    }

    [Fact]
    public void Malformed_json_is_refused() =>
        Assert.Equal("InvalidLabDefinition", Assert.Throws<NetNsException>(() => LabDefinitionReader.FromJson("{ \"Name\": ")).ErrorId);
}

public class LabValidatorTests
{
    private static LabDefinition Def(Action<List<LabLink>>? links = null, string name = "lab1", IEnumerable<LabDhcpServer>? dhcp = null)
    {
        var l = new List<LabLink>
        {
            new("ns1", "eth1", "veth-ns1", null, "br0", new[] { "10.0.0.1/24" }, null, null, 100),
            new("ns2", "eth1", "veth-ns2", null, "br0", new[] { "10.0.0.2/24" }, null, null, 100),
        };
        links?.Invoke(l);
        return new LabDefinition(name, new[] { new LabBridge("br0") }, new[] { new LabNamespace("ns1"), new LabNamespace("ns2") }, l, dhcp ?? Array.Empty<LabDhcpServer>());
    }

    private static NetNsException Fails(LabDefinition d) => Assert.ThrowsAny<NetNsException>(() => LabValidator.Check(d));

    [Fact]
    public void Accepts_the_walkthrough() => LabValidator.Check(Def());

    [Theory]
    [InlineData(0)]
    [InlineData(4095)]
    [InlineData(-1)]
    public void Refuses_bad_tags(int tag)
    {
        var ex = Fails(Def(l => l[0] = new LabLink("ns1", "eth1", "veth-ns1", null, "br0", null, null, null, tag)));
        Assert.Equal("InvalidVlanTag", ex.ErrorId);
        Assert.Contains("veth-ns1", ex.Message);
    }

    [Fact]
    public void Refuses_duplicate_trunks_and_tag_with_trunk()
    {
        Assert.Equal("DuplicateTrunkVlan", Fails(Def(l => l[0] = new LabLink("ns1", "eth1", "veth-ns1", null, "br0", trunk: new[] { 10, 10 }))).ErrorId);
        Assert.Equal("InvalidTrunk", Fails(Def(l => l[0] = new LabLink("ns1", "eth1", "veth-ns1", null, "br0", trunk: new[] { 0, 10 }))).ErrorId);
        Assert.Equal("InvalidLabDefinition", Fails(Def(l => l[0] = new LabLink("ns1", "eth1", "veth-ns1", null, "br0", tag: 5, trunk: new[] { 10 }))).ErrorId);
    }

    [Fact]
    public void Refuses_duplicates_naming_the_object()
    {
        var ex = Fails(Def(l => l.Add(new LabLink("ns1", "eth1", "veth-x", null, "br0"))));
        Assert.Equal("DuplicateLabObject", ex.ErrorId);
        Assert.Contains("'eth1' in namespace 'ns1'", ex.Message);
        ex = Fails(Def(l => l.Add(new LabLink("ns1", "eth2", "veth-ns2", null, "br0"))));
        Assert.Equal("DuplicateLabObject", ex.ErrorId);
        Assert.Contains("veth-ns2", ex.Message);
        ex = Fails(Def(l => l.Add(new LabLink("ns1", "eth2", "br0", null, "br0"))));
        Assert.Equal("DuplicateLabObject", ex.ErrorId);
        ex = Fails(Def(l => l[1] = new LabLink("ns2", "eth1", "veth-ns2", null, "br0", new[] { "10.0.0.1/24" })));
        Assert.Equal("DuplicateAddress", ex.ErrorId);
    }

    [Fact]
    public void Refuses_bad_names_addresses_mtus_and_references()
    {
        Assert.Equal("InvalidInterfaceName", Fails(Def(l => l[0] = new LabLink("ns1", "a-name-far-too-long", "v", null, "br0"))).ErrorId);
        Assert.Equal("InvalidAddress", Fails(Def(l => l[0] = new LabLink("ns1", "eth1", "veth-ns1", null, "br0", new[] { "10.0.0.300/24" }))).ErrorId);
        Assert.Equal("InvalidMtu", Fails(Def(l => l[0] = new LabLink("ns1", "eth1", "veth-ns1", null, "br0", mtu: 67))).ErrorId);
        var ex = Fails(Def(l => l[0] = new LabLink("ns9", "eth1", "veth-ns1", null, "br0")));
        Assert.Equal("LabReferenceNotFound", ex.ErrorId);
        Assert.Equal(NetNsErrorCategory.ObjectNotFound, ex.Category);
        Assert.Equal("InvalidLabDefinition", Fails(Def(l => l[0] = new LabLink("ns1", "eth1", "veth-ns1", "ns2", "br0"))).ErrorId);
        Assert.Equal("InvalidLabName", Fails(Def(name: "bad/name")).ErrorId);
        Assert.Contains("loopback", Fails(Def(l => l[0] = new LabLink("ns1", "lo", "veth-ns1", null, "br0"))).Message);
    }

    [Fact]
    public void Checks_dhcp_ranges()
    {
        LabValidator.Check(Def(dhcp: new[] { new LabDhcpServer("ns1", "eth1", "10.0.0.100", "10.0.0.150") }));
        Assert.Equal("InvalidDhcpRange", Fails(Def(dhcp: new[] { new LabDhcpServer("ns1", "eth1", "10.0.0.150", "10.0.0.100") })).ErrorId);
        Assert.Equal("InvalidDhcpRange", Fails(Def(dhcp: new[] { new LabDhcpServer("ns1", "eth1", "10.0.1.1", "10.0.1.9") })).ErrorId);
        Assert.Equal("LabReferenceNotFound", Fails(Def(dhcp: new[] { new LabDhcpServer("ns1", "eth9", "10.0.0.1", "10.0.0.9") })).ErrorId);
    }

    [Fact]
    public void Collisions_name_the_existing_object()
    {
        var d = Def();
        var ex = Assert.Throws<NetNsException>(() => LabValidator.CheckCollisions(d, new LabInventory(new[] { "ns2" }, Array.Empty<string>(), Array.Empty<string>(), Array.Empty<string>())));
        Assert.Equal(("NamespaceExists", NetNsErrorCategory.ResourceExists), (ex.ErrorId, ex.Category));
        Assert.Contains("'ns2'", ex.Message);
        Assert.Equal("BridgeExists", Assert.Throws<NetNsException>(() => LabValidator.CheckCollisions(d, new LabInventory(Array.Empty<string>(), Array.Empty<string>(), new[] { "br0" }, Array.Empty<string>()))).ErrorId);
        Assert.Equal("LinkExists", Assert.Throws<NetNsException>(() => LabValidator.CheckCollisions(d, new LabInventory(Array.Empty<string>(), new[] { "veth-ns1" }, Array.Empty<string>(), Array.Empty<string>()))).ErrorId);
        Assert.Equal("PortExists", Assert.Throws<NetNsException>(() => LabValidator.CheckCollisions(d, new LabInventory(Array.Empty<string>(), Array.Empty<string>(), Array.Empty<string>(), new[] { "veth-ns2" }))).ErrorId);
    }
}

public class LabCommandTests
{
    private static LabDefinition Walkthrough() => new("wt",
        new[] { new LabBridge("br0", OvsDatapathType.Netdev) },
        new[] { new LabNamespace("ns1"), new LabNamespace("ns2") },
        new[]
        {
            new LabLink("ns1", "eth1-ns1", "veth-ns1", null, "br0", new[] { "10.0.0.1/24" }, null, null, 100),
            new LabLink("ns2", "eth1-ns2", "veth-ns2", null, "br0", new[] { "10.0.0.2/24" }, null, 1400, null, new[] { 100, 200 }),
            new LabLink("ns1", "x1", "x2", "ns2", null, new[] { "fd00::1/64" }, new[] { "fd00::2/64" }),
        },
        Array.Empty<LabDhcpServer>());

    [Fact]
    public void Root_batch_creates_namespaces_and_pairs_with_ends_in_place()
    {
        var cmd = LabCommands.RootBatch(Walkthrough());
        Assert.Equal("ip", cmd.Tool);
        Assert.Equal(new[] { "-batch", "-" }, cmd.Arguments);
        Assert.Equal(
            "netns add ns1\nnetns add ns2\n" +
            "link add name eth1-ns1 netns ns1 type veth peer name veth-ns1\n" +
            "link add name eth1-ns2 mtu 1400 netns ns2 type veth peer name veth-ns2 mtu 1400\n" +
            "link add name x1 netns ns1 type veth peer name x2 netns ns2\n" +
            "link set dev veth-ns1 addrgenmode none\nlink set dev veth-ns1 alias netns-lab:wt up\nlink set dev veth-ns2 addrgenmode none\nlink set dev veth-ns2 alias netns-lab:wt up\n", cmd.StandardInput);
    }

    [Fact]
    public void With_a_switch_namespace_the_port_ends_go_there()
    {
        var d = Walkthrough();
        Assert.Contains("link add name eth1-ns1 netns ns1 type veth peer name veth-ns1 netns sw\n", LabCommands.RootBatch(d, "sw").StandardInput);
        Assert.DoesNotContain("alias", LabCommands.RootBatch(d, "sw").StandardInput);
        Assert.Equal(new[] { "link set dev veth-ns1 addrgenmode none", "link set dev veth-ns1 alias netns-lab:wt up", "link set dev veth-ns2 addrgenmode none", "link set dev veth-ns2 alias netns-lab:wt up" }, LabCommands.SwitchBatchLines(d).Select(x => x.Line));
    }

    [Fact]
    public void Namespace_batch_brings_lo_and_ends_up_and_adds_addresses()
    {
        var cmd = LabCommands.NamespaceBatch(Walkthrough(), "ns2");
        Assert.Equal(new[] { "-n", "ns2", "-batch", "-" }, cmd.Arguments);
        Assert.Equal(
            "link set dev lo alias netns-lab:wt up\nlink set dev eth1-ns2 addrgenmode none\nlink set dev eth1-ns2 alias netns-lab:wt up\nlink set dev x2 alias netns-lab:wt up\n" +
            "address add 10.0.0.2/24 dev eth1-ns2\naddress add fd00::2/64 dev x2 nodad\n", cmd.StandardInput);
    }

    [Fact]
    public void One_ovs_transaction_for_bridges_ports_vlans_and_marks()
    {
        var d = Walkthrough();
        var cmd = LabCommands.OvsBuild(d, new Dictionary<string, string> { ["br0"] = "netdev" }, "/tmp/x/db.sock")!;
        Assert.Equal("ovs-vsctl", cmd.Tool);
        Assert.Equal(new[]
        {
            "--timeout=30", "--db=unix:/tmp/x/db.sock",
            "add-br", "br0", "--", "set", "bridge", "br0", "datapath_type=netdev", "external_ids:netns-lab=wt",
            "--", "add-port", "br0", "veth-ns1", "tag=100", "vlan_mode=access", "external_ids:netns-lab=wt",
            "--", "add-port", "br0", "veth-ns2", "trunks=100,200", "vlan_mode=trunk", "external_ids:netns-lab=wt",
        }, cmd.Arguments);
        Assert.Null(LabCommands.OvsBuild(new LabDefinition("e", Array.Empty<LabBridge>(), Array.Empty<LabNamespace>(), Array.Empty<LabLink>(), Array.Empty<LabDhcpServer>()), new Dictionary<string, string>(), null));
    }

    [Fact]
    public void Teardown_is_one_transaction_and_one_batch()
    {
        Assert.Equal(new[] { "--timeout=30", "--", "--if-exists", "del-port", "p1", "--", "--if-exists", "del-br", "br0" },
            LabCommands.OvsTeardown(new[] { "br0" }, new[] { "p1" }, null)!.Arguments);
        var ip = LabCommands.RootTeardown(new[] { "veth-ns1" }, new[] { "ns1", "ns2" })!;
        Assert.Equal(new[] { "-force", "-batch", "-" }, ip.Arguments);
        Assert.Equal("link del dev veth-ns1\nnetns del ns1\nnetns del ns2\n", ip.StandardInput);
        Assert.Null(LabCommands.RootTeardown(Array.Empty<string>(), Array.Empty<string>()));
    }

    [Fact]
    public void A_failed_batch_line_names_its_object()
    {
        var lines = LabCommands.NamespaceBatchLines(Walkthrough(), "ns1");
        Assert.Equal("address fd00::1/64 on 'x1' in namespace 'ns1'",
            LabCommands.FailedTarget("Error: ipv6: something\nCommand failed -:6\n", lines));
        Assert.Null(LabCommands.FailedTarget("garbage", lines));
    }

    [Fact]
    public void Marks_round_trip() 
    {
        Assert.Equal("netns-lab:abc", LabMarks.Alias("abc"));
        Assert.Equal("abc", LabMarks.LabOfAlias("netns-lab:abc"));
        Assert.Null(LabMarks.LabOfAlias("something else"));
        Assert.Null(LabMarks.LabOfAlias(null));
    }

    [Fact]
    public void Reads_marks_from_the_ovs_state_captured_here()
    {
        var state = NetNs.Core.Ovs.OvsJson.ParseState(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "ovs", "state-lab-marks.json")), "unix:/x");
        var br = Assert.Single(state.BridgeRows);
        Assert.Equal(("gbr", "netdev", "golden"), (br.Name, br.DatapathType, br.ExternalIds["netns-lab"]));
        Assert.Equal(3, state.PortRows.Count);
        var gpa = state.FindPort("gpa")!;
        Assert.Equal((100, "gbr", "golden"), (gpa.Tag, state.BridgeOfPortUuid(gpa.Uuid), gpa.ExternalIds["netns-lab"]));
        var gpb = state.FindPort("gpb")!;
        Assert.Null(gpb.Tag);
        Assert.Equal(new[] { 10, 20 }, gpb.Trunks);
        Assert.Empty(gpb.ExternalIds);
    }
}

public class LabPictureAndMatrixTests
{
    private static LabDefinition Split() => new("vl",
        new[] { new LabBridge("br0", OvsDatapathType.Netdev) },
        new[] { new LabNamespace("a"), new LabNamespace("b"), new LabNamespace("c"), new LabNamespace("d") },
        new[]
        {
            new LabLink("a", "eth0", "va", null, "br0", new[] { "10.0.0.1/24" }, null, null, 100),
            new LabLink("b", "eth0", "vb", null, "br0", new[] { "10.0.0.2/24" }, null, null, 200),
            new LabLink("c", "eth0", "vc", null, "br0", new[] { "10.0.0.3/24" }, null, null, 100),
            new LabLink("c", "p0", "p1", "d", null, new[] { "10.9.0.1/30" }, new[] { "10.9.0.2/30" }),
        },
        Array.Empty<LabDhcpServer>());

    [Fact]
    public void Dot_names_every_object_and_colours_vlans()
    {
        var dot = LabDiagram.ToDot(Split());
        Assert.StartsWith("graph \"vl\" {", dot);
        Assert.Contains("\"ns:a\" [shape=box, style=\"rounded,filled\", fillcolor=\"#f4f4f4\", label=\"a\\neth0 10.0.0.1/24\"];", dot);
        Assert.Contains("\"br:br0\" [shape=ellipse, style=filled, fillcolor=\"#dde7f7\", label=\"br0\\n(netdev)\\n10.0.0.0/24", dot);
        Assert.Contains("\"ns:a\" -- \"br:br0\" [label=\"eth0 : va\\nVLAN 100\", color=\"#1f77b4\"", dot);
        Assert.Contains("\"ns:b\" -- \"br:br0\" [label=\"eth0 : vb\\nVLAN 200\", color=\"#d62728\"", dot);
        Assert.Contains("\"ns:c\" -- \"ns:d\" [label=\"p0 : p1\\n10.9.0.0/30\", color=\"#555555\"", dot);
        Assert.Contains("label=\"d\\np1 10.9.0.2/30\"", dot);
    }

    [Fact]
    public void Mermaid_has_nodes_edges_and_link_styles()
    {
        var mm = LabDiagram.ToMermaid(Split());
        Assert.Contains("flowchart LR\n", mm);
        Assert.Contains("  n0[\"a<br/>eth0 10.0.0.1/24\"]\n", mm);
        Assert.Contains("  b0([\"br0<br/>(netdev)<br/>10.0.0.0/24", mm);
        Assert.Contains("  n1 ---|\"eth0 : vb<br/>VLAN 200\"| b0\n", mm);
        Assert.Contains("  linkStyle 1 stroke:#d62728,stroke-width:2px\n", mm);
        Assert.Contains("  n2 ---|\"p0 : p1<br/>10.9.0.0/30\"| n3\n", mm);
    }

    [Fact]
    public void Expected_matrix_follows_vlans_and_veth_peers()
    {
        var d = Split();
        static System.Net.IPAddress ip(string s) => System.Net.IPAddress.Parse(s);
        Assert.True(LabConnectivity.Expected(d, "a", ip("10.0.0.3")));
        Assert.False(LabConnectivity.Expected(d, "a", ip("10.0.0.2")));
        Assert.True(LabConnectivity.Expected(d, "d", ip("10.9.0.1")));
        Assert.False(LabConnectivity.Expected(d, "d", ip("10.0.0.3")));
        Assert.Equal(5, LabConnectivity.Hosts(d).Count);
    }

    [Fact]
    public void Compare_reports_missing_extra_and_different()
    {
        var d = Split();
        var live = new LabDefinition("vl", d.Bridges, d.Namespaces.Take(3).Append(new LabNamespace("z")),
            new[] { new LabLink("a", "eth0", "va", null, "br0", new[] { "10.0.0.1/24" }, null, null, 300), d.Links[1], d.Links[2],
                    new LabLink("z", "q0", "q1", "a", null) }, d.Dhcp);
        var diffs = LabComparer.Compare(d, live);
        Assert.Contains(diffs, x => x is { Kind: "Namespace", Name: "d", Status: "Missing" });
        Assert.Contains(diffs, x => x is { Kind: "Namespace", Name: "z", Status: "Extra" });
        Assert.Contains(diffs, x => x is { Kind: "Link", Name: "a/eth0", Status: "Different", Property: "Tag", Expected: "100", Actual: "300" });
        Assert.Contains(diffs, x => x is { Kind: "Link", Name: "c/p0", Status: "Missing" });
        Assert.Contains(diffs, x => x is { Kind: "Link", Name: "z/q0", Status: "Extra" });
        Assert.Equal(5, diffs.Count);
        Assert.Empty(LabComparer.Compare(d, d));
    }
}
