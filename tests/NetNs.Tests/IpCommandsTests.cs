using System.Globalization;
using NetNs.Core.Ip;
using NetNs.Core.Process;
using Xunit;

namespace NetNs.Tests;

/// <summary>The argv that IpCommands builds, exactly.</summary>
public class IpCommandsTests
{
    private static string Argv(ToolCommand c) => string.Join('|', c.Arguments);

    [Fact]
    public void VethAdd_root_to_root_without_mtu()
    {
        var c = IpCommands.VethAdd("a", "", "b", "", null);
        Assert.Equal("ip", c.Tool);
        Assert.Equal("link|add|name|a|type|veth|peer|name|b", Argv(c));
        Assert.Null(c.StandardInput);
    }

    [Fact]
    public void VethAdd_with_mtu_on_both_ends_and_both_namespaces()
    {
        var c = IpCommands.VethAdd("a", "ns1", "b", "ns2", 1400);
        Assert.Equal("link|add|name|a|mtu|1400|netns|ns1|type|veth|peer|name|b|mtu|1400|netns|ns2", Argv(c));
    }

    [Fact]
    public void VethAdd_peer_namespace_only()
    {
        Assert.Equal("link|add|name|a|type|veth|peer|name|b|netns|ns2", Argv(IpCommands.VethAdd("a", "", "b", "ns2", null)));
        Assert.Equal("link|add|name|a|netns|ns1|type|veth|peer|name|b", Argv(IpCommands.VethAdd("a", "ns1", "b", "", null)));
    }

    [Fact]
    public void LinkMove_to_a_namespace_and_to_the_root()
    {
        Assert.Equal("link|set|dev|a|netns|ns2", Argv(IpCommands.LinkMove("", "a", "ns2", 4242)));
        Assert.Equal("-n|ns1|link|set|dev|a|netns|4242", Argv(IpCommands.LinkMove("ns1", "a", "", 4242)));
    }

    [Fact]
    public void LinkSet_all_changes_in_one_command_up_last()
    {
        var c = IpCommands.LinkSet("ns1", "a", up: true, mtu: 9000, mac: "02:00:00:00:00:01", newName: "b");
        Assert.Equal("-n|ns1|link|set|dev|a|mtu|9000|address|02:00:00:00:00:01|name|b|up", Argv(c));
        Assert.Equal("link|set|dev|a|down", Argv(IpCommands.LinkSet("", "a", up: false)));
        Assert.Equal("link|set|dev|a|alias|x y", Argv(IpCommands.LinkSet("", "a", alias: "x y")));
    }

    [Fact]
    public void LinkShow_LinkDelete_and_addresses()
    {
        Assert.Equal("-j|-d|link|show", Argv(IpCommands.LinkShow("")));
        Assert.Equal("-j|-d|-n|ns1|link|show|dev|eth0", Argv(IpCommands.LinkShow("ns1", "eth0")));
        Assert.Equal("-n|ns1|link|del|dev|a", Argv(IpCommands.LinkDelete("ns1", "a")));
        Assert.Equal("-j|address|show", Argv(IpCommands.AddressShow("")));
        Assert.Equal("-j|-n|ns1|address|show|dev|a", Argv(IpCommands.AddressShow("ns1", "a")));
        Assert.Equal("-n|ns1|address|add|10.0.0.1/24|dev|a", Argv(IpCommands.AddressAdd("ns1", "a", "10.0.0.1/24")));
        Assert.Equal("address|del|fd00::1/64|dev|a", Argv(IpCommands.AddressDelete("", "a", "fd00::1/64")));
    }

    [Fact]
    public void Netns_commands()
    {
        Assert.Equal("netns|add|ns1", Argv(IpCommands.NetnsAdd("ns1")));
        Assert.Equal("netns|del|ns1", Argv(IpCommands.NetnsDelete("ns1")));
        Assert.Equal("netns|set|ns1|auto", Argv(IpCommands.NetnsSetId("ns1")));
        Assert.Equal("-j|netns|list-id", Argv(IpCommands.NetnsListId()));
        Assert.Equal("-j|-n|ns1|netns|list-id", Argv(IpCommands.NetnsListId("ns1")));
    }

    [Fact]
    public void Batch_text_and_global_options()
    {
        var c = IpCommands.Batch("ns1", new[] { new[] { "link", "del", "dev", "a" }, new[] { "link", "del", "dev", "b" } }, force: true);
        Assert.Equal("ip", c.Tool);
        Assert.Equal("-n|ns1|-force|-batch|-", Argv(c));
        Assert.Equal("link del dev a\nlink del dev b\n", c.StandardInput);
        var root = IpCommands.Batch("", new[] { IpCommands.VethAddArgs("a", "", "b", "ns2", 1400) });
        Assert.Equal("-batch|-", Argv(root));
        Assert.Equal("link add name a mtu 1400 type veth peer name b mtu 1400 netns ns2\n", root.StandardInput);
    }

    [Fact]
    public void NetnsExec_named_and_root()
    {
        var named = IpCommands.NetnsExec("ns1", "printf", new[] { "%s\n", "a b", "$(id)" });
        Assert.Equal("ip", named.Tool);
        Assert.Equal(new[] { "netns", "exec", "ns1", "printf", "%s\n", "a b", "$(id)" }, named.Arguments);
        var root = IpCommands.NetnsExec("", "printf", new[] { "x" });
        Assert.Equal("printf", root.Tool);
        Assert.Equal(new[] { "x" }, root.Arguments);
    }

    [Fact]
    public void Ping_in_a_namespace_and_in_the_root_with_invariant_numbers()
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            var c = IpCommands.Ping("ns1", "10.0.0.2", 3, 1.5, 0.2);
            Assert.Equal("ip", c.Tool);
            Assert.Equal("netns|exec|ns1|ping|-n|-q|-c|3|-W|1.5|-i|0.2|--|10.0.0.2", Argv(c));
            var r = IpCommands.Ping("", "127.0.0.1", 1, 1, 0.2);
            Assert.Equal("ping", r.Tool);
            Assert.Equal("-n|-q|-c|1|-W|1|-i|0.2|--|127.0.0.1", Argv(r));
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }
}
