using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using NetNs.Core.Ovs;

namespace NetNs.Tests;

/// <summary>
/// A recording fake of the OVSDB seam: an in-memory Open_vSwitch database that runs the RFC 7047 operations NetNs sends
/// (select, insert, update, mutate, wait, comment; name indexes; garbage collection of unreferenced Bridge, Port and
/// Interface rows), records every transaction, and plays ovs-vswitchd when a session waits for <c>cur_cfg</c>: it gives
/// new interfaces an OpenFlow port (-1 and an error for <see cref="MissingDevices"/>; none for internal interfaces when
/// <see cref="DatapathFails"/>) and acknowledges the configuration, unless <see cref="SwitchStalled"/>.
/// </summary>
internal sealed class FakeOvsDb : IOvsDb
{
    private readonly Dictionary<string, Dictionary<string, JsonObject>> _tables = new(StringComparer.Ordinal)
    {
        ["Open_vSwitch"] = new(), ["Bridge"] = new(), ["Port"] = new(), ["Interface"] = new(),
    };
    private int _nextOfPort = 1;
    private int _nextUuid;

    public FakeOvsDb()
    {
        _tables["Open_vSwitch"][NewUuid()] = new JsonObject
        {
            ["bridges"] = new JsonArray("set", new JsonArray()), ["next_cfg"] = 0, ["cur_cfg"] = 0, ["ovs_version"] = "3.1.0",
        };
    }

    /// <summary>Every transact, in order: the database and its operations.</summary>
    public List<(string Database, JsonArray Operations)> Transactions { get; } = new();

    /// <summary>The transactions that changed something (not only selects).</summary>
    public List<JsonArray> Changes => Transactions.Select(t => t.Operations).Where(o => o.Any(op => op!["op"]!.GetValue<string>() is not ("select" or "comment"))).ToList();

    /// <summary>The server is down: opening a session fails.</summary>
    public bool Unreachable { get; set; }

    /// <summary>How many sessions were opened.</summary>
    public int Sessions { get; private set; }

    /// <summary>Devices ovs-vswitchd cannot open (their interfaces get ofport -1).</summary>
    public HashSet<string> MissingDevices { get; } = new(StringComparer.Ordinal);

    /// <summary>ovs-vswitchd cannot open the datapath: bridges' internal interfaces get no OpenFlow port.</summary>
    public bool DatapathFails { get; set; }

    /// <summary>ovs-vswitchd does not answer: waits for cur_cfg time out.</summary>
    public bool SwitchStalled { get; set; }

    /// <summary>Names of the rows of a table.</summary>
    public List<string> Names(string table) => _tables[table].Values.Select(r => r["name"]!.GetValue<string>()).OrderBy(n => n, StringComparer.Ordinal).ToList();

    /// <summary>The row of <paramref name="table"/> named <paramref name="name"/>.</summary>
    public JsonObject Row(string table, string name) => _tables[table].Values.Single(r => r["name"]!.GetValue<string>() == name);

    /// <inheritdoc />
    public IOvsDbSession Open(string remote, int timeoutSeconds, CancellationToken cancellationToken)
    {
        if (Unreachable) throw new OvsDbUnreachableException("no socket file " + remote);
        Sessions++;
        return new Session(this);
    }

    private string NewUuid() => "00000000-0000-4000-8000-" + (++_nextUuid).ToString("x12", CultureInfo.InvariantCulture);

    private static List<JsonNode?> Atoms(JsonNode? v) =>
        v is JsonArray { Count: 2 } a && a[0] is JsonValue t && t.GetValue<string>() == "set" ? ((JsonArray)a[1]!).ToList() : new List<JsonNode?> { v };

    private static JsonNode? Cell(string uuid, JsonObject row, string column) =>
        column == "_uuid" ? new JsonArray("uuid", uuid) : row[column]?.DeepClone() ?? new JsonArray("set", new JsonArray());

    private static bool Matches(string uuid, JsonObject row, JsonArray where) => where.All(c =>
    {
        var cond = (JsonArray)c!;
        var cell = Cell(uuid, row, cond[0]!.GetValue<string>());
        var atoms = Atoms(cell);
        return JsonNode.DeepEquals(cell, cond[2]) || (atoms.Count == 1 && JsonNode.DeepEquals(atoms[0], cond[2]));
    });

    private static JsonNode? Resolve(JsonNode? v, Dictionary<string, string> named) => v switch
    {
        JsonArray { Count: 2 } a when a[0] is JsonValue k && k.GetValueKind() == JsonValueKind.String && k.GetValue<string>() == "named-uuid"
            => new JsonArray("uuid", named[a[1]!.GetValue<string>()]),
        JsonArray a => new JsonArray(a.Select(x => Resolve(x, named)).ToArray()),
        _ => v?.DeepClone(),
    };

    private JsonArray Run(JsonArray ops)
    {
        // Run on a copy; store it only when every operation (and the name indexes) passed.
        var copy = _tables.ToDictionary(t => t.Key, t => t.Value.ToDictionary(r => r.Key, r => (JsonObject)r.Value.DeepClone()), StringComparer.Ordinal);
        var named = new Dictionary<string, string>(StringComparer.Ordinal);
        var results = new JsonArray();
        foreach (var node in ops)
        {
            var op = (JsonObject)node!;
            var kind = op["op"]!.GetValue<string>();
            var table = op["table"]?.GetValue<string>();
            var rows = table is null ? new List<KeyValuePair<string, JsonObject>>() : copy[table].Where(r => Matches(r.Key, r.Value, (JsonArray?)op["where"] ?? new JsonArray())).ToList();
            switch (kind)
            {
                case "select":
                    var columns = ((JsonArray)op["columns"]!).Select(c => c!.GetValue<string>()).ToList();
                    results.Add(new JsonObject { ["rows"] = new JsonArray(rows.Select(r => (JsonNode)new JsonObject(columns.Select(c => KeyValuePair.Create(c, Cell(r.Key, r.Value, c))))).ToArray()) });
                    break;
                case "insert":
                    var uuid = NewUuid();
                    if (op["uuid-name"] is { } n) named[n.GetValue<string>()] = uuid;
                    copy[table!][uuid] = new JsonObject(((JsonObject)op["row"]!).Select(c => KeyValuePair.Create(c.Key, Resolve(c.Value, named))));
                    results.Add(new JsonObject { ["uuid"] = new JsonArray("uuid", uuid) });
                    break;
                case "update":
                    foreach (var (_, row) in rows)
                        foreach (var c in (JsonObject)op["row"]!) row[c.Key] = Resolve(c.Value, named);
                    results.Add(new JsonObject { ["count"] = rows.Count });
                    break;
                case "mutate":
                    foreach (var (_, row) in rows)
                        foreach (var m in (JsonArray)op["mutations"]!)
                        {
                            var (column, mutator, value) = (m![0]!.GetValue<string>(), m[1]!.GetValue<string>(), Resolve(m[2], named));
                            if (mutator == "+=") { row[column] = row[column]!.AsLong() + value!.AsLong(); continue; }
                            var have = Atoms(row[column] ?? new JsonArray("set", new JsonArray()));
                            var given = Atoms(value);
                            var now = mutator == "insert"
                                ? have.Concat(given.Where(g => !have.Any(h => JsonNode.DeepEquals(h, g))))
                                : have.Where(h => !given.Any(g => JsonNode.DeepEquals(h, g)));
                            row[column] = new JsonArray("set", new JsonArray(now.Select(x => x?.DeepClone()).ToArray()));
                        }
                    results.Add(new JsonObject { ["count"] = rows.Count });
                    break;
                case "wait":
                    var cols = ((JsonArray)op["columns"]!).Select(c => c!.GetValue<string>()).ToList();
                    var want = (JsonArray)op["rows"]!;
                    var have2 = new JsonArray(rows.Select(r => (JsonNode)new JsonObject(cols.Select(c => KeyValuePair.Create(c, r.Value[c]?.DeepClone())))).ToArray());
                    if (!JsonNode.DeepEquals(have2, want)) { results.Add(new JsonObject { ["error"] = "timed out" }); return results; }
                    results.Add(new JsonObject());
                    break;
                case "comment":
                    results.Add(new JsonObject());
                    break;
                default:
                    throw new NotSupportedException(kind);
            }
        }
        CollectGarbage(copy);
        foreach (var t in new[] { "Bridge", "Port", "Interface" })
            foreach (var dup in copy[t].Values.GroupBy(r => r["name"]!.GetValue<string>()).Where(g => g.Count() > 1))
            {
                results.Add(new JsonObject
                {
                    ["error"] = "constraint violation",
                    ["details"] = $"Transaction causes multiple rows in \"{t}\" table to have identical values (\"{dup.Key}\") for index on column \"name\".",
                });
                return results;
            }
        foreach (var t in copy) { _tables[t.Key].Clear(); foreach (var r in t.Value) _tables[t.Key][r.Key] = r.Value; }
        return results;
    }

    private static void CollectGarbage(Dictionary<string, Dictionary<string, JsonObject>> t)
    {
        HashSet<string> Refs(string table, string column) =>
            t[table].Values.SelectMany(r => Atoms(r[column])).OfType<JsonArray>().Select(a => a[1]!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
        foreach (var (table, parent, column) in new[] { ("Bridge", "Open_vSwitch", "bridges"), ("Port", "Bridge", "ports"), ("Interface", "Port", "interfaces") })
        {
            var keep = Refs(parent, column);
            foreach (var u in t[table].Keys.Where(u => !keep.Contains(u)).ToList()) t[table].Remove(u);
        }
    }

    /// <summary>ovs-vswitchd applies the configuration: OpenFlow ports for new interfaces, then cur_cfg = next_cfg.</summary>
    private long ApplyConfiguration()
    {
        foreach (var i in _tables["Interface"].Values.Where(i => i["ofport"] is null))
        {
            var name = i["name"]!.GetValue<string>();
            if (i["type"]?.GetValue<string>() == "internal")
            {
                if (DatapathFails) i["error"] = "could not open datapath";
                else i["ofport"] = 65534;
            }
            else if (MissingDevices.Contains(name))
            {
                i["ofport"] = -1;
                i["error"] = $"could not open network device {name} (No such device)";
            }
            else i["ofport"] = _nextOfPort++;
        }
        var ovs = _tables["Open_vSwitch"].Values.Single();
        ovs["cur_cfg"] = ovs["next_cfg"]!.AsLong();
        return ovs["cur_cfg"]!.AsLong();
    }

    private sealed class Session : IOvsDbSession
    {
        private readonly FakeOvsDb _db;
        private string? _monitor;

        public Session(FakeOvsDb db) => _db = db;

        public Action<JsonElement>? Update { get; set; }

        public JsonElement Transact(string database, IReadOnlyList<object> operations)
        {
            if (database != "Open_vSwitch") throw new FormatException("OVSDB error: {\"error\":\"unknown database\"}");
            var ops = (JsonArray)JsonSerializer.SerializeToNode(operations)!;
            _db.Transactions.Add((database, (JsonArray)ops.DeepClone()));
            return JsonSerializer.SerializeToElement(_db.Run(ops));
        }

        private JsonElement CurCfg(long value) => JsonSerializer.SerializeToElement(new JsonObject
        {
            ["Open_vSwitch"] = new JsonObject { [_db._tables["Open_vSwitch"].Keys.Single()] = new JsonObject { ["new"] = new JsonObject { ["cur_cfg"] = value } } },
        });

        public JsonElement Monitor(string database, string monitorId, object requests)
        {
            _monitor = monitorId;
            return CurCfg(_db._tables["Open_vSwitch"].Values.Single()["cur_cfg"]!.AsLong());
        }

        public void WaitUntil(Func<bool> done)
        {
            if (done()) return;
            if (_db.SwitchStalled) throw new TimeoutException("the database server did not answer in time.");
            var cur = _db.ApplyConfiguration();
            if (_monitor is not null) Update?.Invoke(JsonSerializer.SerializeToElement(new object[] { _monitor, CurCfg(cur) }));
            if (!done()) throw new TimeoutException("the database server did not answer in time.");
        }

        public void Dispose()
        {
        }
    }
}

internal static class JsonNodeNumbers
{
    /// <summary>The integer value of a node, whatever .NET type backs it.</summary>
    public static long AsLong(this JsonNode node) => long.Parse(node.ToJsonString(), CultureInfo.InvariantCulture);
}
