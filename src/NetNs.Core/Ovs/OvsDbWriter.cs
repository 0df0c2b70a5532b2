using System.Globalization;
using System.Text.Json;
using NetNs.Core.Errors;

namespace NetNs.Core.Ovs;

/// <summary>
/// Changes Open vSwitch the way <c>ovs-vsctl</c> does, over OVSDB JSON-RPC (RFC 7047) instead of a process: ONE atomic
/// <c>transact</c> of the change's operations plus <c>Open_vSwitch.next_cfg += 1</c>; then, like ovs-vsctl without
/// <c>--no-wait</c>, a wait (a <c>monitor</c> of <c>cur_cfg</c>) until ovs-vswitchd has applied that configuration, and a read of
/// the resulting state in the same connection. Operations: add-port (Interface and Port rows inserted, the bridge's
/// <c>ports</c> mutated; the schema's name indexes refuse duplicates), del-port, del-br (references removed; OVSDB
/// garbage-collects the rows) and the VLAN columns of ports. A refused transaction stores nothing.
/// </summary>
public static class OvsDbWriter
{
    /// <summary>The outcome of <see cref="TryCommit"/>: the results of the change's operations, and the state after ovs-vswitchd applied it (read only when asked for).</summary>
    public sealed record CommitResult(JsonElement Results, OvsState? State);

    private static object Where(string column, object value) => new object[] { new object[] { column, "==", value } };

    private static object Uuid(string uuid) => new object[] { "uuid", uuid };

    /// <summary>An OVSDB set value of the given atoms (<c>["set",[…]]</c>).</summary>
    private static object Set(IEnumerable<object> atoms) => new object[] { "set", atoms.ToArray() };

    /// <summary>A <c>wait</c> (timeout 0) that aborts the transaction unless a row of <paramref name="table"/> is named <paramref name="name"/>.</summary>
    public static object WaitForName(string table, string name) => new Dictionary<string, object>
    {
        ["op"] = "wait", ["timeout"] = 0, ["table"] = table, ["where"] = Where("name", name),
        ["columns"] = new[] { "name" }, ["until"] = "==",
        ["rows"] = new object[] { new Dictionary<string, object> { ["name"] = name } },
    };

    /// <summary>
    /// The operations that end every change, as ovs-vsctl's do: <c>next_cfg += 1</c> (ovs-vswitchd reconfigures), a <c>select</c>
    /// of <c>next_cfg</c> (what to wait for) and a <c>comment</c> for the database log.
    /// </summary>
    public static List<object> ConfigBump(string comment) => new()
    {
        new Dictionary<string, object>
        {
            ["op"] = "mutate", ["table"] = "Open_vSwitch", ["where"] = Array.Empty<object>(),
            ["mutations"] = new object[] { new object[] { "next_cfg", "+=", 1 } },
        },
        new Dictionary<string, object> { ["op"] = "select", ["table"] = "Open_vSwitch", ["where"] = Array.Empty<object>(), ["columns"] = new[] { "next_cfg" } },
        new Dictionary<string, object> { ["op"] = "comment", ["comment"] = comment },
    };

    /// <summary>
    /// The operations of <c>add-port</c> (RFC 7047 section 5.2): <c>wait</c> for the bridge (timeout 0: fails at once when it
    /// does not exist), an <c>insert</c> of Interface and Port per port (with the VLAN columns), and a <c>mutate</c> inserting
    /// the ports into the bridge's <c>ports</c>.
    /// </summary>
    public static List<object> AddPortOperations(string bridge, IReadOnlyList<string> ports, OvsVlan? vlan)
    {
        var ops = new List<object> { WaitForName("Bridge", bridge) };
        var portRefs = new List<object>();
        for (var i = 0; i < ports.Count; i++)
        {
            var iface = "iface" + i.ToString(CultureInfo.InvariantCulture);
            var port = "port" + i.ToString(CultureInfo.InvariantCulture);
            ops.Add(new Dictionary<string, object>
            {
                ["op"] = "insert", ["table"] = "Interface", ["uuid-name"] = iface,
                ["row"] = new Dictionary<string, object> { ["name"] = ports[i] },
            });
            var row = new Dictionary<string, object> { ["name"] = ports[i], ["interfaces"] = new object[] { "named-uuid", iface } };
            if (vlan?.Tag is { } tag) row["tag"] = tag;
            if (vlan is { Trunks.Count: > 0 }) row["trunks"] = new object[] { "set", vlan.Trunks.OrderBy(t => t).Cast<object>().ToArray() };
            if (vlan?.Mode is { } mode) row["vlan_mode"] = mode;
            ops.Add(new Dictionary<string, object> { ["op"] = "insert", ["table"] = "Port", ["uuid-name"] = port, ["row"] = row });
            portRefs.Add(new object[] { "named-uuid", port });
        }
        ops.Add(new Dictionary<string, object>
        {
            ["op"] = "mutate", ["table"] = "Bridge", ["where"] = Where("name", bridge),
            ["mutations"] = new object[] { new object[] { "ports", "insert", Set(portRefs) } },
        });
        return ops;
    }

    /// <summary>
    /// The operations of <c>del-port</c>: for each bridge a <c>mutate</c> deleting the ports' references from its <c>ports</c>
    /// (the Port and Interface rows are then garbage-collected), preceded by a <c>wait</c> for each port, so that a port
    /// removed meanwhile aborts the transaction (with <paramref name="mustExist"/>; without, like <c>--if-exists</c>, a port
    /// already gone is skipped). <paramref name="ports"/> pairs bridge names with port row uuids.
    /// </summary>
    public static List<object> DeletePortOperations(IReadOnlyList<(string Bridge, string Port, string PortUuid)> ports, bool mustExist)
    {
        var ops = mustExist ? ports.Select(p => WaitForName("Port", p.Port)).ToList() : new List<object>();
        foreach (var g in ports.GroupBy(p => p.Bridge, StringComparer.Ordinal))
            ops.Add(new Dictionary<string, object>
            {
                ["op"] = "mutate", ["table"] = "Bridge", ["where"] = Where("name", g.Key),
                ["mutations"] = new object[] { new object[] { "ports", "delete", Set(g.Select(p => Uuid(p.PortUuid))) } },
            });
        return ops;
    }

    /// <summary>The operations of <c>del-br</c>: one <c>mutate</c> deleting the bridges' references from <c>Open_vSwitch.bridges</c> (their ports go with them).</summary>
    public static List<object> DeleteBridgeOperations(IReadOnlyList<string> bridgeUuids) => new()
    {
        new Dictionary<string, object>
        {
            ["op"] = "mutate", ["table"] = "Open_vSwitch", ["where"] = Array.Empty<object>(),
            ["mutations"] = new object[] { new object[] { "bridges", "delete", Set(bridgeUuids.Select(Uuid)) } },
        },
    };

    /// <summary>
    /// The operations giving ports a VLAN setting: per port a <c>wait</c> (the port exists) and an <c>update</c> of all three
    /// columns, what the setting does not use set empty: the same result as ovs-vsctl's <c>set Port … -- clear Port …</c>.
    /// </summary>
    public static List<object> SetVlanOperations(IReadOnlyList<string> ports, OvsVlan vlan)
    {
        var ops = new List<object>();
        foreach (var p in ports)
        {
            ops.Add(WaitForName("Port", p));
            ops.Add(new Dictionary<string, object>
            {
                ["op"] = "update", ["table"] = "Port", ["where"] = Where("name", p),
                ["row"] = new Dictionary<string, object>
                {
                    ["tag"] = vlan.Tag is { } tag ? tag : Set(Array.Empty<object>()),
                    ["trunks"] = Set(vlan.Trunks.OrderBy(t => t).Cast<object>()),
                    ["vlan_mode"] = vlan.Mode is { } mode ? mode : Set(Array.Empty<object>()),
                },
            });
        }
        return ops;
    }

    /// <summary>
    /// The first error of a transact result (RFC 7047 section 4.1.3: an element with <c>error</c>, or more results than
    /// operations), with the index of the operation that failed; null when the transaction committed.
    /// </summary>
    public static (int Index, string Error, string? Details)? FirstError(JsonElement results)
    {
        var i = 0;
        foreach (var r in results.EnumerateArray())
        {
            if (r.ValueKind == JsonValueKind.Object && r.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String)
                return (i, e.GetString()!, r.TryGetProperty("details", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null);
            i++;
        }
        return null;
    }

    /// <summary>Maps an aborted add-port transaction to the error ovs-vsctl's would give (BridgeNotFound, PortExists, else ConnectPortFailed).</summary>
    public static NetNsException AddPortsError((int Index, string Error, string? Details) failure, string bridge, IReadOnlyList<string> ports, string database)
    {
        var what = ports.Count == 1 ? $"port '{ports[0]}'" : $"{ports.Count} ports";
        var text = failure.Details is null ? failure.Error : failure.Error + ": " + failure.Details;
        if (failure.Index == 0)
            return new NetNsException("BridgeNotFound", NetNsErrorCategory.ObjectNotFound,
                $"Cannot add {what} to bridge '{bridge}': no bridge named '{bridge}' in {database}.", bridge);
        if (failure.Error == "constraint violation" && (failure.Details?.Contains("index", StringComparison.Ordinal) ?? false))
        {
            var name = ports.FirstOrDefault(p => failure.Details.Contains("(\"" + p + "\")", StringComparison.Ordinal)
                || failure.Details.Contains("(" + p + ")", StringComparison.Ordinal)) ?? ports[0];
            return new NetNsException("PortExists", NetNsErrorCategory.ResourceExists,
                $"Cannot add {what} to bridge '{bridge}': a port or interface named '{name}' already exists in {database} ({text}).", name);
        }
        return new NetNsException("ConnectPortFailed", NetNsErrorCategory.InvalidOperation,
            $"Cannot add {what} to bridge '{bridge}': OVSDB refused the transaction ({text}).", bridge);
    }

    /// <summary>
    /// Commits a change in one transaction and waits until ovs-vswitchd has applied it (at most the connection's timeout,
    /// seconds). Null when the database cannot be reached this way before anything was sent (not a unix socket, no socket
    /// file, connection refused): run <c>ovs-vsctl</c> then. <paramref name="operations"/> builds the change over the open
    /// session (it may read the state first, e.g. for row uuids) and may throw to refuse; an empty list commits nothing.
    /// </summary>
    /// <param name="connection">The database (a <c>unix:PATH</c> socket) and the timeout in seconds.</param>
    /// <param name="operations">Builds the change's operations; <see cref="ConfigBump"/> is appended.</param>
    /// <param name="comment">Written to the database log with the transaction.</param>
    /// <param name="refused">Maps the first error of a refused transaction (operation index, error, details) to the exception to throw.</param>
    /// <param name="connected">Called once connected, before anything is sent (e.g. to show the equivalent command).</param>
    /// <param name="cancellationToken">Stops the wait (Ctrl+C).</param>
    /// <param name="committed">Called once the transaction is committed, before the wait for ovs-vswitchd.</param>
    /// <param name="readAfter">Reads the state returned once ovs-vswitchd applied the change; without it no state is read.</param>
    /// <exception cref="NetNsException">What <paramref name="refused"/> or <paramref name="operations"/> throw: nothing was stored.</exception>
    /// <exception cref="TimeoutException">ovsdb-server or ovs-vswitchd did not answer in time (the change may be stored).</exception>
    /// <exception cref="OperationCanceledException">Cancelled while waiting (the change may be stored).</exception>
    public static CommitResult? TryCommit(OvsConnection connection, Func<OvsDbSession, IReadOnlyList<object>> operations, string comment,
        Func<(int Index, string Error, string? Details), NetNsException> refused, Action? connected = null, CancellationToken cancellationToken = default,
        Action? committed = null, Func<OvsDbSession, OvsState>? readAfter = null)
    {
        var database = connection.EffectiveDatabase;
        using var session = OvsDbSession.TryOpen(database, connection.TimeoutSeconds, cancellationToken);
        if (session is null) return null;
        connected?.Invoke();
        var ops = operations(session);
        if (ops.Count == 0) return new CommitResult(JsonDocument.Parse("[]").RootElement.Clone(), readAfter?.Invoke(session));
        long curCfg = -1;
        void Track(JsonElement tableUpdates)
        {
            if (!tableUpdates.TryGetProperty("Open_vSwitch", out var rows)) return;
            foreach (var row in rows.EnumerateObject())
            {
                if (row.Value.TryGetProperty("new", out var n) && n.TryGetProperty("cur_cfg", out var c) && c.ValueKind == JsonValueKind.Number)
                    curCfg = Math.Max(curCfg, c.GetInt64());
            }
        }
        // Watch cur_cfg first (its initial value comes with the reply), so that no change of it is missed.
        session.Update = p => { if (p.ValueKind == JsonValueKind.Array && p.GetArrayLength() == 2) Track(p[1]); };
        var monitor = session.Call("monitor", OvsDbSession.Database, "cur_cfg",
            new Dictionary<string, object> { ["Open_vSwitch"] = new Dictionary<string, object> { ["columns"] = new[] { "cur_cfg" } } });
        if (monitor.TryGetProperty("result", out var initial) && initial.ValueKind == JsonValueKind.Object) Track(initial);
        var results = session.Transact(ops.Concat(ConfigBump(comment)));
        if (FirstError(results) is { } failure) throw refused(failure);
        committed?.Invoke();
        long? nextCfg = null;
        var select = results[ops.Count + 1];
        foreach (var row in select.GetProperty("rows").EnumerateArray())
            if (row.TryGetProperty("next_cfg", out var v) && v.ValueKind == JsonValueKind.Number) nextCfg = v.GetInt64();
        // No Open_vSwitch row means no ovs-vswitchd configuration to wait for (ovs-vsctl says "database not initialized").
        if (nextCfg is { } target) session.WaitUntil(() => curCfg >= target);
        return new CommitResult(results, readAfter?.Invoke(session));
    }
}
