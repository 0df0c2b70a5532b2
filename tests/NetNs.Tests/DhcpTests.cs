using NetNs.Core;
using NetNs.Core.Dhcp;
using NetNs.Core.Errors;
using Xunit;

#pragma warning disable CA1416 // NetNs runs on Linux only

namespace NetNs.Tests;

public class DhcpTests
{
    private static string Golden(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "dhcp", name));

    private static DnsmasqSettings Settings(string ns = "ns1", string? router = null, string[]? dns = null, KeyValuePair<string, string>[]? statics = null) =>
        new(ns, "eth1-ns1", "10.0.0.100", "10.0.0.200", "255.255.255.0", TimeSpan.FromMinutes(10), router, dns ?? Array.Empty<string>(),
            statics ?? Array.Empty<KeyValuePair<string, string>>(), "/run/netns-ps/dhcp/ns1-eth1-ns1/dnsmasq.pid",
            "/run/netns-ps/dhcp/ns1-eth1-ns1/dnsmasq.leases", "/run/netns-ps/dhcp/ns1-eth1-ns1/dnsmasq.log");

    [Fact]
    public void Dnsmasq_argv_is_dhcp_only_isolated_and_in_the_namespace()
    {
        var c = DnsmasqCommands.Start(Settings());
        Assert.Equal("ip", c.Tool);
        Assert.Equal(new[]
        {
            "netns", "exec", "ns1", "dnsmasq",
            "--conf-file=/dev/null", "--no-hosts", "--no-resolv", "--port=0",
            "--interface=eth1-ns1", "--bind-interfaces", "--except-interface=lo",
            "--pid-file=/run/netns-ps/dhcp/ns1-eth1-ns1/dnsmasq.pid",
            "--dhcp-leasefile=/run/netns-ps/dhcp/ns1-eth1-ns1/dnsmasq.leases",
            "--log-facility=/run/netns-ps/dhcp/ns1-eth1-ns1/dnsmasq.log",
            "--log-dhcp", "--dhcp-authoritative", "--no-ping",
            "--dhcp-range=10.0.0.100,10.0.0.200,255.255.255.0,600",
        }, c.Arguments);
        Assert.DoesNotContain(c.Arguments, a => a.StartsWith("--keep-in-foreground", StringComparison.Ordinal));
    }

    [Fact]
    public void Dnsmasq_argv_options_and_static_leases()
    {
        var a = DnsmasqCommands.Arguments(Settings(router: "10.0.0.1", dns: new[] { "10.0.0.1", "10.0.0.2" },
            statics: new[] { new KeyValuePair<string, string>("02:00:00:00:00:10", "10.0.0.10") }));
        Assert.Contains("--dhcp-option=option:router,10.0.0.1", a);
        Assert.Contains("--dhcp-option=option:dns-server,10.0.0.1,10.0.0.2", a);
        Assert.Equal("--dhcp-host=02:00:00:00:00:10,10.0.0.10", a[^1]);
    }

    [Fact]
    public void Dnsmasq_in_root_namespace_runs_directly()
    {
        var c = DnsmasqCommands.Start(Settings(ns: ""));
        Assert.Equal("dnsmasq", c.Tool);
        Assert.Equal("--conf-file=/dev/null", c.Arguments[0]);
    }

    [Fact]
    public void Dhclient_request_and_release_argv()
    {
        var r = DhclientCommands.Request("ns2", "eth1-ns2", "/r/c", "/r/s", "/r/l", "/r/p");
        Assert.Equal("ip", r.Tool);
        Assert.Equal(new[] { "netns", "exec", "ns2", "dhclient", "-4", "-1", "-v", "-cf", "/r/c", "-sf", "/r/s", "-lf", "/r/l", "-pf", "/r/p", "eth1-ns2" }, r.Arguments);
        var x = DhclientCommands.Release("ns2", "eth1-ns2", "/r/c", "/r/s", "/r/l", "/r/p");
        Assert.Equal(new[] { "netns", "exec", "ns2", "dhclient", "-4", "-r", "-v", "-cf", "/r/c", "-sf", "/r/s", "-lf", "/r/l", "-pf", "/r/p", "eth1-ns2" }, x.Arguments);
    }

    [Fact]
    public void Dhclient_configuration_has_the_timeout_and_script_touches_no_file()
    {
        Assert.Contains("timeout 7;", DhclientCommands.Configuration(7));
        Assert.DoesNotContain("resolv", DhclientCommands.Script);
        Assert.DoesNotContain(">", DhclientCommands.Script.Replace("2>/dev/null", ""));
        Assert.StartsWith("#!/bin/sh\n", DhclientCommands.Script);
    }

    [Fact]
    public void Dnsmasq_lease_file_parses()
    {
        var l = Assert.Single(DhcpLeaseParser.ParseDnsmasq(Golden("dnsmasq.leases"), "ns1", "eth1"));
        Assert.Equal("32:81:05:bf:79:80", l.MacAddress);
        Assert.Equal("10.77.0.117", l.IPAddress);
        Assert.Null(l.HostName);
        Assert.Null(l.ClientId);
        Assert.Equal(new DateTime(2026, 11, 29, 13, 54, 2, DateTimeKind.Utc), l.Expires);
        Assert.Equal(DateTimeKind.Utc, l.Expires!.Value.Kind);
        Assert.Equal("ns1", l.Namespace);
        Assert.Equal("eth1", l.Interface);
    }

    [Fact]
    public void Dnsmasq_lease_file_with_hostname_client_id_and_infinite_lease()
    {
        var l = Assert.Single(DhcpLeaseParser.ParseDnsmasq(Golden("dnsmasq-hostname-infinite.leases"), "ns1", "eth1"));
        Assert.Equal("labhost", l.HostName);
        Assert.Equal("6c:61:62:2d:63:6c:69:65:6e:74:2d:31", l.ClientId);
        Assert.Null(l.Expires);
        Assert.Equal("10.78.0.131", l.IPAddress);
    }

    [Fact]
    public void Dnsmasq_lease_file_skips_garbage_and_dhcpv6()
    {
        var text = "garbage\n1795960442 02:00:00:00:00:01 10.0.0.5 h1 *\nduid 00:01:00:01\n1795960442 1234 fd00::5 h2 00:01\n";
        var l = Assert.Single(DhcpLeaseParser.ParseDnsmasq(text, "", "x"));
        Assert.Equal("h1", l.HostName);
        Assert.Empty(DhcpLeaseParser.ParseDnsmasq(string.Empty, "", "x"));
    }

    [Fact]
    public void Dhclient_lease_file_parses()
    {
        var l = DhcpLeaseParser.ParseDhclient(Golden("dhclient.leases"), "ns2", "dhxb", "/x/leases");
        Assert.NotNull(l);
        Assert.Equal("10.77.0.117", l!.Address);
        Assert.Equal(24, l.PrefixLength);
        Assert.Equal("10.77.0.1", l.Router);
        Assert.Equal(new[] { "10.77.0.1", "10.77.0.2" }, l.DnsServer);
        Assert.Equal("10.77.0.1", l.ServerId);
        Assert.Equal(TimeSpan.FromSeconds(300), l.LeaseTime);
        Assert.Equal(new DateTime(2026, 11, 29, 13, 51, 15, DateTimeKind.Utc), l.Renew);
        Assert.Equal(new DateTime(2026, 11, 29, 13, 54, 2, DateTimeKind.Utc), l.Expires);
        Assert.Equal("10.77.0.117/24", l.Cidr);
        Assert.False(l.Running);
    }

    [Fact]
    public void Dhclient_lease_file_infinite_lease_without_dns()
    {
        var l = DhcpLeaseParser.ParseDhclient(Golden("dhclient-infinite.leases"), "ns2", "ghxb", "/x");
        Assert.NotNull(l);
        Assert.Empty(l!.DnsServer);
        Assert.Equal(TimeSpan.FromSeconds(4294967295), l.LeaseTime);
        Assert.Equal(2163, l.Expires!.Value.Year);
    }

    [Fact]
    public void Dhclient_lease_file_takes_the_newest_block_of_the_interface()
    {
        var text = Golden("dhclient.leases") + "lease {\n  interface \"dhxb\";\n  fixed-address 10.77.0.118;\n  option subnet-mask 255.255.0.0;\n  expire epoch 1795960442; # Sun Nov 29 13:54:02 2026\n}\n"
            + "lease {\n  interface \"other\";\n  fixed-address 10.9.9.9;\n}\n";
        var l = DhcpLeaseParser.ParseDhclient(text, "", "dhxb", "/x");
        Assert.Equal("10.77.0.118", l!.Address);
        Assert.Equal(16, l.PrefixLength);
        Assert.Equal(new DateTime(2026, 11, 29, 13, 54, 2, DateTimeKind.Utc), l.Expires);
        Assert.Null(DhcpLeaseParser.ParseDhclient(string.Empty, "", "dhxb", "/x"));
    }

    [Theory]
    [InlineData("never", null)]
    [InlineData("epoch 0", "1970-01-01T00:00:00")]
    [InlineData("0 2026/11/29 13:54:02", "2026-11-29T13:54:02")]
    public void Dhclient_times(string text, string? expected)
    {
        var t = DhcpLeaseParser.ParseTime(text);
        if (expected is null) Assert.Null(t);
        else Assert.Equal(DateTime.Parse(expected, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal), t);
    }

    [Theory]
    [InlineData("10.0.0.200", "10.0.0.100", "InvalidDhcpRange")]
    [InlineData("10.0.0.1.1", "10.0.0.100", "InvalidAddress")]
    [InlineData("fd00::1", "fd00::9", "InvalidAddress")]
    public void Server_range_is_checked_before_the_kernel(string start, string end, string errorId)
    {
        var m = new DhcpServerManager(Fakes.Context(FakeRunner.Refusing()));
        var ex = Assert.Throws<NetNsException>(() => m.Prepare("ns1", "eth1", start, end, TimeSpan.FromHours(1), null, null, null, checkKernel: false));
        Assert.Equal(errorId, ex.ErrorId);
        Assert.Equal(NetNsErrorCategory.InvalidArgument, ex.Category);
    }

    [Fact]
    public void Server_lease_time_and_static_leases_are_checked()
    {
        var m = new DhcpServerManager(Fakes.Context(FakeRunner.Refusing()));
        Assert.Equal("InvalidLeaseTime", Assert.Throws<NetNsException>(() => m.Prepare("ns1", "eth1", "10.0.0.1", "10.0.0.9", TimeSpan.FromSeconds(119), null, null, null, false)).ErrorId);
        Assert.Equal("InvalidMacAddress", Assert.Throws<NetNsException>(() => m.Prepare("ns1", "eth1", "10.0.0.1", "10.0.0.9", TimeSpan.FromHours(1), null, null,
            new[] { new KeyValuePair<string, string>("zz", "10.0.0.5") }, false)).ErrorId);
        Assert.Equal("InvalidStaticLease", Assert.Throws<NetNsException>(() => m.Prepare("ns1", "eth1", "10.0.0.1", "10.0.0.9", TimeSpan.FromHours(1), null, null,
            new[] { new KeyValuePair<string, string>("02:00:00:00:00:01", "10.0.0.5"), new KeyValuePair<string, string>("02:00:00:00:00:02", "10.0.0.5") }, false)).ErrorId);
        var s = m.Prepare("ns1", "eth1", "10.0.0.1", "10.0.0.9", TimeSpan.FromMinutes(2.5), "10.0.0.254", new[] { "10.0.0.254" },
            new[] { new KeyValuePair<string, string>("02-00-00-00-00-AA", "10.0.0.5") }, false);
        Assert.Equal("02:00:00:00:00:aa", s.StaticLease[0].Key);
        Assert.Equal(TimeSpan.FromSeconds(150), s.LeaseTime);
        Assert.Equal(RunDirectory.PathOf("dhcp", "ns1-eth1", "dnsmasq.pid"), s.PidFile);
    }

    [Fact]
    public void Client_timeout_is_checked()
    {
        var m = new DhcpClientManager(Fakes.Context(FakeRunner.Refusing()));
        Assert.Equal("InvalidTimeout", Assert.Throws<NetNsException>(() => m.Prepare("ns1", "eth1", 0, false)).ErrorId);
        Assert.Equal("InvalidInterfaceName", Assert.Throws<NetNsException>(() => m.Prepare("ns1", "a/b", 5, false)).ErrorId);
    }

    [Fact]
    public void Run_directory_refuses_symlinks_and_writes_0600()
    {
        var saved = RunDirectory.Root;
        var tmp = Path.Combine(Path.GetTempPath(), "netns-rd-" + Guid.NewGuid().ToString("N"));
        try
        {
            RunDirectory.Root = tmp;
            var dir = RunDirectory.EnsureDirectory("dhcp");
            Assert.Equal(RunDirectory.DirectoryMode, File.GetUnixFileMode(tmp));
            Assert.Equal(RunDirectory.DirectoryMode, File.GetUnixFileMode(dir));
            var f = Path.Combine(dir, "a");
            RunDirectory.WriteFile(f, "x");
            Assert.Equal(RunDirectory.FileMode, File.GetUnixFileMode(f));
            RunDirectory.WriteFile(f, "y");
            Assert.Equal("y", RunDirectory.ReadFile(f));

            var victim = Path.Combine(tmp, "victim");
            File.WriteAllText(victim, "keep");
            var link = Path.Combine(dir, "link");
            File.CreateSymbolicLink(link, victim);
            var ex = Assert.Throws<NetNsException>(() => RunDirectory.WriteFile(link, "evil"));
            Assert.Equal("UnsafeRunPath", ex.ErrorId);
            Assert.Equal(NetNsErrorCategory.PermissionDenied, ex.Category);
            Assert.Equal("keep", File.ReadAllText(victim));
            Assert.Throws<NetNsException>(() => RunDirectory.Secure(link));

            var linkDir = Path.Combine(tmp, "sub");
            Directory.CreateSymbolicLink(linkDir, dir);
            Assert.Equal("UnsafeRunPath", Assert.Throws<NetNsException>(() => RunDirectory.EnsureDirectory("sub")).ErrorId);

            RunDirectory.RemoveDirectory(dir);
            Assert.False(Directory.Exists(dir));
            Assert.Equal("keep", File.ReadAllText(victim));
        }
        finally
        {
            RunDirectory.Root = saved;
            Directory.Delete(tmp, true);
        }
    }
}
