using System.Text.Json;

namespace NetNs.Core.Ovs;

/// <summary>
/// The configuration counter pair a database's daemon acknowledges changes with: a change bumps <see cref="NextColumn"/>
/// of the one row of <see cref="Table"/>, and the daemon sets <see cref="CurrentColumn"/> to it once applied. Open vSwitch:
/// <c>Open_vSwitch.next_cfg</c>/<c>cur_cfg</c> (ovs-vswitchd); OVN Northbound: <c>NB_Global.nb_cfg</c>/<c>sb_cfg</c> or <c>hv_cfg</c>.
/// </summary>
internal sealed record OvsDbConfigWait(string Table, string NextColumn, string CurrentColumn)
{
    /// <summary>ovs-vswitchd's acknowledgement: what <c>ovs-vsctl</c> waits for unless <c>--no-wait</c>.</summary>
    public static OvsDbConfigWait Vswitchd { get; } = new("Open_vSwitch", "next_cfg", "cur_cfg");
}

/// <summary>The first error of an aborted transaction: the index of the operation that failed, the error and its details.</summary>
internal sealed record OvsDbRefusal(int Index, string Error, string? Details)
{
    /// <summary>"error: details", or the error alone.</summary>
    public string Text => Details is null ? Error : Error + ": " + Details;
}

/// <summary>
/// Reads and ONE-transaction changes over an <see cref="IOvsDbSession"/>, for any schema (RFC 7047): a read is one
/// <c>transact</c> of selects; a change is one atomic <c>transact</c> of its operations plus, when the database has a
/// daemon that applies it (<see cref="OvsDbConfigWait"/>), the counter bump and a wait until the daemon has caught up.
/// </summary>
internal static class OvsDbTransaction
{
    /// <summary>The rows of each select of one read-only <c>transact</c>, column → value.</summary>
    /// <exception cref="FormatException">A select failed or the server answered with an error.</exception>
    public static List<List<Dictionary<string, JsonElement>>> Read(IOvsDbSession session, string database, IReadOnlyList<object> selects) =>
        session.Transact(database, selects).EnumerateArray().Select(OvsJson.SelectRows).ToList();

    /// <summary>
    /// The operations that end a change the daemon must apply: <c>next += 1</c>, a <c>select</c> of it (what to wait for) and a
    /// <c>comment</c> for the database log.
    /// </summary>
    public static List<object> ConfigBump(OvsDbConfigWait wait, string comment) => new()
    {
        OvsDbOps.Mutate(wait.Table, OvsDbOps.All, wait.NextColumn, "+=", 1),
        OvsDbOps.Select(wait.Table, OvsDbOps.All, new[] { wait.NextColumn }),
        OvsDbOps.Comment(comment),
    };

    /// <summary>The first error of a transact result (an element with <c>error</c>), or null when the transaction committed.</summary>
    public static OvsDbRefusal? FirstError(JsonElement results)
    {
        var i = 0;
        foreach (var r in results.EnumerateArray())
        {
            if (r.ValueKind == JsonValueKind.Object && r.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String)
                return new OvsDbRefusal(i, e.GetString()!, r.TryGetProperty("details", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null);
            i++;
        }
        return null;
    }

    /// <summary>
    /// Commits <paramref name="operations"/> in ONE transaction on <paramref name="database"/> and, with <paramref name="wait"/>,
    /// waits until the daemon has applied it. Returns the results of <paramref name="operations"/> (the bump's left out).
    /// An empty list commits nothing.
    /// </summary>
    /// <param name="session">The open session.</param>
    /// <param name="database">The database name (e.g. <c>Open_vSwitch</c>).</param>
    /// <param name="operations">The change.</param>
    /// <param name="comment">Written to the database log with the transaction.</param>
    /// <param name="wait">The daemon's counters, or null for a database nobody applies (nothing to wait for).</param>
    /// <param name="refused">Maps the first error of an aborted transaction to the exception to throw: nothing was stored then.</param>
    /// <param name="committed">Called once the transaction is committed, before the wait.</param>
    /// <exception cref="TimeoutException">The server or the daemon did not answer in time (the change may be stored).</exception>
    /// <exception cref="OperationCanceledException">Cancelled while waiting (the change may be stored).</exception>
    public static JsonElement Commit(IOvsDbSession session, string database, IReadOnlyList<object> operations, string comment,
        OvsDbConfigWait? wait, Func<OvsDbRefusal, Exception> refused, Action? committed = null)
    {
        if (operations.Count == 0) return JsonDocument.Parse("[]").RootElement.Clone();
        long current = -1;
        void Track(JsonElement tableUpdates)
        {
            if (!tableUpdates.TryGetProperty(wait!.Table, out var rows)) return;
            foreach (var row in rows.EnumerateObject())
                if (row.Value.TryGetProperty("new", out var n) && n.TryGetProperty(wait.CurrentColumn, out var c) && c.ValueKind == JsonValueKind.Number)
                    current = Math.Max(current, c.GetInt64());
        }
        if (wait is not null)
        {
            // Watch the daemon's counter first (its initial value comes with the reply), so that no change of it is missed.
            session.Update = p => { if (p.ValueKind == JsonValueKind.Array && p.GetArrayLength() == 2) Track(p[1]); };
            var initial = session.Monitor(database, wait.CurrentColumn,
                new Dictionary<string, object> { [wait.Table] = new Dictionary<string, object> { ["columns"] = new[] { wait.CurrentColumn } } });
            if (initial.ValueKind == JsonValueKind.Object) Track(initial);
        }
        var all = wait is null ? operations.Append(OvsDbOps.Comment(comment)).ToList() : operations.Concat(ConfigBump(wait, comment)).ToList();
        var results = session.Transact(database, all);
        if (FirstError(results) is { } failure) throw refused(failure);
        committed?.Invoke();
        if (wait is not null)
        {
            long? next = null;
            foreach (var row in results[operations.Count + 1].GetProperty("rows").EnumerateArray())
                if (row.TryGetProperty(wait.NextColumn, out var v) && v.ValueKind == JsonValueKind.Number) next = v.GetInt64();
            // No row means no daemon configuration to wait for (ovs-vsctl says "database not initialized").
            if (next is { } target) session.WaitUntil(() => current >= target);
        }
        var own = JsonSerializer.SerializeToElement(results.EnumerateArray().Take(operations.Count).ToArray());
        return own;
    }
}
