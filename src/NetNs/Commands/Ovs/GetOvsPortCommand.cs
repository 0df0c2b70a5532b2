using System.Management.Automation;
using NetNs.Core.Models;

namespace NetNs.Commands.Ovs;

/// <summary>
/// <para type="synopsis">Lists Open vSwitch ports: bridge, port and interface name, ofport, VLAN mode, tag, trunks, the interface error.</para>
/// <para type="description">One read of all bridges, ports and interfaces, in process over OVSDB JSON-RPC (what 'ovs-vsctl --format=json list'
/// shows), plus, in process too, the ports' links in the namespace ovs-vswitchd runs in (rtnetlink) for veth peers and the tx checksum
/// offload state (ETHTOOL_GTXCSUM): no process starts. Bridges' own internal ports are left out. A port whose device
/// vanished shows OVS's error (e.g. 'could not open network device X (No such device)') and OfPort -1. Errors: BridgeNotFound,
/// PortNotFound (ObjectNotFound) for names without wildcards that match nothing; OvsUnreachable (ConnectionError, terminating).</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "OvsPort", DefaultParameterSetName = ByName)]
[OutputType(typeof(OvsPort))]
public sealed class GetOvsPortCommand : OvsCmdlet
{
    /// <summary>Parameter set of names.</summary>
    public const string ByName = "ByName";

    /// <summary>Parameter set of piped bridges.</summary>
    public const string ByInputObject = "ByInputObject";

    /// <summary>Port names; wildcards allowed.</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(OvsPortNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Only ports of these bridges; wildcards allowed.</summary>
    [Parameter(ParameterSetName = ByName, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(OvsBridgeNameCompleter))]
    public string[]? Bridge { get; set; }

    /// <summary>Bridges (from Get-OvsBridge) whose ports to list.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ByInputObject)]
    public OvsBridge[] InputObject { get; set; } = Array.Empty<OvsBridge>();

    /// <inheritdoc />
    protected override bool RequiresPrivileges => false;

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        Try(() =>
        {
            foreach (var n in Name ?? Array.Empty<string>()) Core.Validation.Validate.InterfacePattern(n, "Name");
            if (ParameterSetName == ByName) foreach (var b in Bridge ?? Array.Empty<string>()) Core.Validation.Validate.InterfacePattern(b, "Bridge");
            var state = Ovs.GetState();
            var ports = state.Ports();
            var bridgeNames = ParameterSetName == ByInputObject ? InputObject.Select(b => b.Name).ToArray() : Bridge;
            if (bridgeNames is not null)
            {
                var selected = new List<Core.Models.OvsPort>();
                foreach (var b in bridgeNames)
                {
                    var p = new WildcardPattern(b);
                    if (!WildcardPattern.ContainsWildcardCharacters(b) && state.FindBridge(b) is null)
                    {
                        WriteNetNsError(Ovs.BridgeNotFound(b));
                        continue;
                    }
                    selected.AddRange(ports.Where(x => p.IsMatch(x.Bridge)));
                }
                ports = selected.Distinct().ToList();
            }
            if (Name is not null)
            {
                var selected = new List<Core.Models.OvsPort>();
                foreach (var n in Name)
                {
                    var p = new WildcardPattern(n);
                    var m = ports.Where(x => p.IsMatch(x.Name)).ToList();
                    if (m.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(n))
                    {
                        var e = Ovs.PortNotFound(n, bridgeNames is { Length: 1 } ? bridgeNames[0] : null);
                        // The first position is the port: 'Get-OvsPort br0' meant the ports of bridge br0.
                        if (bridgeNames is null && state.FindBridge(n) is not null)
                            e = new Core.Errors.NetNsException(e.ErrorId, e.Category,
                                $"'{n}' is a bridge, not a port; list its ports with Get-OvsPort -Bridge {n}.", n);
                        WriteNetNsError(e);
                    }
                    selected.AddRange(m);
                }
                ports = selected.Distinct().ToList();
            }
            if (ports.Count == 0) return;
            WriteObject(Complete(ports, SwitchLinks(ports.Select(p => p.Interface).ToList())), enumerateCollection: true);
        });
    }
}
