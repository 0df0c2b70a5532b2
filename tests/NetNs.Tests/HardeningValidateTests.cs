using NetNs.Core.Errors;
using NetNs.Core.Ovs;
using NetNs.Core.Validation;
using Xunit;

namespace NetNs.Tests;

public class HardeningValidateTests
{
    [Theory]
    [InlineData("ns*")]
    [InlineData("n?1")]
    [InlineData("[ab]x*")]
    [InlineData("lab:1*")]
    [InlineData("plain")]
    public void NamespacePattern_accepts_wildcards(string pattern) => Assert.Equal(pattern, Validate.NamespacePattern(pattern));

    [Theory]
    [InlineData("n\n*")]
    [InlineData("n\u0001*")]
    [InlineData("-n*")]
    [InlineData("a b*")]
    [InlineData("a/*")]
    [InlineData("")]
    public void NamespacePattern_rejects_bad(string pattern)
    {
        var ex = Assert.Throws<NetNsException>(() => Validate.NamespacePattern(pattern, "Namespace"));
        Assert.Equal("InvalidNamespaceName", ex.ErrorId);
        Assert.Equal(NetNsErrorCategory.InvalidArgument, ex.Category);
        Assert.Contains("-Namespace", ex.Message);
    }

    [Fact]
    public void NamespacePattern_without_wildcards_is_a_name() =>
        Assert.Equal("InvalidNamespaceName", Assert.Throws<NetNsException>(() => Validate.NamespacePattern(new string('n', 256))).ErrorId);

    [Theory]
    [InlineData("veth*")]
    [InlineData("a-very-long-name-pattern-*")]
    [InlineData("eth0")]
    public void InterfacePattern_accepts(string pattern) => Assert.Equal(pattern, Validate.InterfacePattern(pattern));

    [Theory]
    [InlineData("e:*")]
    [InlineData("e\t*")]
    [InlineData("-e*")]
    [InlineData("abcdefghijklmnop")]
    public void InterfacePattern_rejects_bad(string pattern) =>
        Assert.Equal("InvalidInterfaceName", Assert.Throws<NetNsException>(() => Validate.InterfacePattern(pattern)).ErrorId);

    [Theory]
    [InlineData("ping")]
    [InlineData("/usr/bin/env")]
    [InlineData("my prog")]
    public void Program_accepts(string program) => Assert.Equal(program, Validate.Program(program));

    [Theory]
    [InlineData("")]
    [InlineData("-c")]
    [InlineData("true\nfalse")]
    [InlineData("tr\u0007ue")]
    public void Program_rejects_bad(string program)
    {
        var ex = Assert.Throws<NetNsException>(() => Validate.Program(program, "Shell"));
        Assert.Equal("InvalidCommand", ex.ErrorId);
        Assert.Contains("-Shell", ex.Message);
    }

    [Theory]
    [InlineData("02:00:00:00:00:01\n")]
    [InlineData("02:00:00:00:00:01\r\n")]
    [InlineData(" 02:00:00:00:00:01")]
    public void MacAddress_rejects_trailing_or_leading_whitespace(string mac) =>
        Assert.Equal("InvalidMacAddress", Assert.Throws<NetNsException>(() => Validate.MacAddress(mac)).ErrorId);

    [Theory]
    [InlineData("/tmp/db.sock\n")]
    [InlineData("unix:/tmp/db.sock\t")]
    [InlineData("\nunix:/tmp/db.sock")]
    [InlineData("unix:/tmp/a\u0001.sock")]
    public void Connection_refuses_control_characters_instead_of_trimming(string database) =>
        Assert.Equal("InvalidOvsDatabase", Assert.Throws<NetNsException>(() => new OvsConnection(database)).ErrorId);

    [Fact]
    public void Connection_refuses_a_socket_path_longer_than_sun_path()
    {
        var ok = "/" + new string('a', OvsConnection.MaxSocketPathBytes - 1);
        Assert.Equal("unix:" + ok, new OvsConnection(ok).Database);
        Assert.Equal("InvalidOvsDatabase", Assert.Throws<NetNsException>(() => new OvsConnection(ok + "a")).ErrorId);
    }
}
