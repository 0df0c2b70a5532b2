using System.Management.Automation;
using NetNs.Core.Models;
using NetNs.Core.Ovs;

namespace NetNs.Commands.Ovs;

/// <summary>
/// <para type="synopsis">Removes Open vSwitch bridges with all their ports (what ovs-vsctl del-br NAME does, in process over OVSDB JSON-RPC).</para>
/// <para type="description">One transaction per bridge, waited for until ovs-vswitchd has applied it; -Verbose shows the equivalent
/// ovs-vsctl line marked '(in process: OVSDB JSON-RPC)'. The links that were ports stay (only their OVS ports go). Errors: BridgeNotFound (ObjectNotFound)
/// when the bridge does not exist; OvsUnreachable (ConnectionError, terminating).</para>
/// </summary>
[Cmdlet(VerbsCommon.Remove, "OvsBridge", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class RemoveOvsBridgeCommand : OvsCmdlet
{
    /// <summary>Bridge names (no wildcards); bound from piped OvsBridge objects.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(OvsBridgeNameCompleter))]
    public string[] Name { get; set; } = Array.Empty<string>();

    private const string Activity = "Removing Open vSwitch bridges";
    private int _done;

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        foreach (var name in Name)
        {
            ReportProgress(Activity, name, _done++, MyInvocation.ExpectingInput ? null : Name.Length);
            Try(() =>
            {
                Core.Validation.Validate.InterfaceName(name, "Name");
                var state = Ovs.GetState();
                if (state.FindBridge(name) is null) throw Ovs.BridgeNotFound(name, "Name");
                var cmd = OvsCommands.DeleteBridge(Ovs.Connection, name);
                if (!ShouldProcess(name, cmd.ToString())) return;
                Ovs.RemoveBridge(name);
            });
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing() => CompleteProgress(Activity);
}
