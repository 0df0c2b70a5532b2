namespace NetNs.Core.Models;

/// <summary>A DHCP server (dnsmasq) NetNs started on one interface of a namespace.</summary>
public sealed class DhcpServer
{
    /// <summary>Creates a server description.</summary>
    public DhcpServer(string @namespace, string @interface, string rangeStart, string rangeEnd, string netmask, TimeSpan leaseTime,
        string? router, IReadOnlyList<string> dnsServer, IReadOnlyDictionary<string, string> staticLease,
        int? processId, bool running, string directory, string leaseFile, string logFile, string pidFile, DateTime? started)
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
        ProcessId = processId;
        Running = running;
        Directory = directory;
        LeaseFile = leaseFile;
        LogFile = logFile;
        PidFile = pidFile;
        Started = started;
    }

    /// <summary>The namespace the server runs in ("" = root namespace).</summary>
    public string Namespace { get; }

    /// <summary>The interface it serves.</summary>
    public string Interface { get; }

    /// <summary>First address of the dynamic range.</summary>
    public string RangeStart { get; }

    /// <summary>Last address of the dynamic range.</summary>
    public string RangeEnd { get; }

    /// <summary>The subnet mask handed out (that of the interface's subnet).</summary>
    public string Netmask { get; }

    /// <summary>Lease time of dynamic leases.</summary>
    public TimeSpan LeaseTime { get; }

    /// <summary>The router option (3) sent to clients, or null.</summary>
    public string? Router { get; }

    /// <summary>The DNS server option (6) sent to clients; empty when none.</summary>
    public IReadOnlyList<string> DnsServer { get; }

    /// <summary>Static leases: MAC address (lower case) to IPv4 address.</summary>
    public IReadOnlyDictionary<string, string> StaticLease { get; }

    /// <summary>The dnsmasq process id, or null when unknown.</summary>
    public int? ProcessId { get; }

    /// <summary>True while the dnsmasq process runs.</summary>
    public bool Running { get; }

    /// <summary>The server's state directory under /run/netns-ps/dhcp.</summary>
    public string Directory { get; }

    /// <summary>dnsmasq's lease file (--dhcp-leasefile).</summary>
    public string LeaseFile { get; }

    /// <summary>dnsmasq's log file (--log-facility, with --log-dhcp).</summary>
    public string LogFile { get; }

    /// <summary>dnsmasq's pid file (--pid-file).</summary>
    public string PidFile { get; }

    /// <summary>When the server was started (UTC), or null under -WhatIf.</summary>
    public DateTime? Started { get; }

    /// <summary>"start-end".</summary>
    public string Range => RangeStart + "-" + RangeEnd;

    /// <inheritdoc />
    public override string ToString() => (Namespace.Length == 0 ? "" : Namespace + "/") + Interface + " " + Range;
}

/// <summary>A lease as the DHCP server (dnsmasq) records it in its lease file.</summary>
public sealed class DhcpLease
{
    /// <summary>Creates a lease.</summary>
    public DhcpLease(string @namespace, string @interface, string macAddress, string ipAddress, string? hostName, string? clientId, DateTime? expires)
    {
        Namespace = @namespace;
        Interface = @interface;
        MacAddress = macAddress;
        IPAddress = ipAddress;
        HostName = hostName;
        ClientId = clientId;
        Expires = expires;
    }

    /// <summary>Namespace of the server.</summary>
    public string Namespace { get; }

    /// <summary>Interface of the server.</summary>
    public string Interface { get; }

    /// <summary>The client's hardware address, lower case.</summary>
    public string MacAddress { get; }

    /// <summary>The leased IPv4 address.</summary>
    public string IPAddress { get; }

    /// <summary>The host name the client sent, or null.</summary>
    public string? HostName { get; }

    /// <summary>The client identifier (option 61) as dnsmasq prints it, or null.</summary>
    public string? ClientId { get; }

    /// <summary>Expiry time (UTC); null for an infinite lease.</summary>
    public DateTime? Expires { get; }

    /// <inheritdoc />
    public override string ToString() => IPAddress + " " + MacAddress;
}

/// <summary>A lease a DHCP client (dhclient) obtained on an interface of a namespace.</summary>
public sealed class DhcpClientLease
{
    /// <summary>Creates a client lease.</summary>
    public DhcpClientLease(string @namespace, string @interface, string address, int prefixLength, string? router,
        IReadOnlyList<string> dnsServer, string? serverId, TimeSpan leaseTime, DateTime? renew, DateTime? expires,
        int? processId, bool running, string leaseFile, bool exists = true)
    {
        Exists = exists;
        Namespace = @namespace;
        Interface = @interface;
        Address = address;
        PrefixLength = prefixLength;
        Router = router;
        DnsServer = dnsServer;
        ServerId = serverId;
        LeaseTime = leaseTime;
        Renew = renew;
        Expires = expires;
        ProcessId = processId;
        Running = running;
        LeaseFile = leaseFile;
    }

    /// <summary>Namespace of the interface ("" = root namespace).</summary>
    public string Namespace { get; }

    /// <summary>The interface the lease is for.</summary>
    public string Interface { get; }

    /// <summary>The leased IPv4 address.</summary>
    public string Address { get; }

    /// <summary>Prefix length from the subnet mask option.</summary>
    public int PrefixLength { get; }

    /// <summary>First router (option 3), or null.</summary>
    public string? Router { get; }

    /// <summary>DNS servers (option 6); never written to any resolv.conf.</summary>
    public IReadOnlyList<string> DnsServer { get; }

    /// <summary>The DHCP server identifier (option 54).</summary>
    public string? ServerId { get; }

    /// <summary>Lease time (option 51).</summary>
    public TimeSpan LeaseTime { get; }

    /// <summary>When the client would renew (UTC).</summary>
    public DateTime? Renew { get; }

    /// <summary>When the lease expires (UTC).</summary>
    public DateTime? Expires { get; }

    /// <summary>The dhclient process id while one runs (-KeepRunning), else null.</summary>
    public int? ProcessId { get; }

    /// <summary>True while a dhclient process keeps the lease renewed.</summary>
    public bool Running { get; }

    /// <summary>dhclient's lease file (-lf).</summary>
    public string LeaseFile { get; }

    /// <summary>False only for the object Request-NetDhcpClientLease -WhatIf passes on: the lease it would ask for (no address yet).</summary>
    public bool Exists { get; }

    /// <summary>The lease Request-NetDhcpClientLease -WhatIf would ask for on (namespace, interface): no address, nothing running.</summary>
    public static DhcpClientLease Planned(string @namespace, string @interface, string leaseFile) =>
        new(@namespace, @interface, string.Empty, 0, null, Array.Empty<string>(), null, TimeSpan.Zero, null, null, null, false, leaseFile, exists: false);

    /// <summary>"address/prefix" ("(planned)" for the object of -WhatIf).</summary>
    public string Cidr => Exists ? Address + "/" + PrefixLength : "(planned)";

    /// <inheritdoc />
    public override string ToString() => Cidr;
}
