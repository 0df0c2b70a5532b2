using NetNs.Core.Models;

namespace NetNs.Core.Ovs;

/// <summary>A row of the OVSDB Bridge table.</summary>
internal sealed record OvsBridgeRow(string Uuid, string Name, string DatapathType, IReadOnlyList<string> PortUuids, string? FailMode, IReadOnlyDictionary<string, string> ExternalIds);

/// <summary>A row of the OVSDB Port table.</summary>
internal sealed record OvsPortRow(string Uuid, string Name, IReadOnlyList<string> InterfaceUuids, int? Tag, IReadOnlyList<int> Trunks, string? VlanMode, IReadOnlyDictionary<string, string> ExternalIds);

/// <summary>A row of the OVSDB Interface table.</summary>
internal sealed record OvsInterfaceRow(string Uuid, string Name, string Type, int? OfPort, string? Error);

/// <summary>
/// Bridges, ports and interfaces read in one transaction (all of them, or those selected by name), joined into NetNs
/// objects. The look-ups by name are maps built once, so callers may use them in loops.
/// </summary>
internal sealed class OvsState
{
    private Dictionary<string, string>? _bridgeOfPortUuid;
    private Dictionary<string, OvsPortRow>? _portByName;

    /// <summary>Creates the state from parsed rows.</summary>
    public OvsState(IReadOnlyList<OvsBridgeRow> bridges, IReadOnlyList<OvsPortRow> ports, IReadOnlyList<OvsInterfaceRow> interfaces, string database)
    {
        BridgeRows = bridges;
        PortRows = ports;
        InterfaceRows = interfaces;
        Database = database;
    }

    /// <summary>Bridge rows.</summary>
    public IReadOnlyList<OvsBridgeRow> BridgeRows { get; }

    /// <summary>Port rows.</summary>
    public IReadOnlyList<OvsPortRow> PortRows { get; }

    /// <summary>Interface rows.</summary>
    public IReadOnlyList<OvsInterfaceRow> InterfaceRows { get; }

    /// <summary>The database remote the state came from.</summary>
    public string Database { get; }

    /// <summary>Bridges sorted by name; each lists its ports except its own internal port.</summary>
    public List<OvsBridge> Bridges()
    {
        var portNames = PortRows.ToDictionary(p => p.Uuid, p => p.Name, StringComparer.Ordinal);
        return BridgeRows
            .Select(b => new OvsBridge(b.Name, b.DatapathType.Length == 0 ? "system" : b.DatapathType,
                b.PortUuids.Select(u => portNames.TryGetValue(u, out var n) ? n : null).OfType<string>()
                    .Where(n => n != b.Name).OrderBy(n => n, StringComparer.Ordinal).ToList(),
                b.FailMode, Database))
            .OrderBy(b => b.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>Ports of every bridge (without the bridges' own internal ports), sorted by bridge, then port name.</summary>
    public List<OvsPort> Ports(bool includeBridgePorts = false)
    {
        var ports = PortRows.ToDictionary(p => p.Uuid, StringComparer.Ordinal);
        var ifaces = InterfaceRows.ToDictionary(i => i.Uuid, StringComparer.Ordinal);
        var list = new List<OvsPort>();
        foreach (var b in BridgeRows)
        {
            foreach (var pu in b.PortUuids)
            {
                if (!ports.TryGetValue(pu, out var p)) continue;
                if (!includeBridgePorts && p.Name == b.Name) continue;
                OvsInterfaceRow? i = p.InterfaceUuids.Count > 0 && ifaces.TryGetValue(p.InterfaceUuids[0], out var x) ? x : null;
                list.Add(new OvsPort(b.Name, p.Name, i?.Name ?? p.Name, i?.Type ?? "", i?.OfPort, EffectiveMode(p), p.Tag, p.Trunks, i?.Error));
            }
        }
        return list.OrderBy(p => p.Bridge, StringComparer.Ordinal).ThenBy(p => p.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>Interface name → the bridge whose port it is (bridges' own internal ports left out).</summary>
    public Dictionary<string, string> BridgesByInterface()
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in Ports()) map[p.Interface] = p.Bridge;
        return map;
    }

    /// <summary>The port row of that name, or null.</summary>
    public OvsPortRow? FindPort(string name)
    {
        _portByName ??= PortRows.GroupBy(p => p.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        return _portByName.GetValueOrDefault(name);
    }

    /// <summary>The bridge a port row (by uuid) belongs to, or null.</summary>
    public string? BridgeOfPortUuid(string uuid)
    {
        if (_bridgeOfPortUuid is null)
        {
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var b in BridgeRows)
                foreach (var u in b.PortUuids) map.TryAdd(u, b.Name);
            _bridgeOfPortUuid = map;
        }
        return _bridgeOfPortUuid.GetValueOrDefault(uuid);
    }

    /// <summary>The bridge a port (by port name) belongs to, or null.</summary>
    public string? BridgeOfPort(string port) => FindPort(port) is { } row ? BridgeOfPortUuid(row.Uuid) : null;

    /// <summary>The bridge row of that name, or null.</summary>
    public OvsBridgeRow? FindBridge(string name) => BridgeRows.FirstOrDefault(b => b.Name == name);

    /// <summary>The interface row of that name, or null.</summary>
    public OvsInterfaceRow? FindInterface(string name) => InterfaceRows.FirstOrDefault(i => i.Name == name);

    private static string? EffectiveMode(OvsPortRow p) =>
        p.VlanMode ?? (p.Tag is not null ? "access" : p.Trunks.Count > 0 ? "trunk" : null);
}
