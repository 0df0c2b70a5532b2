using System.Globalization;
using NetNs.Core.Ip;
using NetNs.Core.Process;

namespace NetNs.Core.Dhcp;

/// <summary>What a dnsmasq DHCP server is started with (see <see cref="DnsmasqCommands.Start"/>).</summary>
/// <param name="Namespace">Namespace ("" = root).</param>
/// <param name="Interface">Interface to serve.</param>
/// <param name="RangeStart">First address of the range.</param>
/// <param name="RangeEnd">Last address of the range.</param>
/// <param name="Netmask">Subnet mask handed out.</param>
/// <param name="LeaseTime">Lease time (whole seconds are used).</param>
/// <param name="Router">Router option, or null.</param>
/// <param name="DnsServer">DNS server option values.</param>
/// <param name="StaticLease">Static leases, MAC to IP.</param>
/// <param name="PidFile">--pid-file.</param>
/// <param name="LeaseFile">--dhcp-leasefile.</param>
/// <param name="LogFile">--log-facility (a file).</param>
internal sealed record DnsmasqSettings(string Namespace, string Interface, string RangeStart, string RangeEnd, string Netmask, TimeSpan LeaseTime,
    string? Router, IReadOnlyList<string> DnsServer, IReadOnlyList<KeyValuePair<string, string>> StaticLease,
    string PidFile, string LeaseFile, string LogFile);

/// <summary>
/// Builds argv for dnsmasq(8) as a DHCP-only server (Debian <c>dnsmasq-base</c>) run inside a namespace with
/// <c>ip netns exec</c>. It never reads the host's configuration (<c>--conf-file=/dev/null</c>, no hosts or
/// resolv files), serves no DNS (<c>--port=0</c>), binds only to its interface, and daemonises with its own pid,
/// lease and log files; startup errors are reported on stderr with a non-zero exit before it detaches.
/// </summary>
internal static class DnsmasqCommands
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
