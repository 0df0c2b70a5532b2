using System.Management.Automation;
using System.Net;
using NetNs.Core.Errors;
using NetNs.Core.Lab;

namespace NetNs.Commands.Lab;

/// <summary>
/// <para type="synopsis">Pings every IPv4 address of a lab from every other namespace of it, in parallel (bounded), and reports who reaches whom.</para>
/// <para type="description">Each cell runs iputils 'ping -c COUNT -W TIMEOUT' through 'ip netns exec'. With -ExpectTopology the
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

    /// <summary>How many pings run at once (1-256).</summary>
    [Parameter]
    [ValidateRange(1, 256)]
    public int ThrottleLimit { get; set; } = 32;

    /// <summary>Seconds to wait for a reply.</summary>
    [Parameter]
    [ValidateRange(0.1, 30)]
    public double TimeoutSeconds { get; set; } = 1;

    /// <summary>Echo requests per pair.</summary>
    [Parameter]
    [ValidateRange(1, 10)]
    public int Count { get; set; } = 1;

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
            var results = LabConnectivity.Run(Runner, d, ThrottleLimit, TimeoutSeconds, Count, expect, CancellationToken);
            var differ = results.Count(x => x.Differs);
            if (differ > 0)
                WriteWarning($"Lab '{d.Name}': {differ} of {results.Count} pairs differ from the expectation: " +
                    string.Join("; ", results.Where(x => x.Differs).Take(20).Select(x => $"{x.Source} -> {x.Destination} ({x.Address}) {(x.Reachable ? "reachable" : "unreachable")}")) + (differ > 20 ? "; ..." : ""));
            foreach (var x in results)
                if (!DifferentOnly || x.Differs) WriteObject(x);
        });
    }
}
