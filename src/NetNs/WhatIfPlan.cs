using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace NetNs;

/// <summary>
/// What the -WhatIf runs of one pipeline (or script) would have created: bridges and ports previewed by New-OvsBridge and
/// Connect-OvsPort, so that the next -WhatIf stage (Connect-OvsPort, Set-OvsVlan, Disconnect-OvsPort) can preview its work on
/// them instead of failing because they do not exist. Keyed by runspace and history id (one per pipeline or script run);
/// only the latest history id of a runspace is kept.
/// </summary>
internal static class WhatIfPlan
{
    private static readonly object Gate = new();
    private static readonly Dictionary<Guid, (long HistoryId, Dictionary<string, string> Items)> Plans = new();

    private static Guid RunspaceId => Runspace.DefaultRunspace?.InstanceId ?? Guid.Empty;

    /// <summary>Records that a -WhatIf run would create <paramref name="kind"/> <paramref name="name"/> (with a detail, e.g. its bridge).</summary>
    public static void Add(InvocationInfo invocation, string kind, string name, string detail = "")
    {
        lock (Gate)
        {
            var id = RunspaceId;
            if (!Plans.TryGetValue(id, out var plan) || plan.HistoryId != invocation.HistoryId)
            {
                plan = (invocation.HistoryId, new Dictionary<string, string>(StringComparer.Ordinal));
                Plans[id] = plan;
            }
            plan.Items[kind + "\0" + name] = detail;
        }
    }

    /// <summary>The detail recorded for <paramref name="kind"/> <paramref name="name"/> in this pipeline, or null when it was not previewed.</summary>
    public static string? Find(InvocationInfo invocation, string kind, string name)
    {
        lock (Gate)
        {
            return Plans.TryGetValue(RunspaceId, out var plan) && plan.HistoryId == invocation.HistoryId
                && plan.Items.TryGetValue(kind + "\0" + name, out var detail) ? detail : null;
        }
    }
}
