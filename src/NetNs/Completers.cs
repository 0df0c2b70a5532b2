using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace NetNs;

/// <summary>Shared helpers for argument completers: wildcard matching and quoting.</summary>
internal static class Completion
{
    /// <summary>A production context for a completer (no cmdlet, so no -Verbose trace and no cancellation).</summary>
    public static Core.Context.NetNsContext Context() => Core.Context.NetNsContext.Production(Core.Ovs.OvsConnection.Current, CancellationToken.None);

    /// <summary>The links of <paramref name="namespace"/> (an RTM_GETLINK dump there); none when it cannot be read.</summary>
    public static List<Core.Kernel.KernelLink> LinksOf(string @namespace)
    {
        var kernel = Context().Kernel;
        if (@namespace.Length > 0 && !kernel.NamespaceExists(@namespace)) return new List<Core.Kernel.KernelLink>();
        using var h = kernel.At(@namespace);
        return h.Links();
    }

    public static IEnumerable<CompletionResult> Complete(IEnumerable<string> candidates, string wordToComplete, string? toolTipPrefix = null)
    {
        var word = (wordToComplete ?? string.Empty).Trim('\'', '"');
        var pattern = new WildcardPattern(word.Contains('*') || word.Contains('?') ? word : word + "*", WildcardOptions.IgnoreCase);
        foreach (var c in candidates.Distinct(StringComparer.Ordinal).OrderBy(x => x, StringComparer.Ordinal))
        {
            if (!pattern.IsMatch(c)) continue;
            var text = c.Any(ch => char.IsWhiteSpace(ch) || "'\"$`;(){}[]@#&|<>,".Contains(ch)) ? "'" + c.Replace("'", "''") + "'" : c;
            yield return new CompletionResult(text, c, CompletionResultType.ParameterValue, (toolTipPrefix ?? string.Empty) + c);
        }
    }

    public static string BoundString(IDictionary fakeBoundParameters, string name)
    {
        if (fakeBoundParameters is null || !fakeBoundParameters.Contains(name)) return string.Empty;
        var v = fakeBoundParameters[name];
        if (v is PSObject p) v = p.BaseObject;
        return v switch
        {
            string s => s,
            Array a when a.Length > 0 => a.GetValue(0)?.ToString() ?? string.Empty,
            _ => v?.ToString() ?? string.Empty,
        };
    }
}

/// <summary>Completes network namespace names (the files under /run/netns).</summary>
public sealed class NamespaceNameCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        => Completion.Complete(Completion.Context().Kernel.NamespaceNames(), wordToComplete, "netns ");
}

/// <summary>Completes link names inside the namespace already given with -Namespace (root namespace otherwise).</summary>
public sealed class LinkNameCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var ns = Completion.BoundString(fakeBoundParameters, "Namespace");
        try
        {
            return Completion.Complete(Completion.LinksOf(ns).Select(l => l.Name), wordToComplete, "link ").ToList();
        }
        catch (Exception)
        {
            return Array.Empty<CompletionResult>();
        }
    }
}

/// <summary>
/// Completes the links Connect-OvsPort can add: those of the switch namespace (Set-OvsConnection -SwitchNamespace; the root
/// namespace by default) that are not loopback, not Open vSwitch's own devices (bridges' internal ports, ovs-netdev,
/// ovs-system) and not already ports of a bridge (the database read in process, best effort).
/// </summary>
public sealed class OvsPortCandidateCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        try
        {
            var connection = NetNs.Core.Ovs.OvsConnection.Current;
            var ns = connection.SwitchNamespace;
            var taken = new HashSet<string>(StringComparer.Ordinal) { "ovs-netdev", "ovs-system" };
            if (NetNs.Core.Ovs.OvsDbReader.TryReadState(connection.EffectiveDatabase, Math.Min(2, connection.TimeoutSeconds)) is { } state)
            {
                taken.UnionWith(state.PortRows.Select(p => p.Name));
                taken.UnionWith(state.InterfaceRows.Select(i => i.Name));
            }
            var links = Completion.LinksOf(ns).Where(l => l.KindName != "loopback" && l.Name != "lo" && !taken.Contains(l.Name)).Select(l => l.Name);
            return Completion.Complete(links, wordToComplete, "link ").ToList();
        }
        catch (Exception)
        {
            return Array.Empty<CompletionResult>();
        }
    }
}

/// <summary>Completes the interfaces DHCP servers started by NetNs serve (in the namespace given with -Namespace, when there is one).</summary>
public sealed class DhcpServerInterfaceCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        try
        {
            var ns = fakeBoundParameters is not null && fakeBoundParameters.Contains("Namespace") ? Completion.BoundString(fakeBoundParameters, "Namespace") : null;
            var servers = NetNs.Core.Dhcp.DhcpServerManager.GetServers(ns);
            return Completion.Complete(servers.Select(s => s.Interface), wordToComplete, "DHCP server on ").ToList();
        }
        catch (Exception)
        {
            return Array.Empty<CompletionResult>();
        }
    }
}

/// <summary>Completes the interfaces on which NetNs's DHCP client holds a lease (in the namespace given with -Namespace, when there is one).</summary>
public sealed class DhcpClientInterfaceCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        try
        {
            var ns = fakeBoundParameters is not null && fakeBoundParameters.Contains("Namespace") ? Completion.BoundString(fakeBoundParameters, "Namespace") : null;
            var clients = NetNs.Core.Dhcp.DhcpClientManager.GetClients().Where(c => ns is null || c.Namespace == ns);
            return Completion.Complete(clients.Select(c => c.Interface), wordToComplete, "DHCP lease on ").ToList();
        }
        catch (Exception)
        {
            return Array.Empty<CompletionResult>();
        }
    }
}
