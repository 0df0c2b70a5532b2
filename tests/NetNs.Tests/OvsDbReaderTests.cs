using System.Text;
using System.Text.Json;
using NetNs.Core.Ovs;
using Xunit;

namespace NetNs.Tests;

/// <summary>The in-process OVSDB read: the JSON-RPC request, and the reply captured from a private ovsdb-server on this machine (Golden/ovs/state-rpc.json).</summary>
public class OvsDbReaderTests
{
    private const string Db = "unix:/tmp/test/db.sock";

    private static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "ovs", name));

    [Fact]
    public void Request_selects_the_columns_ovs_vsctl_list_reads()
    {
        using var doc = JsonDocument.Parse(OvsDbReader.StateRequest(1));
        var root = doc.RootElement;
        Assert.Equal("transact", root.GetProperty("method").GetString());
        Assert.Equal(1, root.GetProperty("id").GetInt32());
        var p = root.GetProperty("params");
        Assert.Equal("Open_vSwitch", p[0].GetString());
        Assert.Equal(new[] { "Bridge", "Port", "Interface" }, Enumerable.Range(1, 3).Select(i => p[i].GetProperty("table").GetString()));
        Assert.All(Enumerable.Range(1, 3), i => Assert.Equal("select", p[i].GetProperty("op").GetString()));
        Assert.Equal(0, p[1].GetProperty("where").GetArrayLength());
        Assert.Equal(OvsCommands.PortColumns, string.Join(',', p[2].GetProperty("columns").EnumerateArray().Select(c => c.GetString())));
    }

    [Fact]
    public void Reply_parses_into_the_same_state_as_ovs_vsctl_list()
    {
        var s = OvsJson.ParseStateRpc(Read("state-rpc.json"), Db);
        var bridges = s.Bridges();
        Assert.Equal(new[] { "gbr0", "gbr1" }, bridges.Select(b => b.Name));
        Assert.Equal("netdev", bridges[0].DatapathType);
        Assert.Null(bridges[0].FailMode);
        Assert.Equal("secure", bridges[1].FailMode);
        Assert.Equal(new[] { "gva1", "gva2" }, bridges[0].Ports);
        var ports = s.Ports().ToDictionary(p => p.Name);
        Assert.Equal(3, ports.Count);
        Assert.Equal(100, ports["gva1"].Tag);
        Assert.Equal("access", ports["gva1"].VlanMode);
        Assert.Equal(new[] { 10, 20, 30 }, ports["gva2"].Trunks);
        Assert.Equal("trunk", ports["gva2"].VlanMode);
        Assert.Equal(2, ports["gva2"].OfPort);
        Assert.Equal("gbr1", s.BridgeOfPort("gvgone"));
        Assert.Equal(65534, s.Ports(includeBridgePorts: true).Single(p => p.Name == "gbr0").OfPort);
    }

    [Fact]
    public void An_error_reply_is_a_format_error()
    {
        Assert.Throws<FormatException>(() => OvsJson.ParseStateRpc("{\"id\":1,\"result\":null,\"error\":\"unknown database\"}", Db));
        Assert.Throws<FormatException>(() => OvsJson.ParseStateRpc("{\"id\":1,\"result\":[{\"error\":\"bad\",\"details\":\"x\"}],\"error\":null}", Db));
    }

    [Fact]
    public void Finds_the_end_of_one_json_text_in_a_stream()
    {
        Assert.Null(JsonTextFramer.CompleteLength(Encoding.UTF8.GetBytes("{\"a\":[1,2")));
        Assert.Equal(13, JsonTextFramer.CompleteLength(Encoding.UTF8.GetBytes("{\"a\":\"}]{\\\"\"}{\"b\":1}")));
        Assert.Equal(8, JsonTextFramer.CompleteLength(Encoding.UTF8.GetBytes(" {\"a\":1}\n")));
    }
}
