using System.Management.Automation;
using System.Net;
using NetNs.Core.Errors;
using NetNs.Core.Lab;

namespace NetNs.Commands.Lab;

/// <summary>
/// <para type="synopsis">Pings every IPv4 address of a lab from every other namespace of it, paced and retried, and reports who reaches whom.</para>
/// <para type="description">Each cell is an ICMP echo (RFC 792, what iputils ping sends), sent in process from a raw socket inside
/// the source namespace, no process per cell. At most -ThrottleLimit requests await a reply at once, so the pace follows what
/// the switch forwards (a userspace datapath drops packets of new flows under bursts), and a request lost (ARP still
/// resolving, a flow still being set up) is sent again, up to -Count times, each waiting -TimeoutSeconds, before the pair
/// counts as unreachable. Labs of more than 100 namespaces are sampled (-Sample 8: each namespace probes the next 8 in the
/// lab's order, a ring) unless -Sample 0 asks for the full matrix. With -ExpectTopology the
/// expected outcome is derived from the definition (segments: veth peers, bridge ports on the same VLAN; then subnets, routes,
/// forwarding and the return path); with -Expected
/// it comes from objects with Source, Destination or Address, and Reachable (or Expected) properties, e.g. a previous run.
/// Cells whose outcome differs from the expectation have Differs = $true; a warning counts them, and -DifferentOnly
/// returns only those. Timeouts are in seconds. Errors: LabNotFound (ObjectNotFound).</para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "NetLabConnectivity")]
[OutputType(typeof(NetLabPing))]
public sealed class TestNetLabConnectivityCommand : LabCmdlet
{
    /// <summary>The lab.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(LabNameCompleter))]
    public string Name { get; set; } = string.Empty;

    /// <summary>Expected outcomes: objects with Source, Destination (a namespace) or Address, and Reachable or Expected.</summary>
    [Parameter]
    public PSObject[]? Expected { get; set; }

    /// <summary>Derive the expected outcome of every pair from the lab's topology (VLAN isolation included).</summary>
    [Parameter]
    public SwitchParameter ExpectTopology { get; set; }

    /// <summary>How many echo requests await a reply at once (1-256).</summary>
    [Parameter]
    [ValidateRange(1, 256)]
    public int ThrottleLimit { get; set; } = 32;

    /// <summary>Seconds one echo request waits for its reply.</summary>
    [Parameter]
    [ValidateRange(0.1, 30)]
    public double TimeoutSeconds { get; set; } = 1;

    /// <summary>Echo requests a pair gets at most (each after the previous one went unanswered); one reply makes it reachable.</summary>
    [Parameter]
    [ValidateRange(1, 10)]
    public int Count { get; set; } = 3;

    /// <summary>Each namespace probes only the addresses of the next K namespaces of the lab (a ring); 0 = the full matrix. Default: full up to 100 namespaces, else 8.</summary>
    [Parameter]
    [ValidateRange(0, 100000)]
    public int? Sample { get; set; }

    /// <summary>Above this many namespaces a lab is sampled unless -Sample says otherwise.</summary>
    private const int FullMatrixLimit = 100;

    /// <summary>Return only the cells that differ from the expectation.</summary>
    [Parameter]
    public SwitchParameter DifferentOnly { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        Try(() =>
        {
            var r = LabBuilder.Require(Name);
            var d = LabBuilder.DefinitionOf(r);
            Func<string, string, IPAddress, bool?>? expect = null;
            if (ExpectTopology)
            {
                var topology = LabConnectivity.Expectation(d);
                expect = (s, _, a) => topology(s, a);
            }
            if (Expected is { Length: > 0 })
            {
                var table = new Dictionary<(string, string), bool>();
                foreach (var e in Expected)
                {
                    var src = e.Properties["Source"]?.Value?.ToString();
                    var dst = e.Properties["Address"]?.Value?.ToString() ?? e.Properties["Destination"]?.Value?.ToString();
                    var val = e.Properties["Reachable"]?.Value ?? e.Properties["Expected"]?.Value;
                    if (src is null || dst is null || val is null)
                        throw new NetNsException("InvalidExpectation", NetNsErrorCategory.InvalidArgument, "Each -Expected item needs Source, Destination or Address, and Reachable or Expected.", e);
                    table[(src, dst)] = LanguagePrimitives.IsTrue(val is PSObject p ? p.BaseObject : val);
                }
                var topo = expect;
                expect = (s, dn, a) => table.TryGetValue((s, a.ToString()), out var v) ? v : table.TryGetValue((s, dn), out var w) ? w : topo?.Invoke(s, dn, a);
            }
            var sample = Sample ?? (d.Namespaces.Count > FullMatrixLimit ? 8 : 0);
            if (Sample is null && sample > 0)
                WriteWarning($"Lab '{d.Name}' has {d.Namespaces.Count} namespaces: each probes the next {sample} (-Sample {sample}); -Sample 0 runs the full matrix.");
            var pairs = LabConnectivity.Pairs(d, sample > 0 ? sample : null);
            WriteVerbose($"ICMP echo: {pairs.Count} pairs from {pairs.Select(p => p.Source).Distinct().Count()} namespaces, at most {ThrottleLimit} outstanding, {Count} attempts of {TimeoutSeconds} s   (in process: raw ICMP sockets, as ping)");
            const string activity = "Test-NetLabConnectivity";
            var results = LabConnectivity.Run(Context.Kernel, d, pairs, new Core.Lab.ProbeOptions(ThrottleLimit, TimeoutSeconds, Count), expect,
                done => ReportProgress(activity, $"lab '{d.Name}': pairs settled", done, pairs.Count), CancellationToken);
            CompleteProgress(activity);
            var differ = results.Count(x => x.Differs);
            if (differ > 0)
                WriteWarning($"Lab '{d.Name}': {differ} of {results.Count} pairs differ from the expectation: " +
                    string.Join("; ", results.Where(x => x.Differs).Take(20).Select(x => $"{x.Source} -> {x.Destination} ({x.Address}) {(x.Reachable ? "reachable" : "unreachable")}")) + (differ > 20 ? "; ..." : ""));
            foreach (var x in results)
                if (!DifferentOnly || x.Differs) WriteObject(x);
        });
    }
}
