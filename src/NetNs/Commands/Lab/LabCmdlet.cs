using System.Collections;
using System.Management.Automation;
using NetNs.Core.Errors;
using NetNs.Core.Lab;

namespace NetNs.Commands.Lab;

/// <summary>Shared parts of the lab cmdlets: reading a definition from a path, hashtable or object, and lab lookup.</summary>
public abstract class LabCmdlet : NetNsCmdlet
{
    /// <summary>Turns a -Definition argument (a .psd1/.json/.yaml path, a hashtable, a LabDefinition) into a definition.</summary>
    protected LabDefinition ReadDefinition(object definition, string? name)
    {
        var value = definition is PSObject p ? p.BaseObject : definition;
        switch (value)
        {
            case LabDefinition d:
                if (name is not null) d = d.WithName(name);
                return d;
            case string path:
                var full = GetUnresolvedProviderPathFromPSPath(path);
                if (!File.Exists(full))
                    throw new NetNsException("LabDefinitionNotFound", NetNsErrorCategory.ObjectNotFound, $"Lab definition file '{full}' does not exist.", full);
                if (Path.GetExtension(full).Equals(".psd1", StringComparison.OrdinalIgnoreCase))
                {
                    System.Collections.ObjectModel.Collection<PSObject> result;
                    try
                    {
                        result = InvokeCommand.InvokeScript(false, ScriptBlock.Create("param($p) Import-PowerShellDataFile -LiteralPath $p"), null, full);
                    }
                    catch (RuntimeException ex)
                    {
                        // Not plain data (a command, a variable, a script block), or not PowerShell at all: name the file.
                        throw new NetNsException("InvalidLabDefinition", NetNsErrorCategory.InvalidArgument,
                            $"Lab definition file '{full}' is not a PowerShell data file of plain values (hashtables, arrays, strings, numbers, $true/$false): {ex.Message}", full, ex);
                    }
                    if (result.Count != 1) throw new NetNsException("InvalidLabDefinition", NetNsErrorCategory.InvalidArgument, $"'{full}' does not hold one hashtable.", full);
                    return LabDefinitionReader.FromTree(Unwrap(result[0]), name);
                }
                return LabDefinitionReader.FromFile(full, name);
            case IDictionary or PSCustomObject:
                return LabDefinitionReader.FromTree(Unwrap(definition), name);
            default:
                throw new NetNsException("InvalidLabDefinition", NetNsErrorCategory.InvalidArgument,
                    $"-Definition takes a path (.psd1, .json, .yaml), a hashtable or a LabDefinition object, not {value?.GetType().Name ?? "null"}.", definition);
        }
    }

    /// <summary>
    /// The full path of a file a lab cmdlet writes. One rule for every NetNs Export-* cmdlet, PowerShell's own (Export-Csv,
    /// Export-Clixml): an existing file is overwritten, unless -NoClobber, which refuses it with <c>FileExists</c>
    /// (ResourceExists); -Force overwrites even then.
    /// </summary>
    protected string OutputFile(string path, bool noClobber, bool force)
    {
        var full = GetUnresolvedProviderPathFromPSPath(path);
        if (noClobber && !force && File.Exists(full))
            throw new NetNsException("FileExists", NetNsErrorCategory.ResourceExists, $"'{full}' exists and -NoClobber was given; leave out -NoClobber (or add -Force) to overwrite it.", full);
        return full;
    }

    /// <summary>Converts PowerShell values (PSObject, hashtables, arrays, PSCustomObject) into plain dictionaries and lists.</summary>
    protected static object? Unwrap(object? o)
    {
        if (o is PSObject p)
        {
            if (p.BaseObject is PSCustomObject)
            {
                var d = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
                foreach (var prop in p.Properties) d[prop.Name] = Unwrap(prop.Value);
                return d;
            }
            o = p.BaseObject;
        }
        return o switch
        {
            null => null,
            string s => s,
            IDictionary m => m.Cast<DictionaryEntry>().ToDictionary(e => e.Key.ToString() ?? "", e => Unwrap(e.Value), StringComparer.OrdinalIgnoreCase),
            IEnumerable e => e.Cast<object?>().Select(Unwrap).ToList(),
            _ => o,
        };
    }

    /// <summary>Records of labs whose names match any of the patterns (wildcards allowed); null or empty: all.</summary>
    protected List<LabRecord> MatchLabs(string[]? names, bool errorWhenNoMatch) =>
        SelectByName(LabStore.LoadAll(), names, r => r.Name,
            errorWhenNoMatch ? n => new NetNsException("LabNotFound", NetNsErrorCategory.ObjectNotFound, $"Lab '{n}' does not exist. List labs with Get-NetLab.", n) : null,
            n => LabValidator.LabNamePattern(n), distinct: true);
}

/// <summary>Completes lab names (the records under /run/netns-ps/labs).</summary>
public sealed class LabNameCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, System.Management.Automation.Language.CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        IEnumerable<string> names;
        try { names = LabStore.LoadAll().Select(r => r.Name).ToList(); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NetNsException) { names = Array.Empty<string>(); }
        return Completion.Complete(names, wordToComplete, "lab ");
    }
}
