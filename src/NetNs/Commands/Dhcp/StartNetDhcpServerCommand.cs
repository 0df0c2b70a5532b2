using System.Collections;
using System.Management.Automation;
using NetNs.Core.Dhcp;
using NetNs.Core.Errors;
using NetNs.Core.Ip;
using NetNs.Core.Models;

namespace NetNs.Commands.Dhcp;

/// <summary>
/// <para type="synopsis">Starts a DHCP server (dnsmasq) on one interface inside a namespace.</para>
/// <para type="description">Runs the real dnsmasq (Debian dnsmasq-base) with ip netns exec, in the background, DHCP only
/// (--port=0: no DNS), bound to the interface, with --conf-file=/dev/null so the host's dnsmasq configuration is neither
/// read nor changed. Its pid, lease and log files live in /run/netns-ps/dhcp/NS-IF/ (mode 0700, files 0600). -LeaseTime is
/// a TimeSpan (at least 2 minutes; default 1 hour). DHCPv4 per RFC 2131; options 3 (router) and 6 (DNS servers) per RFC 2132.</para>
/// <para type="description">Refused before anything starts: InvalidInterfaceName, InvalidNamespaceName, InvalidAddress,
/// InvalidMacAddress, InvalidLeaseTime, InvalidDhcpRange (reversed range), DhcpRangeOutsideSubnet, InvalidStaticLease,
/// NoIPv4Address (InvalidArgument); NamespaceNotFound, LinkNotFound (ObjectNotFound); DhcpServerExists (ResourceExists).
/// DhcpServerStartFailed (InvalidOperation) carries dnsmasq's own message; nothing is left running then.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "NetDhcpServer", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = RangeSet)]
[OutputType(typeof(DhcpServer))]
public sealed class StartNetDhcpServerCommand : NetNsCmdlet
{
    private const string RangeSet = "Range";
    private const string StartEndSet = "StartEnd";

    /// <summary>The namespace the server runs in; omit for the root namespace.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString, AllowNull]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public string? Namespace { get; set; }

    /// <summary>The interface to serve; it needs an IPv4 address in the subnet of the range.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ArgumentCompleter(typeof(LinkNameCompleter))]
    public string Interface { get; set; } = string.Empty;

    /// <summary>The dynamic range as two IPv4 addresses: start, end (e.g. 10.0.0.100,10.0.0.200); one 'start-end' string is accepted too.</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = RangeSet)]
    [ValidateCount(1, 2)]
    public string[] Range { get; set; } = Array.Empty<string>();

    /// <summary>First address of the dynamic range.</summary>
    [Parameter(Mandatory = true, ParameterSetName = StartEndSet)]
    public string RangeStart { get; set; } = string.Empty;

    /// <summary>Last address of the dynamic range.</summary>
    [Parameter(Mandatory = true, ParameterSetName = StartEndSet)]
    public string RangeEnd { get; set; } = string.Empty;

    /// <summary>Lease time of dynamic leases (a TimeSpan, e.g. '00:10:00' or (New-TimeSpan -Hours 2)); default 1 hour.</summary>
    [Parameter]
    public TimeSpan LeaseTime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Router (default gateway) sent to clients (DHCP option 3).</summary>
    [Parameter]
    [Alias("Gateway")]
    public string? Router { get; set; }

    /// <summary>DNS servers sent to clients (DHCP option 6). The server itself serves no DNS.</summary>
    [Parameter]
    public string[] DnsServer { get; set; } = Array.Empty<string>();

    /// <summary>Static leases: a hashtable MAC address -> IPv4 address, e.g. @{ '02:00:00:00:00:10' = '10.0.0.10' }.</summary>
    [Parameter]
    public Hashtable? StaticLease { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var ns = NormalizeNamespace(Namespace);
        Try(() =>
        {
            var (start, end) = ParameterSetName == RangeSet ? SplitRange(Range) : (RangeStart, RangeEnd);
            var statics = new List<KeyValuePair<string, string>>();
            if (StaticLease is not null)
            {
                foreach (DictionaryEntry e in StaticLease)
                {
                    var key = LanguagePrimitives.ConvertTo<string>(e.Key);
                    var value = e.Value is null ? null : LanguagePrimitives.ConvertTo<string>(e.Value);
                    if (value is null)
                        throw new NetNsException("InvalidStaticLease", NetNsErrorCategory.InvalidArgument, $"-StaticLease entry '{key}' has no IPv4 address.", key);
                    statics.Add(new KeyValuePair<string, string>(key, value));
                }
            }
            var manager = new DhcpServerManager(Context);
            var checkKernel = !IsWhatIf || ns.Length == 0 || Namespaces.Exists(ns);
            var settings = manager.Prepare(ns, Interface, start, end, LeaseTime, Router, DnsServer, statics, checkKernel);
            if (!ShouldProcess(new LinkId(ns, Interface).Target, DnsmasqCommands.Start(settings).ToString()))
            {
                if (IsWhatIf) WriteObject(DhcpServerManager.Describe(settings));
                return;
            }
            WriteObject(manager.Start(settings));
        });
    }

    private static (string Start, string End) SplitRange(string[] range)
    {
        if (range.Length == 2) return (range[0], range[1]);
        var dash = range[0].IndexOf('-', 1);
        if (dash > 0 && dash < range[0].Length - 1) return (range[0][..dash].Trim(), range[0][(dash + 1)..].Trim());
        throw new Core.Errors.NetNsException("InvalidDhcpRange", Core.Errors.NetNsErrorCategory.InvalidArgument,
            $"-Range takes the first and the last address of the range: -Range 10.0.0.100, 10.0.0.150 (or '10.0.0.100-10.0.0.150'), not '{Core.Validation.Validate.Printable(range[0])}'.", range[0]);
    }
}
