using System.Management.Automation;
using NetNs.Core.Errors;
using NetNs.Core.Lab;

namespace NetNs.Commands.Lab;

/// <summary>
/// <para type="synopsis">Draws a lab as Mermaid or Graphviz DOT text, or as an SVG/PNG picture through Graphviz 'dot'.</para>
/// <para type="description">Namespaces are boxes labelled with their addresses, bridges ellipses with their datapath type, each
/// veth link an edge labelled with both interface names; each VLAN tag has its own colour (untagged grey, trunks dashed).
/// The live lab is drawn (-Name), or a definition (-Definition) before it is built. Mermaid and Dot are returned as text
/// unless -Path is given; Svg and Png need -Path and the Debian package graphviz. An existing file is overwritten, as
/// Export-Csv does, unless -NoClobber. Errors: LabNotFound (ObjectNotFound); MissingPath (InvalidArgument); FileExists
/// (ResourceExists) with -NoClobber; DiagramRenderFailed (InvalidResult); ToolNotFound (NotInstalled, terminating).</para>
/// </summary>
[Cmdlet(VerbsData.Export, "NetLabDiagram", DefaultParameterSetName = ByName, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(string), typeof(FileInfo))]
public sealed class ExportNetLabDiagramCommand : LabCmdlet
{
    private const string ByName = "ByName";
    private const string ByDefinition = "ByDefinition";

    /// <summary>The live lab to draw.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByName, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(LabNameCompleter))]
    public string Name { get; set; } = string.Empty;

    /// <summary>A definition to draw (path, hashtable or LabDefinition).</summary>
    [Parameter(Mandatory = true, ParameterSetName = ByDefinition, ValueFromPipeline = true)]
    public object Definition { get; set; } = null!;

    /// <summary>Mermaid, Dot, Svg or Png.</summary>
    [Parameter(Position = 1)]
    [ValidateSet("Mermaid", "Dot", "Svg", "Png", IgnoreCase = true)]
    public string Format { get; set; } = "Svg";

    /// <summary>The file to write (required for Svg and Png).</summary>
    [Parameter(Position = 2)]
    public string? Path { get; set; }

    /// <summary>Do not overwrite an existing file: write FileExists instead.</summary>
    [Parameter]
    public SwitchParameter NoClobber { get; set; }

    /// <summary>Lists each namespace's routes in its box.</summary>
    [Parameter]
    public SwitchParameter ShowRoutes { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        Try(() =>
        {
            var d = ParameterSetName == ByDefinition ? ReadDefinition(Definition, null) : new LabInspector(Context).ReadLive(LabBuilder.Require(Name));
            var format = Format.ToLowerInvariant();
            if (format is "mermaid" or "dot")
            {
                var text = format == "dot" ? LabDiagram.ToDot(d, ShowRoutes) : LabDiagram.ToMermaid(d, ShowRoutes);
                if (Path is null) { WriteObject(text); return; }
                var target = OutputFile(Path, NoClobber, force: false);
                if (!ShouldProcess(target, $"Write the {Format} diagram of lab '{d.Name}'")) return;
                File.WriteAllText(target, text);
                WriteObject(new FileInfo(target));
                return;
            }
            if (Path is null)
                throw new NetNsException("MissingPath", NetNsErrorCategory.InvalidArgument, $"-Format {Format} writes a file: give -Path.", Format);
            var full = OutputFile(Path, NoClobber, force: false);
            if (!ShouldProcess(full, $"dot -T{format} -o {full}")) return;
            LabDiagram.Render(Runner, d, format, full, CancellationToken, ShowRoutes);
            WriteObject(new FileInfo(full));
        });
    }
}
