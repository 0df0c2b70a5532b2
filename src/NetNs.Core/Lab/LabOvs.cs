using System.Text.Json;
using NetNs.Core.Errors;
using NetNs.Core.Process;

namespace NetNs.Core.Lab;

/// <summary>A bridge as the lab code reads it from <c>ovs-vsctl --format=json list Bridge</c>.</summary>
public sealed record LabOvsBridge(string Name, string DatapathType, IReadOnlyDictionary<string, string> ExternalIds);

/// <summary>A port as the lab code reads it from <c>ovs-vsctl --format=json list Port</c>.</summary>
public sealed record LabOvsPort(string Name, string? Bridge, int? Tag, IReadOnlyList<int> Trunks, IReadOnlyDictionary<string, string> ExternalIds);

/// <summary>
/// The Open vSwitch reads the lab code needs, in one <c>ovs-vsctl</c> call (kept inside Lab/ until it is unified with
/// the OVS client). ErrorId <c>OvsUnreachable</c> (ConnectionError, fatal) when the database does not answer.
/// </summary>
public static class LabOvs
{
    /// <summary><c>ovs-vsctl --format=json -- --columns=… list Bridge -- --columns=… list Port</c>.</summary>
    public static ToolCommand ListCommand(string? ovsSocket)
    {
        var a = LabCommands.OvsBase(ovsSocket, 10);
        a.AddRange(new[] { "--format=json", "--", "--columns=name,datapath_type,external_ids,ports", "list", "Bridge",
            "--", "--columns=_uuid,name,tag,trunks,external_ids", "list", "Port" });
        return new ToolCommand(LabCommands.OvsVsctl, a);
    }

    /// <summary>Reads bridges and ports; throws <c>OvsUnreachable</c> when the database cannot be reached.</summary>
    public static (List<LabOvsBridge> Bridges, List<LabOvsPort> Ports) Read(IToolRunner runner, string? ovsSocket, CancellationToken ct)
    {
        var r = runner.Run(ListCommand(ovsSocket), ct);
        if (!r.Succeeded)
            throw new NetNsException("OvsUnreachable", NetNsErrorCategory.ConnectionError,
                $"Open vSwitch does not answer at {(ovsSocket ?? "the system database socket (/var/run/openvswitch/db.sock)")}: {r.StandardError.Trim()} Start it with '/usr/share/openvswitch/scripts/ovs-ctl start' (or ./build.ps1 Bootstrap).",
                ovsSocket ?? "db.sock") { IsFatal = true };
        return Parse(r.StandardOutput);
    }

    /// <summary>Parses the two JSON tables printed by <see cref="ListCommand"/>.</summary>
    public static (List<LabOvsBridge> Bridges, List<LabOvsPort> Ports) Parse(string output)
    {
        // ovs-vsctl prints each table as one JSON object on its own line.
        var tables = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => JsonDocument.Parse(line)).ToList();
        if (tables.Count != 2) throw new NetNsException("OvsOutputUnexpected", NetNsErrorCategory.InvalidResult, "Unexpected ovs-vsctl output: expected two JSON tables.", null);
        var portUuidToBridge = new Dictionary<string, string>();
        var bridges = new List<LabOvsBridge>();
        foreach (var row in Rows(tables[0]))
        {
            var name = row["name"].GetString()!;
            bridges.Add(new LabOvsBridge(name, row["datapath_type"].GetString() ?? "", Map(row["external_ids"])));
            foreach (var u in Set(row["ports"])) portUuidToBridge[Uuid(u)] = name;
        }
        var ports = new List<LabOvsPort>();
        foreach (var row in Rows(tables[1]))
        {
            var tags = Set(row["tag"]).Select(t => t.GetInt32()).ToList();
            ports.Add(new LabOvsPort(row["name"].GetString()!, portUuidToBridge.GetValueOrDefault(Uuid(row["_uuid"])),
                tags.Count > 0 ? tags[0] : null, Set(row["trunks"]).Select(t => t.GetInt32()).ToList(), Map(row["external_ids"])));
        }
        foreach (var t in tables) t.Dispose();
        return (bridges, ports);
    }

    private static IEnumerable<Dictionary<string, JsonElement>> Rows(JsonDocument doc)
    {
        var headings = doc.RootElement.GetProperty("headings").EnumerateArray().Select(h => h.GetString()!).ToList();
        foreach (var row in doc.RootElement.GetProperty("data").EnumerateArray())
        {
            var cells = row.EnumerateArray().ToList();
            var d = new Dictionary<string, JsonElement>();
            for (var i = 0; i < headings.Count && i < cells.Count; i++) d[headings[i]] = cells[i];
            yield return d;
        }
    }

    private static string Uuid(JsonElement e) => e.ValueKind == JsonValueKind.Array && e.GetArrayLength() == 2 ? e[1].GetString() ?? "" : "";

    // An OVSDB value: a scalar, ["uuid", "…"], ["set", [...]] or ["map", [[k, v], ...]].
    private static IEnumerable<JsonElement> Set(JsonElement e)
    {
        if (e.ValueKind == JsonValueKind.Array && e.GetArrayLength() == 2 && e[0].ValueKind == JsonValueKind.String)
        {
            var kind = e[0].GetString();
            if (kind == "set") return e[1].EnumerateArray().ToList();
            if (kind == "uuid") return new[] { e };
        }
        return new[] { e };
    }

    private static Dictionary<string, string> Map(JsonElement e)
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        if (e.ValueKind == JsonValueKind.Array && e.GetArrayLength() == 2 && e[0].GetString() == "map")
            foreach (var kv in e[1].EnumerateArray()) d[kv[0].GetString()!] = kv[1].ValueKind == JsonValueKind.String ? kv[1].GetString()! : kv[1].ToString();
        return d;
    }
}
