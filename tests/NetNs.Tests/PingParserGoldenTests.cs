using NetNs.Core.Ip;
using Xunit;

namespace NetNs.Tests;

/// <summary>PingParser against iputils 20221126 output captured on this machine.</summary>
public class PingParserGoldenTests
{
    private static NetNs.Core.Models.PingResult Parse(string name, string target, int count) =>
        PingParser.Parse("gold1", target, count, Golden.Read($"ping-{name}.stdout.txt"), Golden.Read($"ping-{name}.stderr.txt"));

    [Fact]
    public void Success()
    {
        var r = Parse("success", "10.0.0.2", 3);
        Assert.Equal("gold1", r.Namespace);
        Assert.Equal("10.0.0.2", r.Target);
        Assert.Equal(3, r.Sent);
        Assert.Equal(3, r.Received);
        Assert.Equal(0, r.LossPercent);
        Assert.Equal(0.052, r.MinRttMs);
        Assert.Equal(0.088, r.AvgRttMs);
        Assert.Equal(0.159, r.MaxRttMs);
        Assert.Null(r.Error);
        Assert.True(r.Success);
    }

    [Fact]
    public void Total_loss()
    {
        var r = Parse("loss", "10.0.0.99", 2);
        Assert.Equal(2, r.Sent);
        Assert.Equal(0, r.Received);
        Assert.Equal(100, r.LossPercent);
        Assert.Null(r.MinRttMs);
        Assert.Null(r.AvgRttMs);
        Assert.Null(r.MaxRttMs);
        Assert.Null(r.Error);
        Assert.False(r.Success);
    }

    [Fact]
    public void Network_unreachable()
    {
        var r = Parse("unreachable", "10.9.9.9", 1);
        Assert.Equal(1, r.Sent);
        Assert.Equal(0, r.Received);
        Assert.Equal(100, r.LossPercent);
        Assert.Equal("connect: Network is unreachable", r.Error);
        Assert.False(r.Success);
    }

    [Fact]
    public void Partial_loss_with_errors()
    {
        const string stdout = "PING 10.0.0.3 (10.0.0.3) 56(84) bytes of data.\n\n--- 10.0.0.3 ping statistics ---\n4 packets transmitted, 1 received, +3 errors, 75% packet loss, time 3050ms\nrtt min/avg/max/mdev = 0.100/0.100/0.100/0.000 ms\n";
        var r = PingParser.Parse("", "10.0.0.3", 4, stdout, "");
        Assert.Equal(4, r.Sent);
        Assert.Equal(1, r.Received);
        Assert.Equal(75, r.LossPercent);
        Assert.Equal(0.1, r.AvgRttMs);
        Assert.True(r.Success);
    }

    [Fact]
    public void Busybox_wording()
    {
        const string stdout = "--- 10.0.0.2 ping statistics ---\n3 packets transmitted, 2 packets received, 33% packet loss\nround-trip min/avg/max = 0.050/0.070/0.090 ms\n";
        var r = PingParser.Parse("ns", "10.0.0.2", 3, stdout, "");
        Assert.Equal(2, r.Received);
        Assert.Equal(33.3, r.LossPercent);
    }

    [Fact]
    public void No_output_at_all_is_an_error_result()
    {
        var r = PingParser.Parse("ns", "10.0.0.2", 2, "", "");
        Assert.Equal(2, r.Sent);
        Assert.Equal(0, r.Received);
        Assert.Equal("ping printed no summary.", r.Error);
    }
}
