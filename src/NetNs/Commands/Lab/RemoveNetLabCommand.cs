using System.Management.Automation;
using NetNs.Core.Lab;

namespace NetNs.Commands.Lab;

/// <summary>
/// <para type="synopsis">Removes a lab: exactly its DHCP servers, bridges and ports, veth links and namespaces, and its record.</para>
/// <para type="description">One 'ovs-vsctl' transaction (--if-exists del-br per bridge) runs alongside one 'ip -force -batch -'
/// that deletes the bridge-port veth ends still marked netns-lab:NAME and then the lab's namespaces (which takes the
/// other ends with them). Errors: LabNotFound (ObjectNotFound); LabRemoveFailed (the tool's category) when something
/// could not be removed (the record is kept so a retry or Clear-NetLab can finish).</para>
/// </summary>
[Cmdlet(VerbsCommon.Remove, "NetLab", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class RemoveNetLabCommand : LabCmdlet
{
    /// <summary>Lab names; wildcards allowed.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
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
                var ends = d.Links.Where(l => l.IsBridgeLink).Select(l => l.PeerName).ToList();
                if (r.SwitchNamespace.Length > 0 && LabCommands.SwitchTeardown(r.SwitchNamespace, ends) is { } sw) cmds.Add(sw.ToString());
                if (LabCommands.RootTeardown(r.SwitchNamespace.Length == 0 ? ends : Array.Empty<string>(), d.Namespaces.Select(n => n.Name)) is { } root) cmds.Add(root.ToString());
                if (!ShouldProcess($"lab '{r.Name}'", string.Join(Environment.NewLine, cmds))) return;
                new LabBuilder(Runner, CancellationToken).Remove(r);
            });
        }
    }
}
