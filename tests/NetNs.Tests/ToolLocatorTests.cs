using NetNs.Core.Errors;
using NetNs.Core.Process;
using Xunit;

namespace NetNs.Tests;

/// <summary>Tool lookup and the fatal error for a missing tool.</summary>
public class ToolLocatorTests
{
    [Fact]
    public void Finds_ip_as_an_absolute_path()
    {
        var path = ToolLocator.Resolve("ip");
        Assert.StartsWith("/", path);
        Assert.True(File.Exists(path));
    }

    [Fact]
    public void A_missing_tool_is_fatal_NotInstalled()
    {
        var ex = Assert.Throws<NetNsException>(() => ToolLocator.Resolve("netns-no-such-tool"));
        Assert.Equal("ToolNotFound", ex.ErrorId);
        Assert.Equal(NetNsErrorCategory.NotInstalled, ex.Category);
        Assert.True(ex.IsFatal);
        Assert.Equal("netns-no-such-tool", ex.Target);
    }

    [Theory]
    [InlineData("ip", "iproute2")]
    [InlineData("ping", "iputils-ping")]
    [InlineData("ovs-vsctl", "openvswitch-switch")]
    [InlineData("dnsmasq", "dnsmasq-base")]
    [InlineData("dhclient", "isc-dhcp-client")]
    [InlineData("ethtool", "ethtool")]
    public void Names_the_Debian_package(string tool, string package) => Assert.Equal(package, ToolLocator.PackageOf(tool));
}
