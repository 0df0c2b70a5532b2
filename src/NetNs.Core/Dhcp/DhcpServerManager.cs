using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using NetNs.Core.Errors;
using NetNs.Core.Ip;
using NetNs.Core.Models;
using NetNs.Core.Process;
using NetNs.Core.Validation;

namespace NetNs.Core.Dhcp;

/// <summary>
/// Starts, lists and stops dnsmasq DHCP servers inside namespaces. Each server keeps its state in
/// <c>/run/netns-ps/dhcp/NS-IF/</c>: <c>server.json</c> (what it was started with), <c>dnsmasq.pid</c>,
/// <c>dnsmasq.leases</c> and <c>dnsmasq.log</c>, all mode 0600.
/// </summary>
internal sealed class DhcpServerManager
{
    private const string StateFileName = "server.json";
    private readonly Context.NetNsContext _context;

    /// <summary>Creates a manager over the context's runner (its command lines reach -Verbose), kernel seam and cancellation.</summary>
    public DhcpServerManager(Context.NetNsContext context) => _context = context;

    /// <summary>The folder holding one state directory per server.</summary>
    public static string ServersDirectory => RunDirectory.PathOf("dhcp");

    /// <summary>
    /// Checks everything before a server is started and returns the settings it will run with. Errors:
    /// InvalidInterfaceName, InvalidNamespaceName, InvalidAddress, InvalidMacAddress, InvalidLeaseTime,
    /// InvalidDhcpRange, DhcpRangeOutsideSubnet, InvalidStaticLease, NoIPv4Address (InvalidArgument);
    /// NamespaceNotFound, LinkNotFound (ObjectNotFound); DhcpServerExists (ResourceExists).
    /// With <c>checkKernel</c> false (-WhatIf, when the namespace may not exist yet) only the arguments are checked.
    /// </summary>
    public DnsmasqSettings Prepare(string @namespace, string @interface, string rangeStart, string rangeEnd, TimeSpan leaseTime,
        string? router, IEnumerable<string>? dnsServer, IEnumerable<KeyValuePair<string, string>>? staticLease, bool checkKernel = true)
    {
        Validate.InterfaceName(@interface, "Interface");
        if (@namespace.Length > 0) Validate.NamespaceName(@namespace, "Namespace");
        var start = Ipv4(rangeStart, "RangeStart");
        var end = Ipv4(rangeEnd, "RangeEnd");
        if (ToUInt(start) > ToUInt(end))
            throw new NetNsException("InvalidDhcpRange", NetNsErrorCategory.InvalidArgument,
                $"The DHCP range {start} - {end} is reversed: the start address must not be above the end address.", rangeStart + "-" + rangeEnd);
        if (leaseTime < TimeSpan.FromMinutes(2) || leaseTime > TimeSpan.FromDays(365))
            throw new NetNsException("InvalidLeaseTime", NetNsErrorCategory.InvalidArgument,
                $"Invalid -LeaseTime {leaseTime}: dnsmasq needs at least 2 minutes; at most 365 days are allowed.", leaseTime);
        string? routerText = router is null ? null : Ipv4(router, "Router").ToString();
        var dns = (dnsServer ?? Array.Empty<string>()).Select(d => Ipv4(d, "DnsServer").ToString()).ToList();
        var statics = new List<KeyValuePair<string, string>>();
        foreach (var kv in staticLease ?? Array.Empty<KeyValuePair<string, string>>())
        {
            var mac = Validate.MacAddress(kv.Key, "StaticLease");
            var ip = Ipv4(kv.Value, "StaticLease");
            if (statics.Any(s => s.Key == mac))
                throw new NetNsException("InvalidStaticLease", NetNsErrorCategory.InvalidArgument, $"-StaticLease names MAC address {mac} twice.", mac);
            if (statics.Any(s => s.Value == ip.ToString()))
                throw new NetNsException("InvalidStaticLease", NetNsErrorCategory.InvalidArgument, $"-StaticLease gives address {ip} to two MAC addresses.", ip.ToString());
            statics.Add(new KeyValuePair<string, string>(mac, ip.ToString()));
        }

        var dir = Path.Combine(ServersDirectory, DhcpProcess.DirectoryName(@namespace, @interface));
        var netmask = "255.255.255.0";
        if (checkKernel)
        {
            KernelOps.Require(_context.Kernel, @namespace, "Namespace");
            var v4 = new AddressOps(_context).GetAddresses(@namespace, @interface).Where(a => a.Family == "IPv4").ToList();
            if (v4.Count == 0)
                throw new NetNsException("NoIPv4Address", NetNsErrorCategory.InvalidArgument,
                    $"Interface '{@interface}' in {LinkId.Describe(@namespace)} has no IPv4 address; a DHCP server needs one in the subnet it serves. Add one with Add-NetAddress.",
                    new LinkId(@namespace, @interface).Target);
            var subnet = v4.FirstOrDefault(a => Contains(a, start) && Contains(a, end));
            if (subnet is null)
                throw new NetNsException("DhcpRangeOutsideSubnet", NetNsErrorCategory.InvalidArgument,
                    $"The DHCP range {start} - {end} is not inside a subnet of interface '{@interface}' ({string.Join(", ", v4.Select(a => a.Cidr))}); the range must lie within one of them, excluding the network and broadcast addresses.",
                    rangeStart + "-" + rangeEnd);
            netmask = MaskOf(subnet.PrefixLength).ToString();
            foreach (var s in statics)
            {
                if (!Contains(subnet, IPAddress.Parse(s.Value)))
                    throw new NetNsException("InvalidStaticLease", NetNsErrorCategory.InvalidArgument,
                        $"Static lease {s.Key} -> {s.Value} is not inside the subnet {subnet.Cidr} of interface '{@interface}'.", s.Value);
            }
            var existing = ReadServer(dir);
            if (existing is not null && existing.Running)
                throw new NetNsException("DhcpServerExists", NetNsErrorCategory.ResourceExists,
                    $"A DHCP server already runs on interface '{existing.Interface}' in {LinkId.Describe(existing.Namespace)} (dnsmasq pid {existing.ProcessId}). Stop it with Stop-NetDhcpServer first.",
                    new LinkId(@namespace, @interface).Target);
        }
        return new DnsmasqSettings(@namespace, @interface, start.ToString(), end.ToString(), netmask, TimeSpan.FromSeconds(Math.Round(leaseTime.TotalSeconds)),
            routerText, dns, statics,
            Path.Combine(dir, "dnsmasq.pid"), Path.Combine(dir, "dnsmasq.leases"), Path.Combine(dir, "dnsmasq.log"));
    }

    /// <summary>
    /// Starts dnsmasq with settings from <see cref="Prepare"/> and returns the running server. When dnsmasq fails
    /// (DhcpServerStartFailed, with dnsmasq's own message) nothing is left running and the state directory is removed.
    /// </summary>
    public DhcpServer Start(DnsmasqSettings s)
    {
        var dir = Path.GetDirectoryName(s.PidFile)!;
        RunDirectory.EnsureDirectory("dhcp");
        StopStale(dir);
        RunDirectory.EnsureDirectory("dhcp", Path.GetFileName(dir));
        try
        {
            var started = DateTime.UtcNow;
            var state = new ServerState
            {
                Namespace = s.Namespace, Interface = s.Interface, RangeStart = s.RangeStart, RangeEnd = s.RangeEnd, Netmask = s.Netmask,
                LeaseSeconds = (long)s.LeaseTime.TotalSeconds, Router = s.Router, DnsServer = s.DnsServer.ToList(),
                StaticLease = s.StaticLease.ToDictionary(k => k.Key, k => k.Value), Started = started,
            };
            RunDirectory.WriteFile(Path.Combine(dir, StateFileName), JsonSerializer.Serialize(state));
            RunDirectory.WriteFile(s.LeaseFile, string.Empty);
            RunDirectory.WriteFile(s.LogFile, string.Empty);
            RunDirectory.RemoveFile(s.PidFile);
            var r = _context.Runner.Run(DnsmasqCommands.Start(s), _context.Cancellation);
            if (!r.Succeeded)
            {
                var err = r.StandardError.Trim();
                throw new ToolFailedException("DhcpServerStartFailed", NetNsErrorCategory.InvalidOperation,
                    $"dnsmasq did not start on interface '{s.Interface}' in {LinkId.Describe(s.Namespace)}: {(err.Length > 0 ? err : "exit status " + r.ExitCode)} (command: {r.Command})",
                    new LinkId(s.Namespace, s.Interface).Target, r.ExitCode, err, r.Command.ToString());
            }
            int? pid = null;
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(3);
            while ((pid = DhcpProcess.ReadPid(s.PidFile)) is null && DateTime.UtcNow < deadline) Thread.Sleep(20);
            if (pid is null)
                throw new NetNsException("DhcpServerStartFailed", NetNsErrorCategory.InvalidOperation,
                    $"dnsmasq on interface '{s.Interface}' in {LinkId.Describe(s.Namespace)} wrote no pid file ({s.PidFile}).", new LinkId(s.Namespace, s.Interface).Target);
            RunDirectory.Secure(s.PidFile);
            RunDirectory.Secure(s.LogFile);
            RunDirectory.Secure(s.LeaseFile);
            return ToServer(state, dir, pid, DhcpProcess.IsOurs(pid.Value, s.PidFile));
        }
        catch
        {
            StopStale(dir);
            throw;
        }
    }

    /// <summary>The servers NetNs started, optionally of one namespace and/or interface; dead ones have Running = false.</summary>
    public static List<DhcpServer> GetServers(string? @namespace = null, string? @interface = null)
    {
        var result = new List<DhcpServer>();
        foreach (var dir in DhcpProcess.StateDirectories(ServersDirectory))
        {
            var s = ReadServer(dir);
            if (s is null) continue;
            if (@namespace is not null && s.Namespace != @namespace) continue;
            if (@interface is not null && s.Interface != @interface) continue;
            if (!DhcpProcess.PruneStale(dir, s.Namespace, s.Running)) result.Add(s);
        }
        return result;
    }

    /// <summary>One server, or <c>DhcpServerNotFound</c> (ObjectNotFound).</summary>
    public static DhcpServer GetServer(string @namespace, string @interface) =>
        GetServers(@namespace, @interface).FirstOrDefault() ?? throw new NetNsException("DhcpServerNotFound", NetNsErrorCategory.ObjectNotFound,
            $"No DHCP server started by NetNs runs on interface '{@interface}' in {LinkId.Describe(@namespace)}. List them with Get-NetDhcpServer.",
            new LinkId(@namespace, @interface).Target);

    /// <summary>Stops the server's dnsmasq (SIGTERM, then SIGKILL) and removes its state directory.</summary>
    public static void Stop(DhcpServer server) => StopStale(server.Directory);

    /// <summary>The leases in the server's lease file.</summary>
    public static List<DhcpLease> GetLeases(DhcpServer server) =>
        DhcpLeaseParser.ParseDnsmasq(RunDirectory.ReadFile(server.LeaseFile) ?? string.Empty, server.Namespace, server.Interface);

    /// <summary>The lines of the server's log file (dnsmasq --log-dhcp).</summary>
    public static string[] GetLog(DhcpServer server) =>
        (RunDirectory.ReadFile(server.LogFile) ?? string.Empty).Split('\n').Where(l => l.Length > 0).ToArray();

    private static void StopStale(string dir) => DhcpProcess.StopAndRemove(dir, Path.Combine(dir, "dnsmasq.pid"));

    private static DhcpServer? ReadServer(string dir)
    {
        var state = DhcpProcess.ReadState<ServerState>(Path.Combine(dir, StateFileName));
        if (state?.Interface is null || state.Namespace is null) return null;
        var (pid, running) = DhcpProcess.State(Path.Combine(dir, "dnsmasq.pid"));
        return ToServer(state, dir, pid, running);
    }

    private static DhcpServer ToServer(ServerState s, string dir, int? pid, bool running) =>
        new(s.Namespace!, s.Interface!, s.RangeStart ?? "", s.RangeEnd ?? "", s.Netmask ?? "", TimeSpan.FromSeconds(s.LeaseSeconds), s.Router,
            s.DnsServer ?? new List<string>(), s.StaticLease ?? new Dictionary<string, string>(), pid, running, dir,
            Path.Combine(dir, "dnsmasq.leases"), Path.Combine(dir, "dnsmasq.log"), Path.Combine(dir, "dnsmasq.pid"), s.Started);

    /// <summary>The server a -WhatIf run would start (not running, no pid).</summary>
    public static DhcpServer Describe(DnsmasqSettings s) =>
        new(s.Namespace, s.Interface, s.RangeStart, s.RangeEnd, s.Netmask, s.LeaseTime, s.Router, s.DnsServer,
            s.StaticLease.ToDictionary(k => k.Key, k => k.Value), null, false, Path.GetDirectoryName(s.PidFile)!, s.LeaseFile, s.LogFile, s.PidFile, null);

    private static IPAddress Ipv4(string? text, string parameter)
    {
        var ip = Validate.IpAddress(text, parameter);
        if (ip.AddressFamily != AddressFamily.InterNetwork)
            throw new NetNsException("InvalidAddress", NetNsErrorCategory.InvalidArgument,
                $"Invalid address '{text}' for -{parameter}: DHCP (dnsmasq, DHCPv4) needs an IPv4 address.", text);
        return ip;
    }

    private static uint ToUInt(IPAddress ip)
    {
        var b = ip.GetAddressBytes();
        return ((uint)b[0] << 24) | ((uint)b[1] << 16) | ((uint)b[2] << 8) | b[3];
    }

    private static IPAddress MaskOf(int prefix)
    {
        var m = prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);
        return new IPAddress(new[] { (byte)(m >> 24), (byte)(m >> 16), (byte)(m >> 8), (byte)m });
    }

    /// <summary>True when <paramref name="ip"/> is a host address of the subnet of <paramref name="a"/> (not its network or broadcast address).</summary>
    internal static bool Contains(NetAddress a, IPAddress ip)
    {
        var prefix = a.PrefixLength;
        var mask = prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);
        var net = ToUInt(IPAddress.Parse(a.Address)) & mask;
        var x = ToUInt(ip);
        if ((x & mask) != net) return false;
        if (prefix >= 31) return true;
        return x != net && x != (net | ~mask);
    }

    private sealed class ServerState
    {
        public string? Namespace { get; set; }
        public string? Interface { get; set; }
        public string? RangeStart { get; set; }
        public string? RangeEnd { get; set; }
        public string? Netmask { get; set; }
        public long LeaseSeconds { get; set; }
        public string? Router { get; set; }
        public List<string>? DnsServer { get; set; }
        public Dictionary<string, string>? StaticLease { get; set; }
        public DateTime? Started { get; set; }
    }
}
