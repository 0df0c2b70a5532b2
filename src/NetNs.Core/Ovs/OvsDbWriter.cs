using System.Globalization;
using System.Text.Json;
using NetNs.Core.Errors;

namespace NetNs.Core.Ovs;

/// <summary>
/// Adds ports the way <c>ovs-vsctl add-port</c> does, over OVSDB JSON-RPC (RFC 7047) instead of a process: one
/// <c>transact</c> that checks the bridge exists, inserts an Interface and a Port row per port (with the VLAN columns),
/// adds the ports to the bridge's <c>ports</c> set and increments <c>Open_vSwitch.next_cfg</c>; then, like ovs-vsctl, waits
/// (a <c>monitor</c> of <c>cur_cfg</c>) until ovs-vswitchd has applied that configuration, and reads the resulting state in
/// the same connection. The transaction is atomic: a duplicate port or interface name (the schema's name indexes) or a
/// missing bridge stores nothing.
/// </summary>
public static class OvsDbWriter
{
    /// <summary>The outcome of <see cref="TryAddPorts"/>: the state after ovs-vswitchd applied the change.</summary>
    public sealed record AddPortsResult(OvsState State, IReadOnlyList<OvsInterfaceRow> Failed);

    /// <summary>
    /// The operations of the add-port transaction (RFC 7047 section 5.2): <c>wait</c> for the bridge (timeout 0: fails at
    /// once when it does not exist), an <c>insert</c> of Interface and Port per port, a <c>mutate</c> inserting the ports into
    /// the bridge, <c>next_cfg += 1</c>, a <c>select</c> of <c>next_cfg</c>, and a <c>comment</c> for the database log.
    /// </summary>
    public static List<object> AddPortOperations(string bridge, IReadOnlyList<string> ports, OvsVlan? vlan, string comment)
    {
        var ops = new List<object>
        {
            new Dictionary<string, object>
            {
                ["op"] = "wait", ["timeout"] = 0, ["table"] = "Bridge",
                ["where"] = new object[] { new object[] { "name", "==", bridge } },
                ["columns"] = new[] { "name" }, ["until"] = "==",
                ["rows"] = new object[] { new Dictionary<string, object> { ["name"] = bridge } },
            },
        };
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
            ["op"] = "mutate", ["table"] = "Bridge",
            ["where"] = new object[] { new object[] { "name", "==", bridge } },
            ["mutations"] = new object[] { new object[] { "ports", "insert", new object[] { "set", portRefs.ToArray() } } },
        });
        ops.Add(new Dictionary<string, object>
        {
            ["op"] = "mutate", ["table"] = "Open_vSwitch", ["where"] = Array.Empty<object>(),
            ["mutations"] = new object[] { new object[] { "next_cfg", "+=", 1 } },
        });
        ops.Add(new Dictionary<string, object>
        {
            ["op"] = "select", ["table"] = "Open_vSwitch", ["where"] = Array.Empty<object>(), ["columns"] = new[] { "next_cfg" },
        });
        ops.Add(new Dictionary<string, object> { ["op"] = "comment", ["comment"] = comment });
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
    /// Adds <paramref name="ports"/> to <paramref name="bridge"/> in one transaction and waits until ovs-vswitchd has applied
    /// it (at most the connection's timeout, seconds). Null when the database cannot be reached this way before anything was
    /// sent (not a unix socket, no socket file, connection refused): run <c>ovs-vsctl</c> then. The result lists the new
    /// interfaces ovs-vswitchd could not set up (<c>ofport</c> -1 with an <c>error</c>: they are stored, like ovs-vsctl leaves them).
    /// </summary>
    /// <param name="connection">The database (a <c>unix:PATH</c> socket) and the timeout in seconds.</param>
    /// <param name="bridge">The bridge to add the ports to.</param>
    /// <param name="ports">Port names; each port gets one interface of the same name (a system device, type "").</param>
    /// <param name="vlan">The VLAN columns of the new ports, or null for normal ports.</param>
    /// <param name="comment">Written to the database log with the transaction.</param>
    /// <param name="connected">Called once connected, before anything is sent (e.g. to show the equivalent command).</param>
    /// <param name="cancellationToken">Stops the wait (Ctrl+C).</param>
    /// <exception cref="NetNsException">BridgeNotFound, PortExists or ConnectPortFailed: nothing was stored.</exception>
    /// <exception cref="TimeoutException">ovsdb-server or ovs-vswitchd did not answer in time (the change may be stored).</exception>
    /// <exception cref="OperationCanceledException">Cancelled while waiting (the change may be stored).</exception>
    public static AddPortsResult? TryAddPorts(OvsConnection connection, string bridge, IReadOnlyList<string> ports, OvsVlan? vlan, string comment, Action? connected = null, CancellationToken cancellationToken = default)
    {
        var database = connection.EffectiveDatabase;
        using var session = OvsDbSession.TryOpen(database, connection.TimeoutSeconds, cancellationToken);
        if (session is null) return null;
        connected?.Invoke();
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
        var results = session.Transact(AddPortOperations(bridge, ports, vlan, comment));
        if (FirstError(results) is { } failure) throw AddPortsError(failure, bridge, ports, database);
        long? nextCfg = null;
        var select = results[results.GetArrayLength() - 2];
        foreach (var row in select.GetProperty("rows").EnumerateArray())
            if (row.TryGetProperty("next_cfg", out var v) && v.ValueKind == JsonValueKind.Number) nextCfg = v.GetInt64();
        // No Open_vSwitch row means no ovs-vswitchd configuration to wait for (ovs-vsctl says "database not initialized").
        if (nextCfg is { } target) session.WaitUntil(() => curCfg >= target);
        var state = OvsDbReader.ReadState(session, database);
        var names = new HashSet<string>(ports, StringComparer.Ordinal);
        var failed = state.InterfaceRows.Where(i => names.Contains(i.Name) && i.OfPort == -1).ToList();
        return new AddPortsResult(state, failed);
    }
}
