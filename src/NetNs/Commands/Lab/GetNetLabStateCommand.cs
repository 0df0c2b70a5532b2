using System.Management.Automation;
using NetNs.Core.Lab;

namespace NetNs.Commands.Lab;

/// <summary>
/// <para type="synopsis">Gets the live objects of a lab: its namespaces, bridges and links, with peers, VLANs, MTUs (bytes) and addresses, and whether each exists.</para>
/// <para type="description">Reads the links and addresses of each lab namespace in process (rtnetlink) and the Bridge and Port tables of the lab's Open vSwitch.
/// Objects of the definition that are gone have Exists = $false; marked objects not in the definition are listed too.
/// Errors: LabNotFound (ObjectNotFound); OvsUnreachable (ConnectionError, terminating).</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "NetLabState")]
[OutputType(typeof(NetLabObject))]
public sealed class GetNetLabStateCommand : LabCmdlet
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
                var live = new LabInspector(Context).ReadLive(r);
                foreach (var o in LabInspector.Objects(LabBuilder.DefinitionOf(r), live)) WriteObject(o);
            });
        }
    }
}
