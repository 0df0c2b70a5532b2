using System.Management.Automation;
using NetNs.Core.Models;
using NetNs.Core.Ovs;

namespace NetNs.Commands.Ovs;

/// <summary>
/// <para type="synopsis">Creates an Open vSwitch bridge (what ovs-vsctl add-br NAME -- set Bridge NAME datapath_type=TYPE does, in process over OVSDB JSON-RPC).</para>
/// <para type="description">-DatapathType Auto (default) picks the kernel datapath ('system') when the openvswitch module is
/// loaded (/sys/module/openvswitch exists) and the userspace datapath ('netdev') otherwise, and says which in -Verbose.
/// The bridge, its internal port and interface and its datapath type are stored in ONE OVSDB transaction (the one ovs-vsctl
/// sends, shown so in -Verbose with '(in process: OVSDB JSON-RPC)'), and the cmdlet waits until ovs-vswitchd has applied it
/// (cur_cfg; at most the Set-OvsConnection timeout, seconds). A bridge ovs-vswitchd could not set up (no OpenFlow port on its
/// own interface, e.g. another instance owns the host's one userspace datapath) is removed again: BridgeDatapathFailed
/// (ResourceUnavailable). Errors: InvalidInterfaceName (InvalidArgument); BridgeExists, LinkExists (ResourceExists);
/// OvsUnreachable (ConnectionError) and OvsTimeout (OperationTimeout) are terminating.</para>
/// </summary>
[Cmdlet(VerbsCommon.New, "OvsBridge", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(OvsBridge))]
public sealed class NewOvsBridgeCommand : OvsCmdlet
{
    /// <summary>Bridge names (1–15 bytes each: the bridge's internal interface gets the same name).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    public string[] Name { get; set; } = Array.Empty<string>();

    /// <summary>Datapath: Auto (kernel if the module is loaded, else netdev), System (kernel) or Netdev (userspace).</summary>
    [Parameter]
    public OvsDatapathType DatapathType { get; set; } = OvsDatapathType.Auto;

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var datapath = OvsDatapath.Resolve(DatapathType, out var reason);
        foreach (var name in Name)
        {
            Try(() =>
            {
                var state = Ovs.GetState();
                Ovs.ValidateNewBridge(name, state);
                WriteVerbose($"Bridge '{name}': {reason}.");
                var cmd = OvsCommands.AddBridge(Ovs.Connection, name, datapath);
                if (!ShouldProcess(name, cmd.ToString()))
                {
                    if (IsWhatIf) WhatIfPlan.Add(MyInvocation, "bridge", name, datapath);
                    if (IsWhatIf) WriteObject(new OvsBridge(name, datapath, Array.Empty<string>(), null, Ovs.Connection.EffectiveDatabase, exists: false));
                    return;
                }
                WriteObject(Ovs.CreateBridge(name, datapath));
            });
        }
    }
}
