using NetNs.Core.Errors;
using NetNs.Core.Ovs;
using NetNs.Core.Process;
using Xunit;

namespace NetNs.Tests;

/// <summary>OvsClient against a scripted runner: error mapping and undo, with stderr captured from this machine.</summary>
public class OvsClientTests
{
    private static string Golden(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "ovs", name));

    [Fact]
    public void Unreachable_database_is_one_fatal_error_naming_socket_and_fix()
    {
        var runner = new FakeRunner(_ => (1, "", Golden("unreachable.stderr.txt")));
        var client = new OvsClient(runner, new OvsConnection("unix:/tmp/none/db.sock", 2));
        var ex = Assert.Throws<NetNsException>(() => client.GetState());
        Assert.Equal("OvsUnreachable", ex.ErrorId);
        Assert.Equal(NetNsErrorCategory.ConnectionError, ex.Category);
        Assert.True(ex.IsFatal);
        Assert.Contains("unix:/tmp/none/db.sock", ex.Message);
        Assert.Contains("/usr/share/openvswitch/scripts/ovs-ctl start", ex.Message);
        Assert.Single(runner.Ran);
    }

    [Fact]
    public void Alarm_timeout_is_fatal_OvsTimeout()
    {
        var runner = new FakeRunner(_ => (142, "", "2026-11-29T13:49:43Z|00002|fatal_signal|WARN|terminating with signal 14 (Alarm clock)"));
        var client = new OvsClient(runner, new OvsConnection(null, 2));
        var ex = Assert.Throws<NetNsException>(() => client.RemoveBridge("br0"));
        Assert.Equal("OvsTimeout", ex.ErrorId);
        Assert.Equal(NetNsErrorCategory.OperationTimeout, ex.Category);
        Assert.True(ex.IsFatal);
    }

    [Fact]
    public void Missing_bridge_on_removal_is_BridgeNotFound()
    {
        var runner = new FakeRunner(_ => (1, "", "ovs-vsctl: no bridge named nope"));
        var ex = Assert.Throws<ToolFailedException>(() => new OvsClient(runner, new OvsConnection(null)).RemoveBridge("nope"));
        Assert.Equal("BridgeNotFound", ex.ErrorId);
        Assert.Equal(NetNsErrorCategory.ObjectNotFound, ex.Category);
        Assert.False(ex.IsFatal);
    }

    [Fact]
    public void Failed_add_ports_removes_what_was_stored_anyway()
    {
        var runner = new FakeRunner(c =>
        {
            if (c.Arguments.Contains("add-port"))
                return (1, "", "ovs-vsctl: Error detected while setting up 'gvgone': could not open network device gvgone (No such device).");
            if (c.Arguments.Contains("list")) return (0, Golden("state-lab.json"), "");
            return (0, "", "");
        });
        var client = new OvsClient(runner, new OvsConnection(null));
        Assert.Throws<ToolFailedException>(() => client.AddPorts("gbr1", new[] { "gvgone" }, null));
        var undo = runner.Ran.Last();
        Assert.Equal("ovs-vsctl --timeout=10 -- --if-exists del-port gbr1 gvgone", undo.ToString());
    }

    [Fact]
    public void Failed_add_ports_that_stored_nothing_removes_nothing()
    {
        var runner = new FakeRunner(c => c.Arguments.Contains("add-port")
            ? (1, "", "ovs-vsctl: cannot create a port named gva1 because a port named gva1 already exists on bridge gbr0")
            : (0, Golden("state-lab.json"), ""));
        var ex = Assert.Throws<ToolFailedException>(() => new OvsClient(runner, new OvsConnection(null)).AddPorts("gbr0", new[] { "gva1" }, null));
        Assert.Equal("PortExists", ex.ErrorId);
        Assert.Equal(NetNsErrorCategory.ResourceExists, ex.Category);
        Assert.Single(runner.Ran);
    }

    [Fact]
    public void A_port_name_containing_timeout_is_not_a_timeout()
    {
        var runner = new FakeRunner(_ => (1, "", "ovs-vsctl: no port named timeout1"));
        var ex = Assert.Throws<ToolFailedException>(() => new OvsClient(runner, new OvsConnection(null)).RemovePorts(new[] { ("br0", "timeout1") }));
        Assert.Equal("PortNotFound", ex.ErrorId);
        Assert.False(ex.IsFatal);
    }

    [Fact]
    public void One_process_for_many_ports()
    {
        var runner = new FakeRunner(_ => (0, "", ""));
        new OvsClient(runner, new OvsConnection(null)).AddPorts("br0", Enumerable.Range(1, 100).Select(i => "p" + i).ToList(), null);
        Assert.Single(runner.Ran);
        Assert.Equal(100, runner.Ran[0].Arguments.Count(a => a == "add-port"));
    }

    [Fact]
    public void Auto_datapath_follows_the_kernel_module()
    {
        var dp = OvsClient.ResolveDatapath(OvsDatapathType.Auto, out var reason);
        Assert.Equal(Directory.Exists("/sys/module/openvswitch") ? "system" : "netdev", dp);
        Assert.Contains(dp, reason);
        Assert.Equal("netdev", OvsClient.ResolveDatapath(OvsDatapathType.Netdev, out _));
        Assert.Equal("system", OvsClient.ResolveDatapath(OvsDatapathType.System, out _));
    }
}
