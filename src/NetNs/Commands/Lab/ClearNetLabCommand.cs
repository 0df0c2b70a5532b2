using NetNs.Core.Validation;
using System.Management.Automation;
using NetNs.Core.Lab;

namespace NetNs.Commands.Lab;

/// <summary>
/// <para type="synopsis">Sweeps what crashed lab scripts left behind: stale labs and orphan NetNs-marked objects.</para>
/// <para type="description">A lab is stale when its creating process is gone (pid and start time); it is removed like
/// Remove-NetLab does. Then every namespace whose lo, every veth end whose alias, and every Open vSwitch bridge or port
/// whose external_ids carry the mark netns-lab:NAME of a lab without a live record is removed. Objects without a NetNs
/// mark are never touched. Scans the system OVS (when it answers), the OVS databases of the records and those given by
/// -OvsSocket. Returns one object per removal. Errors (non-terminating): LabRemoveFailed, LabSweepFailed,
/// LabSweepIncomplete, OvsUnreachable.</para>
/// </summary>
[Cmdlet(VerbsCommon.Clear, "NetLab", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(NetLabSweepItem))]
public sealed class ClearNetLabCommand : LabCmdlet
{
    /// <summary>Only labs whose names match (wildcards allowed). Default: all.</summary>
    [Parameter(Position = 0)]
    public string[]? Name { get; set; }

    /// <summary>More ovsdb sockets to scan for orphan bridges and ports.</summary>
    [Parameter]
    public string[] OvsSocket { get; set; } = Array.Empty<string>();

    /// <summary>More namespaces where bridge-port veth ends may live (private OVS switch namespaces).</summary>
    [Parameter]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public string[] SwitchNamespace { get; set; } = Array.Empty<string>();

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        Try(() =>
        {
            foreach (var n in Name ?? Array.Empty<string>()) LabValidator.LabNamePattern(n);
            foreach (var n in SwitchNamespace) Validate.NamespaceName(n, "SwitchNamespace");
            var patterns = (Name ?? Array.Empty<string>()).Select(n => new WildcardPattern(n, WildcardOptions.None)).ToList();
            var sweeper = new LabSweeper(Context)
            {
                Confirm = i => ShouldProcess($"{i.Kind} '{(i.Namespace.Length > 0 && i.Kind == "Link" ? i.Namespace + "/" : "")}{i.Name}' of lab '{i.Lab}' ({i.Reason})", "Remove"),
                Warn = WriteNetNsError,
            };
            var items = sweeper.Sweep(OvsSocket.Select(s => (string?)GetUnresolvedProviderPathFromPSPath(s)), SwitchNamespace,
                patterns.Count == 0 ? null : lab => patterns.Any(p => p.IsMatch(lab)));
            foreach (var i in items) WriteObject(i);
        });
    }
}
