using System.Management.Automation;
using NetNs.Core.Lab;

namespace NetNs.Commands.Lab;

/// <summary>
/// <para type="synopsis">Removes a lab: exactly its DHCP servers, bridges and ports, veth links and namespaces, and its record.</para>
/// <para type="description">One Open vSwitch transaction (what 'ovs-vsctl --if-exists del-br BR' sends; in process over OVSDB JSON-RPC on a unix
/// socket, waiting for ovs-vswitchd as ovs-vsctl does) removes the lab's bridges with their ports; once it is committed, while ovs-vswitchd applies
/// it, the lab's namespaces are deleted in process as 'ip netns del' does. Every veth pair has an end in one of them, so the kernel removes all
/// pairs in one batched clean-up. It waits (up to 5 seconds) until the bridge-port ends are really gone, and deletes any still there
/// that carry the mark netns-lab:NAME. Errors: LabNotFound (ObjectNotFound); LabRemoveFailed (the tool's category) when something
/// could not be removed (the record is kept so a retry or Clear-NetLab can finish).</para>
/// </summary>
[Cmdlet(VerbsCommon.Remove, "NetLab", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class RemoveNetLabCommand : LabCmdlet
{
    /// <summary>Lab names; wildcards allowed.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(LabNameCompleter))]
    public string[] Name { get; set; } = Array.Empty<string>();

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        foreach (var r in MatchLabs(Name, errorWhenNoMatch: true))
        {
            Try(() =>
            {
                var d = LabBuilder.DefinitionOf(r);
                var cmds = new List<string>();
                if (LabCommands.OvsTeardown(d.Bridges.Select(b => b.Name), Array.Empty<string>(), r.OvsSocket) is { } ovs) cmds.Add(ovs.ToString());
                if (LabCommands.RootTeardown(Array.Empty<string>(), d.Namespaces.Select(n => n.Name)) is { } root) cmds.Add(root.ToString());
                if (!ShouldProcess($"lab '{r.Name}'", string.Join(Environment.NewLine, cmds))) return;
                new LabBuilder(Context).Remove(r);
            });
        }
    }
}
