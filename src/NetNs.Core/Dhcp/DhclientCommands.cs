using System.Globalization;
using NetNs.Core.Ip;
using NetNs.Core.Process;

namespace NetNs.Core.Dhcp;

/// <summary>
/// Builds argv and files for ISC dhclient(8) (Debian <c>isc-dhcp-client</c>) run inside a namespace with
/// <c>ip netns exec</c>. dhclient is pointed at NetNs's own configuration, lease, pid and script files under the run
/// directory, so it never reads /etc/dhcp/dhclient.conf nor runs /sbin/dhclient-script (which would rewrite
/// /etc/resolv.conf).
/// </summary>
internal static class DhclientCommands
{
    /// <summary>The program name.</summary>
    public const string Dhclient = "dhclient";

    /// <summary>
    /// One-shot request (<c>dhclient -1 -v -cf CONF -sf SCRIPT -lf LEASES -pf PID IF</c>): exits 0 after the lease
    /// is bound (the client then detaches to renew it), 2 when no lease arrived within the configured timeout.
    /// </summary>
    public static ToolCommand Request(string @namespace, string @interface, string confFile, string scriptFile, string leaseFile, string pidFile)
        => IpCommands.NetnsExec(@namespace, Dhclient, new[] { "-4", "-1", "-v", "-cf", confFile, "-sf", scriptFile, "-lf", leaseFile, "-pf", pidFile, @interface });

    /// <summary>
    /// Release (<c>dhclient -r -v … IF</c>): stops a client recorded in the pid file, sends DHCPRELEASE for the lease
    /// in the lease file and runs the script with reason RELEASE (which removes the address).
    /// </summary>
    public static ToolCommand Release(string @namespace, string @interface, string confFile, string scriptFile, string leaseFile, string pidFile)
        => IpCommands.NetnsExec(@namespace, Dhclient, new[] { "-4", "-r", "-v", "-cf", confFile, "-sf", scriptFile, "-lf", leaseFile, "-pf", pidFile, @interface });

    /// <summary>The dhclient.conf NetNs uses: <paramref name="timeoutSeconds"/> to get a lease, the options it reports.</summary>
    public static string Configuration(int timeoutSeconds) =>
        "# Written by NetNs; used instead of /etc/dhcp/dhclient.conf.\n" +
        "timeout " + timeoutSeconds.ToString(CultureInfo.InvariantCulture) + ";\n" +
        "retry 60;\n" +
        "initial-interval 1;\n" +
        "request subnet-mask, broadcast-address, routers, domain-name-servers, dhcp-lease-time, dhcp-server-identifier;\n";

    /// <summary>
    /// The script dhclient runs (-sf). Fixed text, no user input: it only reads the variables dhclient sets. It sets
    /// the interface up, configures or removes the leased address with <c>ip</c>, adds a default route through the
    /// router only when the namespace has none, and writes no file (no resolv.conf).
    /// </summary>
    public const string Script =
        "#!/bin/sh\n" +
        "# Written by NetNs: dhclient script that changes only the interface it is run for.\n" +
        "PATH=/usr/sbin:/usr/bin:/sbin:/bin\n" +
        "case \"$reason\" in\n" +
        "PREINIT)\n" +
        "    ip link set dev \"$interface\" up\n" +
        "    ;;\n" +
        "BOUND|RENEW|REBIND|REBOOT)\n" +
        "    if [ -n \"$old_ip_address\" ] && [ \"$old_ip_address\" != \"$new_ip_address\" ]; then\n" +
        "        ip -4 address del \"$old_ip_address/$old_subnet_mask\" dev \"$interface\" 2>/dev/null\n" +
        "    fi\n" +
        // The address lives as long as the lease (dynamic, like ip shows DHCP addresses); an infinite lease is permanent.
        "    lft=forever\n" +
        "    case \"$new_dhcp_lease_time\" in ''|4294967295|*[!0-9]*) ;; *) lft=$new_dhcp_lease_time ;; esac\n" +
        "    if [ -n \"$new_broadcast_address\" ]; then\n" +
        "        ip -4 address replace \"$new_ip_address/$new_subnet_mask\" broadcast \"$new_broadcast_address\" dev \"$interface\" valid_lft \"$lft\" preferred_lft \"$lft\" || exit 1\n" +
        "    else\n" +
        "        ip -4 address replace \"$new_ip_address/$new_subnet_mask\" dev \"$interface\" valid_lft \"$lft\" preferred_lft \"$lft\" || exit 1\n" +
        "    fi\n" +
        "    if [ -n \"$new_routers\" ] && [ -z \"$(ip -4 route show default)\" ]; then\n" +
        "        set -- $new_routers\n" +
        "        ip -4 route add default via \"$1\" dev \"$interface\"\n" +
        "    fi\n" +
        "    ;;\n" +
        "EXPIRE|RELEASE)\n" +
        "    if [ -n \"$old_routers\" ]; then\n" +
        "        set -- $old_routers\n" +
        "        ip -4 route del default via \"$1\" dev \"$interface\" 2>/dev/null\n" +
        "    fi\n" +
        "    if [ -n \"$old_ip_address\" ]; then\n" +
        "        ip -4 address del \"$old_ip_address/$old_subnet_mask\" dev \"$interface\" 2>/dev/null\n" +
        "    fi\n" +
        "    ;;\n" +
        "esac\n" +
        "exit 0\n";
}
