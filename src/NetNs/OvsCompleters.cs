using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace NetNs;

/// <summary>Completes Open vSwitch bridge names of the current connection (Set-OvsConnection; read in process, at most 2 seconds).</summary>
public sealed class OvsBridgeNameCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        try
        {
            var state = OvsSetting.Client().TryGetState();
            return Completion.Complete(state?.BridgeRows.Select(b => b.Name) ?? Array.Empty<string>(), wordToComplete, "bridge ").ToList();
        }
        catch (Exception)
        {
            return Array.Empty<CompletionResult>();
        }
    }
}

/// <summary>Completes Open vSwitch port names, of the bridge given with -Bridge when there is one.</summary>
public sealed class OvsPortNameCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var bridge = Completion.BoundString(fakeBoundParameters, "Bridge");
        try
        {
            var ports = (OvsSetting.Client().TryGetState()?.Ports() ?? new List<Core.Models.OvsPort>()).Where(p => bridge.Length == 0 || p.Bridge == bridge);
            return Completion.Complete(ports.Select(p => p.Name), wordToComplete, "port ").ToList();
        }
        catch (Exception)
        {
            return Array.Empty<CompletionResult>();
        }
    }
}
