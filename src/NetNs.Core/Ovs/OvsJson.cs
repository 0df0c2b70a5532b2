using System.Text.Json;
using NetNs.Core.Models;

namespace NetNs.Core.Ovs;

/// <summary>
/// RFC 7047 values: the rows of <c>select</c> results and their cells (atoms, <c>["uuid",U]</c>, <c>["set",[…]]</c>,
/// <c>["map",[…]]</c>) as NetNs reads them from OVSDB JSON-RPC replies; and the same rows as <c>ovs-vsctl --format=json</c>
/// prints them (each table one JSON object <c>{"data":[[…]],"headings":[…]}</c>), which is how the captured golden files
/// of the tests hold them.
/// </summary>
internal static class OvsJson
{
    /// <summary>Splits the output of several <c>list</c> commands into one table per line, each a list of rows (column → value).</summary>
    public static List<List<Dictionary<string, JsonElement>>> ParseTables(string output)
    {
        var tables = new List<List<Dictionary<string, JsonElement>>>();
        foreach (var line in (output ?? "").Split('\n'))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            tables.Add(ParseTable(line));
        }
        return tables;
    }

    /// <summary>Parses one <c>{"data":…,"headings":…}</c> object.</summary>
    public static List<Dictionary<string, JsonElement>> ParseTable(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var headings = root.GetProperty("headings").EnumerateArray().Select(h => h.GetString() ?? "").ToList();
        var rows = new List<Dictionary<string, JsonElement>>();
        foreach (var r in root.GetProperty("data").EnumerateArray())
        {
            var row = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            var i = 0;
            foreach (var cell in r.EnumerateArray())
            {
                if (i < headings.Count) row[headings[i]] = cell.Clone();
                i++;
            }
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>Parses the three tables of <see cref="OvsCommands.ListState"/>.</summary>
    public static OvsState ParseState(string output, string database)
    {
        var t = ParseTables(output);
        if (t.Count != 3) throw new FormatException($"Expected 3 JSON tables from ovs-vsctl, got {t.Count}.");
        return StateFromRows(t, database);
    }

    /// <summary>
    /// Parses the answer of the OVSDB JSON-RPC <c>transact</c> of <see cref="OvsDbReader.StateRequest"/> (RFC 7047 section 4.1.3:
    /// <c>{"id":…,"result":[{"rows":[…]},…],"error":null}</c>, three selects: Bridge, Port, Interface).
    /// </summary>
    public static OvsState ParseStateRpc(string response, string database)
    {
        using var doc = JsonDocument.Parse(response);
        var root = doc.RootElement;
        if (root.TryGetProperty("error", out var err) && err.ValueKind != JsonValueKind.Null)
            throw new FormatException("OVSDB error: " + err.GetRawText());
        return ParseStateResults(root.GetProperty("result"), database);
    }

    /// <summary>Parses the <c>result</c> array of a <c>transact</c> whose operations are the three selects of <see cref="OvsDbReader.StateOperations"/>.</summary>
    public static OvsState ParseStateResults(JsonElement results, string database)
    {
        var t = results.EnumerateArray().Select(SelectRows).ToList();
        if (t.Count != 3) throw new FormatException($"Expected 3 OVSDB select results, got {t.Count}.");
        return StateFromRows(t, database);
    }

    /// <summary>The rows of one <c>select</c> result (<c>{"rows":[…]}</c>) as column → value; an <c>error</c> result throws <see cref="FormatException"/>.</summary>
    public static List<Dictionary<string, JsonElement>> SelectRows(JsonElement result)
    {
        if (result.TryGetProperty("error", out var e)) throw new FormatException("OVSDB error: " + e.GetRawText());
        var rows = new List<Dictionary<string, JsonElement>>();
        foreach (var row in result.GetProperty("rows").EnumerateArray())
        {
            var d = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var c in row.EnumerateObject()) d[c.Name] = c.Value.Clone();
            rows.Add(d);
        }
        return rows;
    }

    /// <summary>A state from the rows of the Bridge, Port and Interface tables (whole tables or selected rows).</summary>
    public static OvsState StateFromRows(List<List<Dictionary<string, JsonElement>>> t, string database)
    {
        var bridges = t[0].Select(r => new OvsBridgeRow(Uuid(r, "_uuid") ?? "", Str(r, "name") ?? "", Str(r, "datapath_type") ?? "",
            Uuids(r, "ports"), Str(r, "fail_mode"), Map(r, "external_ids"))).ToList();
        var ports = t[1].Select(r => new OvsPortRow(Uuid(r, "_uuid") ?? "", Str(r, "name") ?? "", Uuids(r, "interfaces"),
            Int(r, "tag"), Ints(r, "trunks").OrderBy(x => x).ToList(), Str(r, "vlan_mode"), Map(r, "external_ids"))).ToList();
        var ifaces = t[2].Select(r => new OvsInterfaceRow(Uuid(r, "_uuid") ?? "", Str(r, "name") ?? "", Str(r, "type") ?? "",
            Int(r, "ofport"), Str(r, "error"))).ToList();
        return new OvsState(bridges, ports, ifaces, database);
    }

    /// <summary>Parses <see cref="OvsCommands.Version"/>: the <c>ovs_version</c>, or null.</summary>
    public static string? ParseVersion(string output)
    {
        var t = ParseTables(output);
        return t.Count > 0 && t[0].Count > 0 ? Str(t[0][0], "ovs_version") : null;
    }

    /// <summary>The atoms of a cell: an atom alone, or the members of <c>["set",[…]]</c> (empty set = none).</summary>
    public static List<JsonElement> Atoms(JsonElement cell)
    {
        if (cell.ValueKind == JsonValueKind.Array && cell.GetArrayLength() == 2 && cell[0].ValueKind == JsonValueKind.String)
        {
            switch (cell[0].GetString())
            {
                case "set": return cell[1].EnumerateArray().Select(e => e.Clone()).ToList();
                case "uuid": case "named-uuid": return new List<JsonElement> { cell };
                case "map": return new List<JsonElement>();
            }
        }
        return new List<JsonElement> { cell };
    }

    private static JsonElement? Cell(Dictionary<string, JsonElement> row, string column) => row.TryGetValue(column, out var v) ? v : null;

    /// <summary>A string column; null for an empty optional value.</summary>
    public static string? Str(Dictionary<string, JsonElement> row, string column)
    {
        if (Cell(row, column) is not { } c) return null;
        var a = Atoms(c);
        return a.Count > 0 && a[0].ValueKind == JsonValueKind.String ? a[0].GetString() : null;
    }

    /// <summary>An integer column; null for an empty optional value.</summary>
    public static int? Int(Dictionary<string, JsonElement> row, string column)
    {
        if (Cell(row, column) is not { } c) return null;
        var a = Atoms(c);
        return a.Count > 0 && a[0].ValueKind == JsonValueKind.Number ? a[0].GetInt32() : null;
    }

    /// <summary>An integer set column.</summary>
    public static List<int> Ints(Dictionary<string, JsonElement> row, string column) =>
        Cell(row, column) is { } c ? Atoms(c).Where(e => e.ValueKind == JsonValueKind.Number).Select(e => e.GetInt32()).ToList() : new List<int>();

    /// <summary>A uuid column (<c>["uuid",U]</c>).</summary>
    public static string? Uuid(Dictionary<string, JsonElement> row, string column) => Uuids(row, column).FirstOrDefault();

    /// <summary>A set-of-uuid column.</summary>
    public static List<string> Uuids(Dictionary<string, JsonElement> row, string column)
    {
        if (Cell(row, column) is not { } c) return new List<string>();
        return Atoms(c)
            .Where(e => e.ValueKind == JsonValueKind.Array && e.GetArrayLength() == 2 && e[1].ValueKind == JsonValueKind.String)
            .Select(e => e[1].GetString()!).ToList();
    }

    /// <summary>A string-to-string map column (<c>["map",[[k,v],…]]</c>, e.g. <c>external_ids</c>); empty when absent.</summary>
    public static Dictionary<string, string> Map(Dictionary<string, JsonElement> row, string column)
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Cell(row, column) is { ValueKind: JsonValueKind.Array } c && c.GetArrayLength() == 2 && c[0].ValueKind == JsonValueKind.String && c[0].GetString() == "map")
        {
            foreach (var kv in c[1].EnumerateArray())
                if (kv.ValueKind == JsonValueKind.Array && kv.GetArrayLength() == 2 && kv[0].ValueKind == JsonValueKind.String)
                    d[kv[0].GetString()!] = kv[1].ValueKind == JsonValueKind.String ? kv[1].GetString()! : kv[1].GetRawText();
        }
        return d;
    }
}
