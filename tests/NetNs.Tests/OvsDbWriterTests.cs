using System.Text.Json;
using NetNs.Core.Errors;
using NetNs.Core.Ovs;
using Xunit;

namespace NetNs.Tests;

/// <summary>The add-port transaction NetNs sends over OVSDB JSON-RPC (RFC 7047), and how an aborted one maps to errors.</summary>
public class OvsDbWriterTests
{
    private static JsonElement Json(object ops) => JsonDocument.Parse(JsonSerializer.Serialize(ops)).RootElement;

    private static JsonElement Ops(IReadOnlyList<string> ports, OvsVlan? vlan) => Json(OvsDbWriter.AddPortOperations("br0", ports, vlan));

    [Fact]
    public void Add_port_checks_the_bridge_and_inserts_interface_and_port_per_name()
    {
        var ops = Ops(new[] { "p1", "p2" }, null);
        Assert.Equal(new[] { "wait", "insert", "insert", "insert", "insert", "mutate" },
            ops.EnumerateArray().Select(o => o.GetProperty("op").GetString()));
        var wait = ops[0];
        Assert.Equal("Bridge", wait.GetProperty("table").GetString());
        Assert.Equal(0, wait.GetProperty("timeout").GetInt32());
        Assert.Equal("br0", wait.GetProperty("rows")[0].GetProperty("name").GetString());
        Assert.Equal("Interface", ops[1].GetProperty("table").GetString());
        Assert.Equal("p1", ops[1].GetProperty("row").GetProperty("name").GetString());
        var port = ops[2];
        Assert.Equal("Port", port.GetProperty("table").GetString());
        Assert.Equal("[\"named-uuid\",\"iface0\"]", port.GetProperty("row").GetProperty("interfaces").GetRawText());
        Assert.False(port.GetProperty("row").TryGetProperty("tag", out _));
        Assert.Equal("[[\"ports\",\"insert\",[\"set\",[[\"named-uuid\",\"port0\"],[\"named-uuid\",\"port1\"]]]]]", ops[5].GetProperty("mutations").GetRawText());
    }

    [Fact]
    public void Every_change_ends_with_next_cfg_incremented_selected_and_a_comment()
    {
        var ops = Json(OvsDbTransaction.ConfigBump(OvsDbConfigWait.Vswitchd, "why"));
        var bump = ops[0].GetProperty("mutations")[0];
        Assert.Equal(("Open_vSwitch", "next_cfg", "+=", 1), (ops[0].GetProperty("table").GetString(), bump[0].GetString(), bump[1].GetString(), bump[2].GetInt32()));
        Assert.Equal(("select", "next_cfg"), (ops[1].GetProperty("op").GetString(), ops[1].GetProperty("columns")[0].GetString()));
        Assert.Equal(("comment", "why"), (ops[2].GetProperty("op").GetString(), ops[2].GetProperty("comment").GetString()));
    }

    [Fact]
    public void Del_port_removes_the_references_per_bridge_after_checking_each_port()
    {
        var ops = Json(OvsDbWriter.DeletePortOperations(new[] { ("b1", "p1", "u1"), ("b2", "p2", "u2"), ("b1", "p3", "u3") }, mustExist: true));
        Assert.Equal(new[] { "wait", "wait", "wait", "mutate", "mutate" }, ops.EnumerateArray().Select(o => o.GetProperty("op").GetString()));
        Assert.Equal("[[\"name\",\"==\",\"b1\"]]", ops[3].GetProperty("where").GetRawText());
        Assert.Equal("[[\"ports\",\"delete\",[\"set\",[[\"uuid\",\"u1\"],[\"uuid\",\"u3\"]]]]]", ops[3].GetProperty("mutations").GetRawText());
        Assert.Equal(2, Json(OvsDbWriter.DeletePortOperations(new[] { ("b1", "p1", "u1"), ("b2", "p2", "u2") }, mustExist: false)).GetArrayLength());
    }

    [Fact]
    public void Del_br_removes_the_references_from_the_root_row()
    {
        var op = Json(OvsDbWriter.DeleteBridgeOperations(new[] { "u1", "u2" }))[0];
        Assert.Equal(("mutate", "Open_vSwitch"), (op.GetProperty("op").GetString(), op.GetProperty("table").GetString()));
        Assert.Equal("[[\"bridges\",\"delete\",[\"set\",[[\"uuid\",\"u1\"],[\"uuid\",\"u2\"]]]]]", op.GetProperty("mutations").GetRawText());
    }

    [Fact]
    public void Set_vlan_writes_all_three_columns_clearing_what_the_mode_does_not_use()
    {
        var access = Json(OvsDbWriter.SetVlanOperations(new[] { "p" }, OvsVlan.Create(100, null, null, false)!));
        Assert.Equal(("wait", "update"), (access[0].GetProperty("op").GetString(), access[1].GetProperty("op").GetString()));
        Assert.Equal("{\"tag\":100,\"trunks\":[\"set\",[]],\"vlan_mode\":\"access\"}", access[1].GetProperty("row").GetRawText());
        var trunk = Json(OvsDbWriter.SetVlanOperations(new[] { "p" }, OvsVlan.Create(null, new[] { 30, 10 }, null, false)!));
        Assert.Equal("{\"tag\":[\"set\",[]],\"trunks\":[\"set\",[10,30]],\"vlan_mode\":\"trunk\"}", trunk[1].GetProperty("row").GetRawText());
        var none = Json(OvsDbWriter.SetVlanOperations(new[] { "p" }, OvsVlan.Create(null, null, null, true)!));
        Assert.Equal("{\"tag\":[\"set\",[]],\"trunks\":[\"set\",[]],\"vlan_mode\":[\"set\",[]]}", none[1].GetProperty("row").GetRawText());
    }

    [Fact]
    public void Vlan_columns_follow_the_ovs_vsctl_settings()
    {
        var access = Ops(new[] { "p" }, OvsVlan.Create(100, null, null, false, "x"))[2].GetProperty("row");
        Assert.Equal(100, access.GetProperty("tag").GetInt32());
        Assert.Equal("access", access.GetProperty("vlan_mode").GetString());
        var trunk = Ops(new[] { "p" }, OvsVlan.Create(null, new[] { 20, 10 }, 10, false, "x"))[2].GetProperty("row");
        Assert.Equal("[\"set\",[10,20]]", trunk.GetProperty("trunks").GetRawText());
        Assert.Equal(10, trunk.GetProperty("tag").GetInt32());
        Assert.Equal("native-untagged", trunk.GetProperty("vlan_mode").GetString());
    }

    [Fact]
    public void A_committed_result_has_no_error()
    {
        var r = JsonDocument.Parse("[{},{\"uuid\":[\"uuid\",\"a\"]},{\"count\":1},{\"rows\":[{\"next_cfg\":5}]},{}]").RootElement;
        Assert.Null(OvsDbTransaction.FirstError(r));
    }

    [Fact]
    public void A_failed_wait_is_BridgeNotFound_and_a_name_index_violation_is_PortExists()
    {
        var wait = OvsDbTransaction.FirstError(JsonDocument.Parse("[{\"error\":\"timed out\"}]").RootElement)!;
        var e = OvsDbWriter.AddPortsError(wait, "br9", new[] { "p" }, "unix:/x");
        Assert.Equal(("BridgeNotFound", NetNsErrorCategory.ObjectNotFound), (e.ErrorId, e.Category));

        var dup = OvsDbTransaction.FirstError(JsonDocument.Parse(
            "[{},{},{},{},{},{\"error\":\"constraint violation\",\"details\":\"Transaction causes multiple rows in \\\"Port\\\" table to have identical values (\\\"p2\\\") for index on column \\\"name\\\".\"}]").RootElement)!;
        Assert.Equal(5, dup.Index);
        e = OvsDbWriter.AddPortsError(dup, "br0", new[] { "p1", "p2" }, "unix:/x");
        Assert.Equal(("PortExists", NetNsErrorCategory.ResourceExists, "p2"), (e.ErrorId, e.Category, e.Target));

        var other = OvsDbTransaction.FirstError(JsonDocument.Parse("[{},{\"error\":\"referential integrity violation\"}]").RootElement)!;
        Assert.Equal("ConnectPortFailed", OvsDbWriter.AddPortsError(other, "br0", new[] { "p" }, "unix:/x").ErrorId);
    }
}
