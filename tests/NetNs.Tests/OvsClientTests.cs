using System.Text;
using System.Text.Json.Nodes;
using NetNs.Core.Context;
using NetNs.Core.Errors;
using NetNs.Core.Lab;
using NetNs.Core.Ovs;
using NetNs.Core.Process;
using Xunit;

namespace NetNs.Tests;

/// <summary>
/// The production code of each Open vSwitch operation (OvsClient over the OVSDB seam) against the recording fake of the
/// seam: the transactions sent, the state read back, the roll-backs, the errors and what -Verbose shows.
/// </summary>
public class OvsClientTests
{
    private sealed class NoRunner : IToolRunner
    {
        public Action<string>? CommandStarting { get; set; }
        public Task<ToolResult> RunAsync(ToolCommand command, CancellationToken cancellationToken) => throw new InvalidOperationException("no process may start: " + command);
        public Task<int> StreamAsync(ToolCommand command, Action<string> o, Action<string> e, CancellationToken cancellationToken) => throw new InvalidOperationException("no process may start: " + command);
    }

    private readonly FakeOvsDb _db = new();
    private readonly List<string> _trace = new();
    private static readonly OvsConnection Connection = new("unix:/run/test/db.sock", 5);

    private OvsClient Client() => new(new NetNsContext(new NoRunner(), Connection, CancellationToken.None, _trace.Add) { OvsDb = _db });

    private static string Ops(JsonArray tx) => string.Join(" ", tx.Select(o => o!["op"] + ":" + (o["table"]?.ToString() ?? "")));

    private OvsClient WithBridge(string name = "br0", params string[] ports)
    {
        var c = Client();
        c.CreateBridge(name, "netdev");
        if (ports.Length > 0) c.AddPorts(name, ports, null);
        _db.Transactions.Clear();
        _trace.Clear();
        return c;
    }

    [Fact]
    public void New_bridge_is_one_add_br_transaction_waited_for_and_shown_as_its_ovs_vsctl_line()
    {
        var bridge = Client().CreateBridge("br0", "netdev");
        Assert.Equal(("br0", "netdev", true), (bridge.Name, bridge.DatapathType, bridge.Exists));
        var tx = Assert.Single(_db.Changes);
        Assert.Equal("insert:Interface insert:Port insert:Bridge mutate:Open_vSwitch mutate:Open_vSwitch select:Open_vSwitch comment:", Ops(tx));
        Assert.Equal("internal", tx[0]!["row"]!["type"]!.GetValue<string>());
        Assert.Equal("netdev", _db.Row("Bridge", "br0")["datapath_type"]!.GetValue<string>());
        Assert.Equal(65534, (int)_db.Row("Interface", "br0")["ofport"]!);
        Assert.Contains("ovs-vsctl --timeout=5 --db=unix:/run/test/db.sock add-br br0 -- set Bridge br0 datapath_type=netdev" + OvsClient.InProcessMark, _trace);
    }

    [Fact]
    public void A_bridge_whose_datapath_fails_is_BridgeDatapathFailed_and_removed_again()
    {
        _db.DatapathFails = true;
        var ex = Assert.Throws<NetNsException>(() => Client().CreateBridge("br0", "netdev"));
        Assert.Equal(("BridgeDatapathFailed", NetNsErrorCategory.ResourceUnavailable), (ex.ErrorId, ex.Category));
        Assert.Contains("removed again", ex.Message);
        Assert.Empty(_db.Names("Bridge"));
        Assert.Equal(2, _db.Changes.Count);
    }

    [Fact]
    public void A_bridge_name_taken_is_BridgeExists_and_stores_nothing()
    {
        var c = WithBridge();
        var ex = Assert.Throws<NetNsException>(() => c.CreateBridge("br0", "netdev"));
        Assert.Equal(("BridgeExists", NetNsErrorCategory.ResourceExists), (ex.ErrorId, ex.Category));
        Assert.Equal(new[] { "br0" }, _db.Names("Bridge"));
    }

    [Fact]
    public void Many_ports_are_one_transaction_with_their_vlan_columns()
    {
        var c = WithBridge();
        var names = Enumerable.Range(1, 100).Select(i => "p" + i).ToList();
        var state = c.AddPorts("br0", names, OvsVlan.Create(null, new[] { 20, 10 }, 10, false));
        var tx = Assert.Single(_db.Changes);
        Assert.Equal(200, tx.Count(o => o!["op"]!.GetValue<string>() == "insert"));
        Assert.Equal(100, state.Ports().Count);
        var p1 = state.Ports().Single(p => p.Name == "p1");
        Assert.Equal(("native-untagged", 10), (p1.VlanMode, p1.Tag));
        Assert.Equal(new[] { 10, 20 }, p1.Trunks);
        Assert.True(p1.OfPort > 0);
        Assert.Single(_trace, t => t.Contains("add-port br0 p1 tag=10 trunks=20,10 vlan_mode=native-untagged -- add-port br0 p2") && t.EndsWith(OvsClient.InProcessMark));
    }

    [Fact]
    public void Ports_whose_device_ovs_cannot_open_are_removed_again()
    {
        var c = WithBridge();
        _db.MissingDevices.Add("gone");
        var ex = Assert.Throws<NetNsException>(() => c.AddPorts("br0", new[] { "ok1", "gone" }, null));
        Assert.Equal("ConnectPortFailed", ex.ErrorId);
        Assert.Contains("could not open network device gone", ex.Message);
        Assert.Equal(new[] { "br0" }, _db.Names("Port"));
        Assert.Equal(2, _db.Changes.Count);
    }

    [Fact]
    public void Adding_to_a_missing_bridge_or_a_taken_name_stores_nothing()
    {
        var c = WithBridge("br0", "p1");
        var ex = Assert.Throws<NetNsException>(() => c.AddPorts("nope", new[] { "p2" }, null));
        Assert.Equal(("BridgeNotFound", NetNsErrorCategory.ObjectNotFound), (ex.ErrorId, ex.Category));
        ex = Assert.Throws<NetNsException>(() => c.AddPorts("br0", new[] { "p3", "p1" }, null));
        Assert.Equal(("PortExists", "p1"), (ex.ErrorId, ex.Target));
        Assert.Equal(new[] { "br0", "p1" }, _db.Names("Port"));
    }

    [Fact]
    public void Removing_ports_checks_their_bridge_first()
    {
        var c = WithBridge("br0", "p1", "p2");
        var ex = Assert.Throws<NetNsException>(() => c.RemovePorts(new[] { ("br9", "p1") }));
        Assert.Equal("PortNotFound", ex.ErrorId);
        Assert.Empty(_db.Changes);
        c.RemovePorts(new[] { ("br0", "p1"), ("br0", "p2") });
        Assert.Single(_db.Changes);
        Assert.Equal(new[] { "br0" }, _db.Names("Port"));
        Assert.Equal(new[] { "br0" }, _db.Names("Interface"));
    }

    [Fact]
    public void Vlan_setting_writes_all_three_columns()
    {
        var c = WithBridge("br0", "p1");
        c.SetVlan(new[] { "p1" }, OvsVlan.Create(100, null, null, false)!);
        var p = c.GetState().Ports().Single();
        Assert.Equal(("access", 100, 0), (p.VlanMode, p.Tag, p.Trunks.Count));
        Assert.Equal("access", _db.Row("Port", "p1")["vlan_mode"]!.GetValue<string>());
        c.SetVlan(new[] { "p1" }, OvsVlan.Untagged);
        p = c.GetState().Ports().Single();
        Assert.Equal((null, null), (p.VlanMode, p.Tag));
        var ex = Assert.Throws<NetNsException>(() => c.SetVlan(new[] { "p1", "nope" }, OvsVlan.Untagged));
        Assert.Equal(("PortNotFound", "nope"), (ex.ErrorId, ex.Target));
    }

    [Fact]
    public void Bridge_removal_takes_its_ports_and_a_missing_bridge_is_BridgeNotFound()
    {
        var c = WithBridge("br0", "p1");
        var ex = Assert.Throws<NetNsException>(() => c.RemoveBridge("nope"));
        Assert.Equal(("BridgeNotFound", NetNsErrorCategory.ObjectNotFound, false), (ex.ErrorId, ex.Category, ex.IsFatal));
        c.RemoveBridge("br0");
        Assert.Empty(_db.Names("Bridge"));
        Assert.Empty(_db.Names("Port"));
        Assert.Contains(_trace, t => t.Contains("del-br br0") && t.EndsWith(OvsClient.InProcessMark));
    }

    [Fact]
    public void Teardown_is_one_transaction_and_skips_what_does_not_exist()
    {
        var c = WithBridge("br0", "p1");
        c.CreateBridge("br1", "netdev");
        c.AddPorts("br1", new[] { "q1" }, null);
        _db.Transactions.Clear();
        var committed = false;
        c.RemoveIfExist(new[] { "br1", "nope" }, new[] { "p1", "gone" }, () => committed = true);
        Assert.True(committed);
        Assert.Single(_db.Changes);
        Assert.Equal(new[] { "br0" }, _db.Names("Bridge"));
        Assert.Equal(new[] { "br0" }, _db.Names("Port"));
    }

    [Fact]
    public void A_switch_that_does_not_answer_is_the_fatal_OvsTimeout()
    {
        var c = WithBridge();
        _db.SwitchStalled = true;
        var ex = Assert.Throws<NetNsException>(() => c.AddPorts("br0", new[] { "p1" }, null));
        Assert.Equal(("OvsTimeout", NetNsErrorCategory.OperationTimeout, true), (ex.ErrorId, ex.Category, ex.IsFatal));
    }

    [Fact]
    public void State_reads_are_one_transaction_of_selects()
    {
        var c = WithBridge("br0", "p1", "p2");
        var state = c.GetState();
        Assert.Equal("select:Bridge select:Port select:Interface", Ops(Assert.Single(_db.Transactions).Operations));
        Assert.Equal("br0", state.BridgeOfPort("p2"));
        Assert.Equal(new[] { "p1", "p2" }, state.Bridges().Single().Ports);
        Assert.Single(_trace, t => t.Contains("list Bridge") && t.EndsWith(OvsClient.InProcessMark));
        _db.Transactions.Clear();
        var partial = c.GetState("br0", new[] { "p1" });
        Assert.Equal("select:Bridge select:Port select:Interface", Ops(Assert.Single(_db.Transactions).Operations));
        Assert.Equal(new[] { "p1" }, partial.Ports().Select(p => p.Name));
        Assert.Equal("3.1.0", c.GetVersion());
        Assert.Equal("br0", c.TryGetPortBridges()!["p1"]);
    }

    [Fact]
    public void A_lab_is_one_transaction_of_bridges_ports_marks_and_vlans()
    {
        var d = new LabDefinition("lab1", new[] { new LabBridge("lbr", OvsDatapathType.Netdev) }, new[] { new LabNamespace("n1"), new LabNamespace("n2") },
            new[]
            {
                new LabLink("n1", "e1", "v1", null, "lbr", tag: 7),
                new LabLink("n2", "e2", "v2", null, "lbr", trunk: new[] { 20, 10 }),
            }, Array.Empty<LabDhcpServer>());
        LabValidator.Check(d);
        var datapaths = new Dictionary<string, string> { ["lbr"] = "netdev" };
        var state = Client().CreateBridges(LabOvs.Bridges(d, datapaths), LabCommands.OvsBuild(d, datapaths, null)!);
        Assert.Single(_db.Changes);
        Assert.Equal(new[] { "v1", "v2" }, state.Bridges().Single().Ports);
        Assert.Equal("access", _db.Row("Port", "v1")["vlan_mode"]!.GetValue<string>());
        Assert.Equal("trunk", _db.Row("Port", "v2")["vlan_mode"]!.GetValue<string>());
        Assert.Equal("lab1", state.FindBridge("lbr")!.ExternalIds[LabMarks.ExternalIdKey]);
        Assert.Equal("lab1", state.FindPort("v2")!.ExternalIds[LabMarks.ExternalIdKey]);
        Assert.Contains(_trace, t => t.Contains("add-port lbr v1 tag=7 vlan_mode=access external_ids:netns-lab=lab1") && t.EndsWith(OvsClient.InProcessMark));
    }

    [Fact]
    public void A_lab_port_ovs_cannot_open_takes_the_lab_bridges_out_again()
    {
        _db.MissingDevices.Add("v1");
        var bridges = new[] { new OvsNewBridge("lbr", "netdev", null, new[] { new OvsNewPort("v1") }) };
        var ex = Assert.Throws<NetNsException>(() => Client().CreateBridges(bridges, OvsCommands.AddBridge(Connection, "lbr", "netdev")));
        Assert.Equal("ConnectPortFailed", ex.ErrorId);
        Assert.Empty(_db.Names("Bridge"));
    }

    [Fact]
    public void The_production_seam_refuses_what_it_cannot_reach()
    {
        foreach (var remote in new[] { "unix:/nonexistent/db.sock", "ssl:127.0.0.1:6640" })
            Assert.Throws<OvsDbUnreachableException>(() => new OvsDbJsonRpc().Open(remote, 1, CancellationToken.None));
    }

    [Fact]
    public void An_unreachable_database_is_the_fatal_OvsUnreachable_naming_it_and_the_fix()
    {
        _db.Unreachable = true;
        var ex = Assert.Throws<NetNsException>(() => Client().GetState());
        Assert.Equal(("OvsUnreachable", NetNsErrorCategory.ConnectionError, true), (ex.ErrorId, ex.Category, ex.IsFatal));
        Assert.Contains("unix:/run/test/db.sock", ex.Message);
        Assert.Contains("/usr/share/openvswitch/scripts/ovs-ctl start", ex.Message);
        Assert.Null(Client().TryGetState());
        Assert.Empty(_trace);
    }

    [Fact]
    public void The_framer_scans_only_new_bytes_and_splits_messages()
    {
        var f = new JsonTextFramer();
        var texts = new List<string>();
        foreach (var b in Encoding.UTF8.GetBytes("{\"a\":\"}]{\\\"\"}[1,{\"b\":2}] {\"c\":3}"))
        {
            f.Append(new[] { b });
            while (f.Next() is { } t) texts.Add(Encoding.UTF8.GetString(t).Trim());
        }
        Assert.Equal(new[] { "{\"a\":\"}]{\\\"\"}", "[1,{\"b\":2}]", "{\"c\":3}" }, texts);
    }

    [Fact]
    public void Auto_datapath_follows_the_kernel_module()
    {
        var dp = OvsDatapath.Resolve(OvsDatapathType.Auto, out var reason);
        Assert.Equal(Directory.Exists("/sys/module/openvswitch") ? "system" : "netdev", dp);
        Assert.Contains(dp, reason);
        Assert.Equal("netdev", OvsDatapath.Resolve(OvsDatapathType.Netdev, out _));
        Assert.Equal("system", OvsDatapath.Resolve(OvsDatapathType.System, out _));
    }
}
