using NetNs.Core.Errors;
using NetNs.Core.Ovs;
using Xunit;

namespace NetNs.Tests;

public class OvsCommandsTests
{
    private static readonly OvsConnection System = new(null);
    private static readonly OvsConnection Private = new("unix:/tmp/x/db.sock", 3);

    [Fact]
    public void Default_connection_passes_timeout_but_no_db()
    {
        var c = OvsCommands.DeleteBridge(System, "br0");
        Assert.Equal("ovs-vsctl", c.Tool);
        Assert.Equal(new[] { "--timeout=10", "del-br", "br0" }, c.Arguments);
    }

    [Fact]
    public void Private_connection_passes_db()
    {
        var c = OvsCommands.DeleteBridge(Private, "br0");
        Assert.Equal(new[] { "--timeout=3", "--db=unix:/tmp/x/db.sock", "del-br", "br0" }, c.Arguments);
        Assert.Equal("ovs-vsctl --timeout=3 --db=unix:/tmp/x/db.sock del-br br0", c.ToString());
    }

    [Fact]
    public void AddBridge_sets_datapath_in_the_same_transaction()
    {
        var c = OvsCommands.AddBridge(System, "br0", "netdev");
        Assert.Equal(new[] { "--timeout=10", "add-br", "br0", "--", "set", "Bridge", "br0", "datapath_type=netdev" }, c.Arguments);
    }

    [Fact]
    public void AddPorts_joins_every_port_into_one_command()
    {
        var c = OvsCommands.AddPorts(System, "br0", new[] { "a", "b", "c" }, null);
        Assert.Equal("ovs-vsctl --timeout=10 add-port br0 a -- add-port br0 b -- add-port br0 c", c.ToString());
    }

    [Fact]
    public void AddPorts_with_access_vlan()
    {
        var c = OvsCommands.AddPorts(System, "br0", new[] { "a" }, OvsVlan.Create(100, null, null, false));
        Assert.Equal(new[] { "--timeout=10", "add-port", "br0", "a", "tag=100", "vlan_mode=access" }, c.Arguments);
    }

    [Fact]
    public void AddPorts_with_native_trunk()
    {
        var c = OvsCommands.AddPorts(System, "br0", new[] { "a" }, OvsVlan.Create(null, new[] { 10, 20 }, 20, false));
        Assert.Equal(new[] { "--timeout=10", "add-port", "br0", "a", "tag=20", "trunks=10,20", "vlan_mode=native-untagged" }, c.Arguments);
    }

    [Fact]
    public void DeletePorts_one_transaction_and_if_exists_gets_a_leading_separator()
    {
        var c = OvsCommands.DeletePorts(System, new[] { ("br0", "a"), ("br1", "b") });
        Assert.Equal("ovs-vsctl --timeout=10 del-port br0 a -- del-port br1 b", c.ToString());
        var u = OvsCommands.DeletePorts(System, new[] { ("br0", "a"), ("br0", "b") }, ifExists: true);
        Assert.Equal("ovs-vsctl --timeout=10 -- --if-exists del-port br0 a -- --if-exists del-port br0 b", u.ToString());
    }

    [Fact]
    public void SetVlan_access_clears_trunks()
    {
        var c = OvsCommands.SetVlan(System, new[] { "p1" }, OvsVlan.Create(7, null, null, false)!);
        Assert.Equal("ovs-vsctl --timeout=10 set Port p1 tag=7 vlan_mode=access -- clear Port p1 trunks", c.ToString());
    }

    [Fact]
    public void SetVlan_trunk_clears_tag()
    {
        var c = OvsCommands.SetVlan(System, new[] { "p1" }, OvsVlan.Create(null, new[] { 30, 10 }, null, false)!);
        Assert.Equal("ovs-vsctl --timeout=10 set Port p1 trunks=30,10 vlan_mode=trunk -- clear Port p1 tag", c.ToString());
    }

    [Fact]
    public void SetVlan_native_trunk()
    {
        var c = OvsCommands.SetVlan(System, new[] { "p1" }, OvsVlan.Create(null, new[] { 10, 20, 30 }, 20, false)!);
        Assert.Equal("ovs-vsctl --timeout=10 set Port p1 tag=20 trunks=10,20,30 vlan_mode=native-untagged", c.ToString());
    }

    [Fact]
    public void SetVlan_untagged_clears_everything_for_each_port_in_one_transaction()
    {
        var c = OvsCommands.SetVlan(System, new[] { "p1", "p2" }, OvsVlan.Untagged);
        Assert.Equal("ovs-vsctl --timeout=10 clear Port p1 tag trunks vlan_mode -- clear Port p2 tag trunks vlan_mode", c.ToString());
    }

    [Fact]
    public void ListState_reads_three_tables_as_json_in_one_call()
    {
        var c = OvsCommands.ListState(Private);
        Assert.Equal(new[]
        {
            "--timeout=3", "--db=unix:/tmp/x/db.sock", "--format=json",
            "--", "--columns=_uuid,name,datapath_type,ports,fail_mode,external_ids", "list", "Bridge",
            "--", "--columns=_uuid,name,interfaces,tag,trunks,vlan_mode,external_ids", "list", "Port",
            "--", "--columns=_uuid,name,type,ofport,error", "list", "Interface",
        }, c.Arguments);
    }

    [Fact]
    public void Version_query()
    {
        Assert.Equal("ovs-vsctl --timeout=10 --format=json -- --columns=ovs_version,db_version list Open_vSwitch", OvsCommands.Version(System).ToString());
    }

    [Fact]
    public void TxOffloadOff_root_and_namespace()
    {
        Assert.Equal("ethtool -K veth1 tx off", OvsCommands.TxOffloadOff("", "veth1").ToString());
        var c = OvsCommands.TxOffloadOff("ns1", "eth1");
        Assert.Equal("ip", c.Tool);
        Assert.Equal(new[] { "netns", "exec", "ns1", "ethtool", "-K", "eth1", "tx", "off" }, c.Arguments);
    }

    [Fact]
    public void Transaction_needs_an_operation()
    {
        Assert.Throws<ArgumentException>(() => OvsCommands.Transaction(System, Array.Empty<IReadOnlyList<string>>()));
    }

    [Theory]
    [InlineData("unix:/run/ovs/db.sock", "unix:/run/ovs/db.sock")]
    [InlineData("/run/ovs/db.sock", "unix:/run/ovs/db.sock")]
    [InlineData(" tcp:127.0.0.1:6640 ", "tcp:127.0.0.1:6640")]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void Connection_normalises_database(string? input, string? expected) => Assert.Equal(expected, new OvsConnection(input).Database);

    [Theory]
    [InlineData("db.sock")]
    [InlineData("unix:")]
    [InlineData("unix:relative.sock")]
    [InlineData("unix:/a b")]
    public void Connection_rejects_bad_database(string input)
    {
        var ex = Assert.Throws<NetNsException>(() => new OvsConnection(input));
        Assert.Equal("InvalidOvsDatabase", ex.ErrorId);
        Assert.Equal(NetNsErrorCategory.InvalidArgument, ex.Category);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3601)]
    public void Connection_rejects_bad_timeout(int seconds)
    {
        var ex = Assert.Throws<NetNsException>(() => new OvsConnection(null, seconds));
        Assert.Equal("InvalidOvsTimeout", ex.ErrorId);
    }

    [Fact]
    public void Default_connection_names_the_system_socket()
    {
        if (Environment.GetEnvironmentVariable("OVS_RUNDIR") is { Length: > 0 }) return;
        Assert.Equal("unix:/var/run/openvswitch/db.sock", new OvsConnection(null).EffectiveDatabase);
        Assert.True(new OvsConnection(null).IsDefault);
    }
}
