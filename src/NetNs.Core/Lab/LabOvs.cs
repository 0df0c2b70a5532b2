using NetNs.Core.Context;
using NetNs.Core.Ovs;
using NetNs.Core.Process;

namespace NetNs.Core.Lab;

/// <summary>
/// The Open vSwitch side of the lab code: the one place it gets an <see cref="OvsClient"/> of a lab's database (OVSDB
/// JSON-RPC, on the caller's context), the reads of its bridges and ports, and the bridges and ports a definition
/// creates (with their VLANs and owner marks). ErrorIds: <c>OvsUnreachable</c> (ConnectionError) and <c>OvsTimeout</c>
/// (OperationTimeout), both fatal, when the database does not answer.
/// </summary>
internal static class LabOvs
{
    /// <summary>
    /// A client of the database at <paramref name="ovsSocket"/> (null: the system one) over the caller's context (its OVSDB
    /// seam, trace and cancellation): a lab may have an Open vSwitch of its own, so only the connection differs.
    /// </summary>
    public static OvsClient Client(NetNsContext context, string? ovsSocket, int timeoutSeconds = 30) =>
        new(context, LabCommands.Connection(ovsSocket, timeoutSeconds));

    /// <summary>Reads bridges, ports and interfaces of the database at <paramref name="ovsSocket"/> (null: the system one).</summary>
    public static OvsState Read(NetNsContext context, string? ovsSocket) => Client(context, ovsSocket, 10).GetState();

    /// <summary>The owner mark of a lab's bridges and ports: <c>external_ids:netns-lab=NAME</c>.</summary>
    public static IReadOnlyDictionary<string, string> Mark(string lab) => new Dictionary<string, string> { [LabMarks.ExternalIdKey] = lab };

    /// <summary>The VLAN setting of a bridge link, as Set-OvsVlan would give it (null: a normal port).</summary>
    public static OvsVlan? Vlan(LabLink link) =>
        OvsVlan.Create(link.Tag, link.Trunk.Count > 0 ? link.Trunk : null, null, untagged: false, link.PeerName);

    /// <summary>Every bridge of the lab with its datapath, its mark and its ports (the switch-side ends, with their VLANs and marks).</summary>
    public static List<OvsNewBridge> Bridges(LabDefinition d, IReadOnlyDictionary<string, string> datapaths)
    {
        var mark = Mark(d.Name);
        var ports = d.Links.Where(l => l.IsBridgeLink).ToLookup(l => l.Bridge!, StringComparer.Ordinal);
        return d.Bridges.Select(b => new OvsNewBridge(b.Name, datapaths[b.Name], mark,
            ports[b.Name].Select(l => new OvsNewPort(l.PeerName, Vlan(l), mark)).ToList())).ToList();
    }
}
