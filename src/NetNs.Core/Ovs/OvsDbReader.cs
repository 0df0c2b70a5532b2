using System.Net.Sockets;
using System.Text.Json;

namespace NetNs.Core.Ovs;

/// <summary>
/// Reads bridges, ports and interfaces straight from <c>ovsdb-server</c> over its unix socket with one OVSDB JSON-RPC
/// <c>transact</c> of three <c>select</c> operations (RFC 7047): the rows <c>ovs-vsctl list</c> prints, without starting a
/// process (read-only; <see cref="OvsDbWriter"/> makes changes the same way).
/// </summary>
public static class OvsDbReader
{
    /// <summary>The JSON-RPC request: <c>transact</c> on Open_vSwitch selecting the columns of <see cref="OvsCommands.ListState"/>.</summary>
    public static string StateRequest(int id)
    {
        var request = new Dictionary<string, object>
        {
            ["method"] = "transact",
            ["params"] = new object[] { OvsDbSession.Database }.Concat(StateOperations()).ToArray(),
            ["id"] = id,
        };
        return JsonSerializer.Serialize(request);
    }

    /// <summary>The three <c>select</c> operations of <see cref="StateRequest"/> (Bridge, Port, Interface), for a <c>transact</c> of one's own.</summary>
    public static IEnumerable<object> StateOperations()
    {
        static object Select(string table, string columns) => new Dictionary<string, object>
        {
            ["op"] = "select",
            ["table"] = table,
            ["where"] = Array.Empty<object>(),
            ["columns"] = columns.Split(','),
        };
        yield return Select("Bridge", OvsCommands.BridgeColumns);
        yield return Select("Port", OvsCommands.PortColumns);
        yield return Select("Interface", OvsCommands.InterfaceColumns);
    }

    /// <summary>
    /// Reads the state from a <c>unix:PATH</c> database within <paramref name="timeoutSeconds"/>; null when the database is
    /// not a unix socket or cannot be read this way (the caller then runs <c>ovs-vsctl</c>, which reports why).
    /// </summary>
    public static OvsState? TryReadState(string database, int timeoutSeconds)
    {
        try
        {
            using var session = OvsDbSession.TryOpen(database, timeoutSeconds);
            return session is null ? null : ReadState(session, database);
        }
        catch (Exception ex) when (OvsDbSession.IsExchangeFailure(ex))
        {
            return null;
        }
    }

    private static object SelectByName(string table, string columns, string name) => new Dictionary<string, object>
    {
        ["op"] = "select", ["table"] = table,
        ["where"] = new object[] { new object[] { "name", "==", name } },
        ["columns"] = columns.Split(','),
    };

    /// <summary>
    /// The rows of one bridge and of the named ports and interfaces (one <c>transact</c> of selects by name), over an open
    /// session: what adding ports to a bridge needs to check and to report, at a cost that does not grow with the number of
    /// ports the database holds. Other bridges are not in it.
    /// </summary>
    public static OvsState ReadPartialState(OvsDbSession session, string database, string bridge, IReadOnlyCollection<string> names)
    {
        var ops = new List<object> { SelectByName("Bridge", OvsCommands.BridgeColumns, bridge) };
        ops.AddRange(names.Select(n => SelectByName("Port", OvsCommands.PortColumns, n)));
        ops.AddRange(names.Select(n => SelectByName("Interface", OvsCommands.InterfaceColumns, n)));
        var results = session.Transact(ops).EnumerateArray().ToList();
        return OvsJson.StateFromSelects(results.Take(1), results.Skip(1).Take(names.Count), results.Skip(1 + names.Count), database);
    }

    /// <summary>Bridge name → row uuid, over an open session (one <c>select</c> of two columns of the Bridge table).</summary>
    public static Dictionary<string, string> BridgeUuids(OvsDbSession session)
    {
        var select = new Dictionary<string, object>
        {
            ["op"] = "select", ["table"] = "Bridge", ["where"] = Array.Empty<object>(), ["columns"] = new[] { "_uuid", "name" },
        };
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var row in session.Transact(new object[] { select })[0].GetProperty("rows").EnumerateArray())
        {
            var r = row.EnumerateObject().ToDictionary(c => c.Name, c => c.Value, StringComparer.Ordinal);
            if (OvsJson.Str(r, "name") is { } name && OvsJson.Uuid(r, "_uuid") is { } uuid) map[name] = uuid;
        }
        return map;
    }

    /// <summary>Reads the state over an open session (one <c>transact</c> of three selects).</summary>
    public static OvsState ReadState(OvsDbSession session, string database) =>
        OvsJson.ParseStateResults(session.Transact(StateOperations()), database);

    /// <summary>The length of the first complete JSON object in <paramref name="b"/> (leading whitespace included), or null.</summary>
    public static int? CompleteLength(ReadOnlySpan<byte> b)
    {
        var depth = 0;
        var inString = false;
        var escaped = false;
        var started = false;
        for (var i = 0; i < b.Length; i++)
        {
            var c = b[i];
            if (inString)
            {
                if (escaped) escaped = false;
                else if (c == '\\') escaped = true;
                else if (c == '"') inString = false;
                continue;
            }
            switch (c)
            {
                case (byte)'"': inString = true; break;
                case (byte)'{': case (byte)'[': depth++; started = true; break;
                case (byte)'}': case (byte)']':
                    depth--;
                    if (started && depth == 0) return i + 1;
                    break;
            }
        }
        return null;
    }
}
