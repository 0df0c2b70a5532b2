using System.Management.Automation;
using NetNs.Core.Errors;
using NetNs.Core.Lab;

namespace NetNs.Commands.Lab;

/// <summary>
/// <para type="synopsis">Exports the live state of a lab as a definition file (.psd1, .json, .yaml) or object.</para>
/// <para type="description">What exists now (see Get-NetLabState) is written, in the order of the lab's record, so export,
/// Remove-NetLab, New-NetLab, export gives the same file. Bridges are written with their actual datapath type.
/// Without -Path the LabDefinition object is returned. An existing file is overwritten, as Export-Csv does, unless
/// -NoClobber. Errors: LabNotFound (ObjectNotFound); FileExists (ResourceExists) with -NoClobber; InvalidLabDefinition
/// (InvalidArgument) for an unknown file extension.</para>
/// </summary>
[Cmdlet(VerbsData.Export, "NetLab", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(LabDefinition), typeof(FileInfo))]
public sealed class ExportNetLabCommand : LabCmdlet
{
    /// <summary>The lab.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(LabNameCompleter))]
    public string Name { get; set; } = string.Empty;

    /// <summary>The file to write; its extension picks the format (.psd1, .json, .yaml, .yml).</summary>
    [Parameter(Position = 1)]
    public string? Path { get; set; }

    /// <summary>Do not overwrite an existing file: write FileExists instead.</summary>
    [Parameter]
    public SwitchParameter NoClobber { get; set; }

    /// <summary>Overwrite an existing file even with -NoClobber.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>With -Path, also return the file.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        Try(() =>
        {
            var r = LabBuilder.Require(Name);
            var live = new LabInspector(Context).ReadLive(r);
            if (Path is null) { WriteObject(live); return; }
            var full = OutputFile(Path, NoClobber, Force);
            if (!ShouldProcess(full, $"Write the live state of lab '{r.Name}'")) return;
            LabDefinitionWriter.ToFile(live, full);
            if (PassThru) WriteObject(new FileInfo(full));
        });
    }
}
