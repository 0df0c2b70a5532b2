using System.Globalization;
using NetNs.Core.Ip;
using NetNs.Core.Process;

namespace NetNs.Core.Dhcp;

/// <summary>What a dnsmasq DHCP server is started with (see <see cref="DnsmasqCommands.Start"/>).</summary>
public sealed class DnsmasqSettings
{
    /// <summary>Creates settings.</summary>
    public DnsmasqSettings(string @namespace, string @interface, string rangeStart, string rangeEnd, string netmask, TimeSpan leaseTime,
        string? router, IReadOnlyList<string> dnsServer, IReadOnlyList<KeyValuePair<string, string>> staticLease,
        string pidFile, string leaseFile, string logFile)
    {
        Namespace = @namespace;
        Interface = @interface;
        RangeStart = rangeStart;
        RangeEnd = rangeEnd;
        Netmask = netmask;
        LeaseTime = leaseTime;
        Router = router;
        DnsServer = dnsServer;
        StaticLease = staticLease;
        PidFile = pidFile;
        LeaseFile = leaseFile;
        LogFile = logFile;
    }

    /// <summary>Namespace ("" = root).</summary>
    public string Namespace { get; }

    /// <summary>Interface to serve.</summary>
    public string Interface { get; }

    /// <summary>First address of the range.</summary>
    public string RangeStart { get; }

    /// <summary>Last address of the range.</summary>
    public string RangeEnd { get; }

    /// <summary>Subnet mask handed out.</summary>
    public string Netmask { get; }

    /// <summary>Lease time (whole seconds are used).</summary>
    public TimeSpan LeaseTime { get; }

    /// <summary>Router option, or null.</summary>
    public string? Router { get; }

    /// <summary>DNS server option values.</summary>
    public IReadOnlyList<string> DnsServer { get; }

    /// <summary>Static leases, MAC to IP.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> StaticLease { get; }

    /// <summary>--pid-file.</summary>
    public string PidFile { get; }

    /// <summary>--dhcp-leasefile.</summary>
    public string LeaseFile { get; }

    /// <summary>--log-facility (a file).</summary>
    public string LogFile { get; }
}

/// <summary>
/// Builds argv for dnsmasq(8) as a DHCP-only server (Debian <c>dnsmasq-base</c>) run inside a namespace with
/// <c>ip netns exec</c>. It never reads the host's configuration (<c>--conf-file=/dev/null</c>, no hosts or
/// resolv files), serves no DNS (<c>--port=0</c>), binds only to its interface, and daemonises with its own pid,
/// lease and log files; startup errors are reported on stderr with a non-zero exit before it detaches.
/// </summary>
public static class DnsmasqCommands
{
    /// <summary>The program name.</summary>
    public const string Dnsmasq = "dnsmasq";

    /// <summary>The argv of dnsmasq itself (without <c>ip netns exec</c>).</summary>
    public static List<string> Arguments(DnsmasqSettings s)
    {
        var seconds = (long)Math.Round(s.LeaseTime.TotalSeconds);
        var a = new List<string>
        {
            "--conf-file=/dev/null",
            "--no-hosts",
            "--no-resolv",
            "--port=0",
            "--interface=" + s.Interface,
            "--bind-interfaces",
            "--except-interface=lo",
            "--pid-file=" + s.PidFile,
            "--dhcp-leasefile=" + s.LeaseFile,
            "--log-facility=" + s.LogFile,
            "--log-dhcp",
            "--dhcp-authoritative",
            // A lab's addresses are its own: skip the ICMP probe dnsmasq sends before each offer (about 3 s per lease).
            "--no-ping",
            "--dhcp-range=" + string.Join(",", s.RangeStart, s.RangeEnd, s.Netmask, seconds.ToString(CultureInfo.InvariantCulture)),
        };
        if (s.Router is not null) a.Add("--dhcp-option=option:router," + s.Router);
        if (s.DnsServer.Count > 0) a.Add("--dhcp-option=option:dns-server," + string.Join(",", s.DnsServer));
        foreach (var kv in s.StaticLease) a.Add("--dhcp-host=" + kv.Key + "," + kv.Value);
        return a;
    }

    /// <summary><c>ip netns exec NS dnsmasq …</c> (just <c>dnsmasq …</c> in the root namespace).</summary>
    public static ToolCommand Start(DnsmasqSettings settings) => IpCommands.NetnsExec(settings.Namespace, Dnsmasq, Arguments(settings));
}
