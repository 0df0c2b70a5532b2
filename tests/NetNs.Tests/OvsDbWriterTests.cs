using System.Text.Json;
using NetNs.Core.Errors;
using NetNs.Core.Ovs;
using Xunit;

namespace NetNs.Tests;

/// <summary>The add-port transaction NetNs sends over OVSDB JSON-RPC (RFC 7047), and how an aborted one maps to errors.</summary>
public class OvsDbWriterTests
{
    private static JsonElement Ops(IReadOnlyList<string> ports, OvsVlan? vlan) =>
        JsonDocument.Parse(JsonSerializer.Serialize(OvsDbWriter.AddPortOperations("br0", ports, vlan, "c"))).RootElement;

    [Fact]
    public void Transaction_checks_the_bridge_inserts_interface_and_port_per_name_and_bumps_next_cfg()
    {
        var ops = Ops(new[] { "p1", "p2" }, null);
        Assert.Equal(new[] { "wait", "insert", "insert", "insert", "insert", "mutate", "mutate", "select", "comment" },
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
        var bump = ops[6].GetProperty("mutations")[0];
        Assert.Equal(("Open_vSwitch", "next_cfg", "+=", 1), (ops[6].GetProperty("table").GetString(), bump[0].GetString(), bump[1].GetString(), bump[2].GetInt32()));
        Assert.Equal("next_cfg", ops[7].GetProperty("columns")[0].GetString());
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
        Assert.Null(OvsDbWriter.FirstError(r));
    }

    [Fact]
    public void A_failed_wait_is_BridgeNotFound_and_a_name_index_violation_is_PortExists()
    {
        var wait = OvsDbWriter.FirstError(JsonDocument.Parse("[{\"error\":\"timed out\"}]").RootElement)!.Value;
        var e = OvsDbWriter.AddPortsError(wait, "br9", new[] { "p" }, "unix:/x");
        Assert.Equal(("BridgeNotFound", NetNsErrorCategory.ObjectNotFound), (e.ErrorId, e.Category));

        var dup = OvsDbWriter.FirstError(JsonDocument.Parse(
            "[{},{},{},{},{},{\"error\":\"constraint violation\",\"details\":\"Transaction causes multiple rows in \\\"Port\\\" table to have identical values (\\\"p2\\\") for index on column \\\"name\\\".\"}]").RootElement)!.Value;
        Assert.Equal(5, dup.Index);
        e = OvsDbWriter.AddPortsError(dup, "br0", new[] { "p1", "p2" }, "unix:/x");
        Assert.Equal(("PortExists", NetNsErrorCategory.ResourceExists, "p2"), (e.ErrorId, e.Category, e.Target));

        var other = OvsDbWriter.FirstError(JsonDocument.Parse("[{},{\"error\":\"referential integrity violation\"}]").RootElement)!.Value;
        Assert.Equal("ConnectPortFailed", OvsDbWriter.AddPortsError(other, "br0", new[] { "p" }, "unix:/x").ErrorId);
    }
}
