using System.Text.Json;

namespace NetNs.Core.Ovs;

/// <summary>
/// The reads of the Open vSwitch schema over an <see cref="IOvsDbSession"/>: bridges, ports and interfaces (the rows
/// <c>ovs-vsctl list</c> prints) in one <c>transact</c> of selects, all of them or only those named, the bridges' uuids,
/// and the version (RFC 7047; <see cref="OvsDbWriter"/> builds the changes).
/// </summary>
internal static class OvsDbReader
{
    /// <summary>The database name of Open vSwitch's schema.</summary>
    public const string Database = "Open_vSwitch";

    private static string[] Columns(string list) => list.Split(',');

    /// <summary>The three <c>select</c> operations of a whole-state read (Bridge, Port, Interface; the columns of <see cref="OvsCommands.ListState"/>).</summary>
    public static List<object> StateOperations() => new()
    {
        OvsDbOps.Select("Bridge", OvsDbOps.All, Columns(OvsCommands.BridgeColumns)),
        OvsDbOps.Select("Port", OvsDbOps.All, Columns(OvsCommands.PortColumns)),
        OvsDbOps.Select("Interface", OvsDbOps.All, Columns(OvsCommands.InterfaceColumns)),
    };

    /// <summary>The JSON-RPC request of a whole-state read (<c>transact</c> on Open_vSwitch), as it goes on the wire.</summary>
    public static string StateRequest(int id) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["method"] = "transact", ["params"] = new object[] { Database }.Concat(StateOperations()).ToArray(), ["id"] = id,
    });

    /// <summary>Reads the whole state (one <c>transact</c> of three selects).</summary>
    public static OvsState ReadState(IOvsDbSession session, string remote) =>
        OvsJson.StateFromRows(OvsDbTransaction.Read(session, Database, StateOperations()), remote);

    /// <summary>
    /// The rows of one bridge and of the named ports and interfaces (one <c>transact</c> of selects by name): what adding ports to
    /// a bridge needs to check and to report, at a cost that does not grow with the number of ports the database holds.
    /// Other bridges are not in it.
    /// </summary>
    public static OvsState ReadPartialState(IOvsDbSession session, string remote, string bridge, IReadOnlyCollection<string> names)
    {
        var ops = new List<object> { OvsDbOps.Select("Bridge", OvsDbOps.Where("name", bridge), Columns(OvsCommands.BridgeColumns)) };
        ops.AddRange(names.Select(n => OvsDbOps.Select("Port", OvsDbOps.Where("name", n), Columns(OvsCommands.PortColumns))));
        ops.AddRange(names.Select(n => OvsDbOps.Select("Interface", OvsDbOps.Where("name", n), Columns(OvsCommands.InterfaceColumns))));
        var t = OvsDbTransaction.Read(session, Database, ops);
        return OvsJson.StateFromRows(new List<List<Dictionary<string, JsonElement>>>
        {
            t[0], t.Skip(1).Take(names.Count).SelectMany(r => r).ToList(), t.Skip(1 + names.Count).SelectMany(r => r).ToList(),
        }, remote);
    }

    /// <summary>Bridge name → row uuid (one <c>select</c> of two columns of the Bridge table).</summary>
    public static Dictionary<string, string> BridgeUuids(IOvsDbSession session)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var r in OvsDbTransaction.Read(session, Database, new[] { OvsDbOps.Select("Bridge", OvsDbOps.All, new[] { "_uuid", "name" }) })[0])
            if (OvsJson.Str(r, "name") is { } name && OvsJson.Uuid(r, "_uuid") is { } uuid) map[name] = uuid;
        return map;
    }

    /// <summary>The <c>ovs_version</c> of the Open_vSwitch row, or null when none is recorded.</summary>
    public static string? Version(IOvsDbSession session)
    {
        var rows = OvsDbTransaction.Read(session, Database, new[] { OvsDbOps.Select("Open_vSwitch", OvsDbOps.All, new[] { "ovs_version" }) })[0];
        return rows.Count > 0 ? OvsJson.Str(rows[0], "ovs_version") : null;
    }
}
