using NetNs.Core.Errors;
using NetNs.Core.Ip;
using NetNs.Core.Process;
using Xunit;

namespace NetNs.Tests;

/// <summary>Display quoting of command lines (-Verbose, -WhatIf), and stderr classification.</summary>
public class CommandLineTests
{
    [Theory]
    [InlineData("abc", "abc")]
    [InlineData("10.0.0.1/24", "10.0.0.1/24")]
    [InlineData("02:00:00:00:00:01", "02:00:00:00:00:01")]
    [InlineData("-n", "-n")]
    [InlineData("a b", "'a b'")]
    [InlineData("", "''")]
    [InlineData("it's", "'it'\\''s'")]
    [InlineData("$(id)", "'$(id)'")]
    [InlineData("*", "'*'")]
    [InlineData("a;b", "'a;b'")]
    [InlineData("\"q\"", "'\"q\"'")]
    [InlineData("a\nb", "'a\nb'")]
    public void Quote(string arg, string expected) => Assert.Equal(expected, CommandLine.Quote(arg));

    [Fact]
    public void Format_joins_program_and_quoted_arguments()
        => Assert.Equal("ip netns exec ns1 printf '%s\\n' 'a b'", CommandLine.Format("ip", new[] { "netns", "exec", "ns1", "printf", "%s\\n", "a b" }));

    [Fact]
    public void ToString_shows_batch_input_as_a_here_document()
    {
        var c = IpCommands.Batch("", new[] { new[] { "link", "del", "dev", "a" } });
        Assert.Equal("ip -batch - <<EOF" + Environment.NewLine + "link del dev a" + Environment.NewLine + "EOF", c.ToString());
        Assert.Equal("ip link add name a mtu 1400 netns ns1 type veth peer name b mtu 1400", IpCommands.VethAdd("a", "ns1", "b", "", 1400).ToString());
    }

    [Theory]
    [InlineData("RTNETLINK answers: File exists", NetNsErrorCategory.ResourceExists)]
    [InlineData("Error: ipv4: Address already assigned.", NetNsErrorCategory.ResourceExists)]
    [InlineData("Error: ipv6: address already assigned.", NetNsErrorCategory.ResourceExists)]
    [InlineData("Cannot find device \"x\"", NetNsErrorCategory.ObjectNotFound)]
    [InlineData("Error: ipv4: Address not found.", NetNsErrorCategory.ObjectNotFound)]
    [InlineData("Error: ipv6: address not found.", NetNsErrorCategory.ObjectNotFound)]
    [InlineData("Cannot open network namespace \"x\": No such file or directory", NetNsErrorCategory.ObjectNotFound)]
    [InlineData("RTNETLINK answers: Operation not permitted", NetNsErrorCategory.PermissionDenied)]
    [InlineData("RTNETLINK answers: Device or resource busy", NetNsErrorCategory.ResourceUnavailable)]
    [InlineData("Error: argument \"x\" is wrong: Invalid argument", NetNsErrorCategory.InvalidArgument)]
    [InlineData("something else", NetNsErrorCategory.InvalidResult)]
    public void Classify(string stderr, NetNsErrorCategory expected) => Assert.Equal(expected, KernelErrors.Classify(stderr));

    [Fact]
    public void ThrowIfFailed_picks_the_id_of_the_category_and_keeps_stderr()
    {
        var cmd = IpCommands.AddressAdd("ns1", "a", "10.0.0.1/24");
        var r = new ToolResult(cmd, 2, "", "Error: ipv4: Address already assigned.\n", TimeSpan.Zero);
        var ex = Assert.Throws<ToolFailedException>(() => r.ThrowIfFailed("AddAddressFailed", "ns1/a", "Cannot add", (NetNsErrorCategory.ResourceExists, "AddressExists")));
        Assert.Equal("AddressExists", ex.ErrorId);
        Assert.Equal(NetNsErrorCategory.ResourceExists, ex.Category);
        Assert.Equal(2, ex.ExitCode);
        Assert.Equal("Error: ipv4: Address already assigned.", ex.StandardError);
        Assert.Contains("Address already assigned", ex.Message);
        Assert.Contains("ip -n ns1 address add 10.0.0.1/24 dev a", ex.Message);
        Assert.Equal("ns1/a", ex.Target);
    }
}
