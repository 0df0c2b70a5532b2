using System.Management.Automation;
using NetNs.Core.Errors;
using NetNs.Core.Ovs;

namespace NetNs.Commands.Ovs;

/// <summary>
/// <para type="synopsis">Removes ports from Open vSwitch bridges (what ovs-vsctl del-port does, in process), all piped ports in ONE transaction.</para>
/// <para type="description">The transaction goes to ovsdb-server over OVSDB JSON-RPC and is waited for until ovs-vswitchd has applied it;
/// -Verbose shows the equivalent ovs-vsctl line marked '(in process: OVSDB JSON-RPC)'. The links themselves stay. Errors: PortNotFound (ObjectNotFound) when no bridge (or not the bridge
/// given with -Bridge) has the port; BridgePortNotRemovable (InvalidOperation) for a bridge's own internal port (use
/// Remove-OvsBridge); OvsUnreachable (ConnectionError, terminating).</para>
/// </summary>
[Cmdlet(VerbsCommunications.Disconnect, "OvsPort", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(void))]
public sealed class DisconnectOvsPortCommand : OvsCmdlet
{
    private readonly List<(string Name, string? Bridge)> _ports = new();

    /// <summary>Port names; bound from piped OvsPort objects.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(OvsPortNameCompleter))]
    public string[] Name { get; set; } = Array.Empty<string>();

    /// <summary>Only remove the ports from this bridge; default: whichever bridge has them.</summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(OvsBridgeNameCompleter))]
    public string? Bridge { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (!string.IsNullOrEmpty(Bridge) && !Try(() => Core.Validation.Validate.InterfaceName(Bridge, "Bridge"))) return;
        foreach (var n in Name)
            if (Try(() => Core.Validation.Validate.InterfaceName(n, "Name")) && !_ports.Contains((n, Bridge))) _ports.Add((n, string.IsNullOrEmpty(Bridge) ? null : Bridge));
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        if (_ports.Count == 0) return;
        Try(() =>
        {
            var state = Ovs.GetState();
            var remove = OwnersOf(_ports, state, (name, owner) => new NetNsException("BridgePortNotRemovable", NetNsErrorCategory.InvalidOperation,
                $"'{name}' is the internal port of bridge '{owner}'; remove the bridge with Remove-OvsBridge instead.", name));
            if (remove.Count == 0) return;
            var cmd = OvsCommands.DeletePorts(Ovs.Connection, remove);
            if (!ShouldProcess(string.Join(", ", remove.Select(p => p.Bridge + "/" + p.Port)), cmd.ToString())) return;
            Ovs.RemovePorts(remove);
        });
    }
}
