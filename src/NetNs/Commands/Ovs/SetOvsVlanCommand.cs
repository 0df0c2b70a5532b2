using System.Management.Automation;
using NetNs.Core.Errors;
using NetNs.Core.Models;
using NetNs.Core.Ovs;

namespace NetNs.Commands.Ovs;

/// <summary>
/// <para type="synopsis">Sets the IEEE 802.1Q VLAN role of Open vSwitch ports: access (-Tag), trunk (-Trunk, -NativeVlan) or normal (-Untagged).</para>
/// <para type="description">Access: 'set Port P tag=N vlan_mode=access -- clear Port P trunks'. Trunk: 'set Port P trunks=A,B
/// vlan_mode=trunk -- clear Port P tag'; with -NativeVlan: 'set Port P tag=N trunks=A,B vlan_mode=native-untagged'.
/// -Untagged: 'clear Port P tag trunks vlan_mode'. All piped ports change in ONE transaction, sent in process over OVSDB JSON-RPC (the
/// ovs-vsctl lines above are its equivalent, shown in -Verbose and -WhatIf) and waited for until ovs-vswitchd applied it; the updated OvsPort objects are
/// written. VLAN ids are 1-4094 (0 and 4095 are refused although OVS accepts them). Errors: InvalidVlanTag, InvalidTrunk,
/// DuplicateTrunkVlan, NativeVlanNotInTrunk (InvalidArgument); PortNotFound (ObjectNotFound); OvsUnreachable (ConnectionError,
/// terminating).</para>
/// </summary>
[Cmdlet(VerbsCommon.Set, "OvsVlan", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = Access)]
[OutputType(typeof(OvsPort))]
public sealed class SetOvsVlanCommand : OvsCmdlet
{
    /// <summary>Parameter set of an access port.</summary>
    public const string Access = "Access";

    /// <summary>Parameter set of a trunk port.</summary>
    public const string Trunks = "Trunk";

    /// <summary>Parameter set of a normal port.</summary>
    public const string Normal = "Untagged";

    private readonly List<(string Name, string? Bridge)> _ports = new();

    /// <summary>Port names; bound from piped OvsPort objects.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(OvsPortNameCompleter))]
    public string[] Name { get; set; } = Array.Empty<string>();

    /// <summary>Only ports of this bridge; bound from piped OvsPort objects.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(OvsBridgeNameCompleter))]
    public string? Bridge { get; set; }

    /// <summary>Access VLAN id (1–4094).</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = Access)]
    public int Tag { get; set; }

    /// <summary>Trunk VLAN ids (each 1–4094, no duplicates).</summary>
    [Parameter(Mandatory = true, ParameterSetName = Trunks)]
    public int[] Trunk { get; set; } = Array.Empty<int>();

    /// <summary>The trunk's native VLAN (sent and received untagged); must be in -Trunk.</summary>
    [Parameter(ParameterSetName = Trunks)]
    public int? NativeVlan { get; set; }

    /// <summary>Clear tag, trunks and mode: a normal port carrying every VLAN.</summary>
    [Parameter(Mandatory = true, ParameterSetName = Normal)]
    public SwitchParameter Untagged { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var bridge = string.IsNullOrEmpty(Bridge) ? null : Bridge;
        if (!string.IsNullOrEmpty(Bridge) && !Try(() => Core.Validation.Validate.InterfaceName(Bridge, "Bridge"))) return;
        foreach (var n in Name)
            if (Try(() => Core.Validation.Validate.InterfaceName(n, "Name")) && !_ports.Contains((n, bridge))) _ports.Add((n, bridge));
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        Try(() =>
        {
            var vlan = ParameterSetName switch
            {
                Access => OvsVlan.Create(Tag, null, null, false, _ports.FirstOrDefault().Name),
                Trunks => OvsVlan.Create(null, Trunk, NativeVlan, false, _ports.FirstOrDefault().Name),
                _ => OvsVlan.Untagged,
            } ?? OvsVlan.Untagged;
            if (_ports.Count == 0) return;
            var state = Ovs.GetState();
            var whatIf = IsWhatIf;
            var resolved = OwnersOf(_ports, state, (name, owner) => new NetNsException("BridgePortNotSupported", NetNsErrorCategory.InvalidOperation,
                $"'{name}' is the internal port of bridge '{owner}'; NetNs sets VLANs on the ports you connected.", name));
            var names = resolved.Select(p => p.Port).Distinct(StringComparer.Ordinal).ToList();
            var owners = resolved.GroupBy(p => p.Port, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Bridge, StringComparer.Ordinal);
            if (names.Count == 0) return;
            var cmd = OvsCommands.SetVlan(Ovs.Connection, names, vlan);
            if (!ShouldProcess(string.Join(", ", names) + ": " + vlan, cmd.ToString()))
            {
                if (!whatIf) return;
                // Describe the ports as they would be: the new VLAN role on the current (or previewed) port.
                var current = state.Ports().GroupBy(p => p.Name).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
                var trunks = vlan.Trunks.OrderBy(t => t).ToList();
                foreach (var n in names)
                {
                    current.TryGetValue(n, out var c);
                    WriteObject(new OvsPort(owners[n], n, c?.Interface ?? n, c?.InterfaceType ?? "", c?.OfPort, vlan.Mode, vlan.Tag, trunks, c?.Error,
                        c?.TxChecksumOffload, c?.PeerName, c?.PeerNamespace, exists: c is not null));
                }
                return;
            }
            Ovs.SetVlan(names, vlan);
            var wanted = names.ToHashSet(StringComparer.Ordinal);
            var ports = Ovs.GetState().Ports().Where(p => wanted.Contains(p.Name)).ToDictionary(p => p.Name);
            var changed = names.Where(ports.ContainsKey).Select(n => ports[n]).ToList();
            WriteObject(Complete(changed, SwitchLinks(changed.Select(p => p.Interface).ToList())), enumerateCollection: true);
        });
    }
}
