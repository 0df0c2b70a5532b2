using NetNs.Core.Errors;
using NetNs.Core.Validation;
using Xunit;

namespace NetNs.Tests;

public class ValidateTests
{
    [Theory]
    [InlineData("eth0")]
    [InlineData("veth-ns1")]
    [InlineData("abcdefghijklmno")]
    public void InterfaceName_accepts_valid(string name) => Assert.Equal(name, Validate.InterfaceName(name));

    [Theory]
    [InlineData("")]
    [InlineData("abcdefghijklmnop")]
    [InlineData("a/b")]
    [InlineData("a:b")]
    [InlineData("a b")]
    [InlineData("-eth")]
    [InlineData("a\nb")]
    [InlineData(".")]
    public void InterfaceName_rejects_invalid(string name)
    {
        var ex = Assert.Throws<NetNsException>(() => Validate.InterfaceName(name));
        Assert.Equal("InvalidInterfaceName", ex.ErrorId);
        Assert.Equal(NetNsErrorCategory.InvalidArgument, ex.Category);
        Assert.Contains("-Name", ex.Message);
    }

    [Fact]
    public void InterfaceName_counts_bytes_not_chars()
    {
        // 8 characters, 16 bytes in UTF-8.
        Assert.Throws<NetNsException>(() => Validate.InterfaceName("éééééééé"));
    }

    [Theory]
    [InlineData(67, false)]
    [InlineData(68, true)]
    [InlineData(1500, true)]
    [InlineData(65535, true)]
    [InlineData(65536, false)]
    public void Mtu_range(int mtu, bool ok)
    {
        if (ok) Assert.Equal(mtu, Validate.Mtu(mtu));
        else Assert.Equal("InvalidMtu", Assert.Throws<NetNsException>(() => Validate.Mtu(mtu)).ErrorId);
    }

    [Theory]
    [InlineData("10.0.0.1/24", "10.0.0.1", 24)]
    [InlineData("fd00::1/64", "fd00::1", 64)]
    [InlineData("0.0.0.0/0", "0.0.0.0", 0)]
    public void Cidr_parses(string text, string ip, int prefix)
    {
        var (a, p) = Validate.Cidr(text);
        Assert.Equal(ip, a.ToString());
        Assert.Equal(prefix, p);
    }

    [Theory]
    [InlineData("10.0.0.1")]
    [InlineData("10.0.0.1/33")]
    [InlineData("10.0.1/24")]
    [InlineData("fd00::1/129")]
    [InlineData("x/24")]
    [InlineData("10.0.0.1/-1")]
    public void Cidr_rejects(string text) => Assert.Equal("InvalidAddress", Assert.Throws<NetNsException>(() => Validate.Cidr(text)).ErrorId);

    [Theory]
    [InlineData("02:00:00:00:00:01", "02:00:00:00:00:01")]
    [InlineData("02-AB-00-00-00-01", "02:ab:00:00:00:01")]
    public void Mac_normalises(string mac, string expected) => Assert.Equal(expected, Validate.MacAddress(mac));

    [Theory]
    [InlineData("01:00:5e:00:00:01")]
    [InlineData("02:00:00:00:00")]
    [InlineData("zz:00:00:00:00:01")]
    public void Mac_rejects(string mac) => Assert.Equal("InvalidMacAddress", Assert.Throws<NetNsException>(() => Validate.MacAddress(mac)).ErrorId);
}
