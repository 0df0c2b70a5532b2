using NetNs.Core.Ovs;
using Xunit;

namespace NetNs.Tests;

/// <summary>Parses ovs-vsctl --format=json output captured from this machine (Open vSwitch 3.1, Debian 12) under Golden/ovs.</summary>
public class OvsJsonGoldenTests
{
    private static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "ovs", name));

    private const string Db = "unix:/tmp/test/db.sock";

    [Fact]
    public void Empty_database()
    {
        var s = OvsJson.ParseState(Read("state-empty.json"), Db);
        Assert.Empty(s.Bridges());
        Assert.Empty(s.Ports());
    }

    [Fact]
    public void Bridges_with_datapath_fail_mode_and_ports()
    {
        var bridges = OvsJson.ParseState(Read("state-lab.json"), Db).Bridges();
        Assert.Equal(new[] { "gbr0", "gbr1" }, bridges.Select(b => b.Name));
        var b0 = bridges[0];
        Assert.Equal("netdev", b0.DatapathType);
        Assert.Null(b0.FailMode);
        Assert.Equal(new[] { "gva1", "gva2", "gva3" }, b0.Ports);
        Assert.Equal(Db, b0.Database);
        var b1 = bridges[1];
        Assert.Equal("secure", b1.FailMode);
        Assert.Equal(new[] { "gvgone" }, b1.Ports);
    }

    [Fact]
    public void Ports_with_vlan_modes()
    {
        var ports = OvsJson.ParseState(Read("state-lab.json"), Db).Ports().ToDictionary(p => p.Name);
        Assert.Equal(4, ports.Count);

        var access = ports["gva1"];
        Assert.Equal("gbr0", access.Bridge);
        Assert.Equal("gva1", access.Interface);
        Assert.Equal("access", access.VlanMode);
        Assert.Equal(100, access.Tag);
        Assert.Empty(access.Trunks);
        Assert.Null(access.Error);
        Assert.True(access.OfPort > 0);

        var trunk = ports["gva2"];
        Assert.Equal("trunk", trunk.VlanMode);
        Assert.Null(trunk.Tag);
        Assert.Equal(new[] { 10, 20, 30 }, trunk.Trunks);

        var native = ports["gva3"];
        Assert.Equal("native-untagged", native.VlanMode);
        Assert.Equal(20, native.Tag);
        Assert.Equal(new[] { 10, 20, 30 }, native.Trunks);
    }

    [Fact]
    public void Port_of_a_missing_device_carries_the_ovs_error()
    {
        var gone = OvsJson.ParseState(Read("state-lab.json"), Db).Ports().Single(p => p.Name == "gvgone");
        Assert.Equal("gbr1", gone.Bridge);
        Assert.Equal(-1, gone.OfPort);
        Assert.Equal("could not open network device gvgone (No such device)", gone.Error);
        Assert.Null(gone.VlanMode);
        Assert.Null(gone.Tag);
    }

    [Fact]
    public void Bridge_internal_ports_are_left_out_unless_asked()
    {
        var s = OvsJson.ParseState(Read("state-lab.json"), Db);
        Assert.DoesNotContain(s.Ports(), p => p.Name == p.Bridge);
        var all = s.Ports(includeBridgePorts: true);
        var own = all.Single(p => p.Name == "gbr0");
        Assert.Equal("internal", own.InterfaceType);
        Assert.Equal(65534, own.OfPort);
    }

    [Fact]
    public void Bridge_of_port_lookup()
    {
        var s = OvsJson.ParseState(Read("state-lab.json"), Db);
        Assert.Equal("gbr0", s.BridgeOfPort("gva2"));
        Assert.Equal("gbr1", s.BridgeOfPort("gvgone"));
        Assert.Null(s.BridgeOfPort("nope"));
        Assert.NotNull(s.FindBridge("gbr1"));
        Assert.Null(s.FindBridge("gva1"));
    }

    [Fact]
    public void Version_of_a_private_database_is_not_recorded()
    {
        Assert.Null(OvsJson.ParseVersion(Read("version.json")));
        Assert.Equal("3.1.0", OvsJson.ParseVersion("{\"data\":[[\"3.1.0\",\"8.3.1\"]],\"headings\":[\"ovs_version\",\"db_version\"]}"));
    }

    [Fact]
    public void Wrong_number_of_tables_is_a_format_error()
    {
        Assert.Throws<FormatException>(() => OvsJson.ParseState(Read("version.json"), Db));
    }

    [Fact]
    public void Empty_set_single_atom_and_set_cells()
    {
        var rows = OvsJson.ParseTable("{\"data\":[[[\"set\",[]],5,[\"set\",[1,2]],\"x\"]],\"headings\":[\"a\",\"b\",\"c\",\"d\"]}");
        var r = rows.Single();
        Assert.Null(OvsJson.Int(r, "a"));
        Assert.Null(OvsJson.Str(r, "a"));
        Assert.Equal(5, OvsJson.Int(r, "b"));
        Assert.Equal(new[] { 1, 2 }, OvsJson.Ints(r, "c"));
        Assert.Equal(new[] { 5 }, OvsJson.Ints(r, "b"));
        Assert.Equal("x", OvsJson.Str(r, "d"));
        Assert.Null(OvsJson.Str(r, "missing"));
    }
}
