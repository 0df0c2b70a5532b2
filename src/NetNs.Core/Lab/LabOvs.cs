using NetNs.Core.Ovs;
using NetNs.Core.Process;

namespace NetNs.Core.Lab;

/// <summary>A bridge as the lab code sees it: name, datapath type and <c>external_ids</c> (the owner mark).</summary>
public sealed record LabOvsBridge(string Name, string DatapathType, IReadOnlyDictionary<string, string> ExternalIds);

/// <summary>A port as the lab code sees it: name, the bridge holding it (null when none), VLAN tag, trunks and <c>external_ids</c>.</summary>
public sealed record LabOvsPort(string Name, string? Bridge, int? Tag, IReadOnlyList<int> Trunks, IReadOnlyDictionary<string, string> ExternalIds);

/// <summary>
/// The Open vSwitch reads of the lab code, through the module's OVS client (<see cref="OvsClient.GetState()"/>: OVSDB JSON-RPC
/// over a unix socket, else one <c>ovs-vsctl list</c>). ErrorIds: <c>OvsUnreachable</c> (ConnectionError) and
/// <c>OvsTimeout</c> (OperationTimeout), both fatal, when the database does not answer.
/// </summary>
public static class LabOvs
{
    /// <summary>Reads bridges and ports of the database at <paramref name="ovsSocket"/> (null: the system one).</summary>
    public static (List<LabOvsBridge> Bridges, List<LabOvsPort> Ports) Read(IToolRunner runner, string? ovsSocket, CancellationToken ct) =>
        FromState(new OvsClient(runner, LabCommands.Connection(ovsSocket, 10), ct).GetState());

    /// <summary>The lab view of a database state read by <see cref="OvsClient"/>.</summary>
    public static (List<LabOvsBridge> Bridges, List<LabOvsPort> Ports) FromState(OvsState state)
    {
        var bridgeOfPort = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var b in state.BridgeRows)
            foreach (var u in b.PortUuids) bridgeOfPort[u] = b.Name;
        var bridges = state.BridgeRows.Select(b => new LabOvsBridge(b.Name, b.DatapathType, b.ExternalIds)).ToList();
        var ports = state.PortRows.Select(p => new LabOvsPort(p.Name, bridgeOfPort.GetValueOrDefault(p.Uuid), p.Tag, p.Trunks, p.ExternalIds)).ToList();
        return (bridges, ports);
    }
}
