using System.Management.Automation;
using NetNs.Core.Lab;

namespace NetNs.Commands.Lab;

/// <summary>
/// <para type="synopsis">Compares a lab definition with the live lab: what is missing, extra or different.</para>
/// <para type="description">Without -Definition the lab's own definition (from its record) is compared. Each difference is
/// one object: Status Missing (defined, not live), Extra (live and marked, not defined) or Different (Property, Expected,
/// Actual: peer, bridge, VLAN tag, trunk, MTU in bytes, addresses, datapath type). No output means no difference.
/// Errors: LabNotFound (ObjectNotFound); InvalidLabDefinition (InvalidArgument).</para>
/// </summary>
[Cmdlet(VerbsData.Compare, "NetLab")]
[OutputType(typeof(NetLabDifference))]
public sealed class CompareNetLabCommand : LabCmdlet
{
    /// <summary>The live lab.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(LabNameCompleter))]
    public string Name { get; set; } = string.Empty;

    /// <summary>The definition to compare with (path, hashtable or LabDefinition); default: the lab's own.</summary>
    [Parameter(Position = 1)]
    public object? Definition { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        Try(() =>
        {
            var r = LabBuilder.Require(Name);
            var defined = Definition is null ? LabBuilder.DefinitionOf(r) : ReadDefinition(Definition, r.Name);
            var live = new LabInspector(Context).ReadLive(r);
            foreach (var d in LabComparer.Compare(defined, live)) WriteObject(d);
        });
    }
}
