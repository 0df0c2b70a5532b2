using System.Management.Automation;
using NetNs.Core.Lab;

namespace NetNs.Commands.Lab;

/// <summary>
/// <para type="synopsis">Lists the labs built on this machine, from their records in /run/netns-ps/labs.</para>
/// <para type="description">Status is Active (the creating process runs), Building, or Stale (the creating process is gone;
/// Clear-NetLab removes it). Errors: LabNotFound (ObjectNotFound) for a name without wildcards that matches nothing.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "NetLab")]
[OutputType(typeof(NetLab))]
public sealed class GetNetLabCommand : LabCmdlet
{
    /// <summary>Lab names; wildcards allowed. Default: all labs.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(LabNameCompleter))]
    public string[]? Name { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        Try(() =>
        {
            foreach (var r in MatchLabs(Name, errorWhenNoMatch: true)) WriteObject(LabBuilder.Summary(r));
        });
    }
}
