using System.Globalization;
using NetNs.Core.Errors;

namespace NetNs.Core.Ovs;

/// <summary>A port to create: its name (also its interface's), its VLAN setting and its <c>external_ids</c>.</summary>
internal sealed record OvsNewPort(string Name, OvsVlan? Vlan = null, IReadOnlyDictionary<string, string>? ExternalIds = null);

/// <summary>A bridge to create, with its datapath type (<c>system</c> or <c>netdev</c>), <c>external_ids</c> and the ports it gets at once.</summary>
internal sealed record OvsNewBridge(string Name, string DatapathType, IReadOnlyDictionary<string, string>? ExternalIds, IReadOnlyList<OvsNewPort> Ports);

/// <summary>
/// The operations of the Open vSwitch schema's changes, the ones <c>ovs-vsctl</c> sends (RFC 7047 section 5.2): add-br
/// (Interface, Port and Bridge rows inserted, <c>Open_vSwitch.bridges</c> mutated), add-port (Interface and Port rows
/// inserted, the bridge's <c>ports</c> mutated; the schema's name indexes refuse duplicates), del-port, del-br
/// (references removed; OVSDB garbage-collects the rows) and the VLAN columns of ports. <see cref="OvsDbTransaction.Commit"/>
/// sends them in one transaction with the <c>next_cfg</c> bump; a refused transaction stores nothing.
/// </summary>
internal static class OvsDbWriter
{
    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);

    /// <summary>The Port columns of a new port: name, interface, the VLAN columns in use and the <c>external_ids</c>.</summary>
    private static Dictionary<string, object> PortRow(OvsNewPort port, string interfaceRef)
    {
        var row = new Dictionary<string, object> { ["name"] = port.Name, ["interfaces"] = OvsDbOps.NamedUuid(interfaceRef) };
        if (port.Vlan?.Tag is { } tag) row["tag"] = tag;
        if (port.Vlan is { Trunks.Count: > 0 } v) row["trunks"] = OvsDbOps.Set(v.Trunks.OrderBy(t => t).Cast<object>());
        if (port.Vlan?.Mode is { } mode) row["vlan_mode"] = mode;
        if (port.ExternalIds is { Count: > 0 } ids) row["external_ids"] = OvsDbOps.Map(ids);
        return row;
    }

    /// <summary>Inserts the Interface and Port rows of <paramref name="port"/>; returns the Port row's uuid-name.</summary>
    private static object[] InsertPort(List<object> ops, OvsNewPort port, string id, string? interfaceType = null)
    {
        var iface = new Dictionary<string, object> { ["name"] = port.Name };
        if (interfaceType is not null) iface["type"] = interfaceType;
        ops.Add(OvsDbOps.Insert("Interface", iface, "iface" + id));
        ops.Add(OvsDbOps.Insert("Port", PortRow(port, "iface" + id), "port" + id));
        return OvsDbOps.NamedUuid("port" + id);
    }

    /// <summary>
    /// The operations of <c>add-br</c> for each bridge (its internal Interface and Port, its other ports, the Bridge row with
    /// <c>datapath_type</c> and <c>external_ids</c>) and ONE <c>mutate</c> inserting all of them into <c>Open_vSwitch.bridges</c>.
    /// </summary>
    public static List<object> AddBridgeOperations(IReadOnlyList<OvsNewBridge> bridges)
    {
        var ops = new List<object>();
        var bridgeRefs = new List<object>();
        for (var b = 0; b < bridges.Count; b++)
        {
            var bridge = bridges[b];
            var ports = new List<object> { InsertPort(ops, new OvsNewPort(bridge.Name), "_br" + I(b), "internal") };
            for (var p = 0; p < bridge.Ports.Count; p++) ports.Add(InsertPort(ops, bridge.Ports[p], I(b) + "_" + I(p)));
            var row = new Dictionary<string, object> { ["name"] = bridge.Name, ["ports"] = OvsDbOps.Set(ports), ["datapath_type"] = bridge.DatapathType };
            if (bridge.ExternalIds is { Count: > 0 } ids) row["external_ids"] = OvsDbOps.Map(ids);
            ops.Add(OvsDbOps.Insert("Bridge", row, "bridge" + I(b)));
            bridgeRefs.Add(OvsDbOps.NamedUuid("bridge" + I(b)));
        }
        if (bridgeRefs.Count > 0) ops.Add(OvsDbOps.Mutate("Open_vSwitch", OvsDbOps.All, "bridges", "insert", OvsDbOps.Set(bridgeRefs)));
        return ops;
    }

    /// <summary>
    /// The operations of <c>add-port</c>: <c>wait</c> for the bridge (timeout 0: fails at once when it does not exist), an
    /// <c>insert</c> of Interface and Port per port (with the VLAN columns), and a <c>mutate</c> inserting the ports into the
    /// bridge's <c>ports</c>.
    /// </summary>
    public static List<object> AddPortOperations(string bridge, IReadOnlyList<string> ports, OvsVlan? vlan) =>
        AddPortOperations(bridge, ports.Select(p => new OvsNewPort(p, vlan)).ToList());

    /// <inheritdoc cref="AddPortOperations(string, IReadOnlyList{string}, OvsVlan?)"/>
    public static List<object> AddPortOperations(string bridge, IReadOnlyList<OvsNewPort> ports)
    {
        var ops = new List<object> { OvsDbOps.WaitForRow("Bridge", "name", bridge) };
        var refs = ports.Select((p, i) => (object)InsertPort(ops, p, I(i))).ToList();
        ops.Add(OvsDbOps.Mutate("Bridge", OvsDbOps.Where("name", bridge), "ports", "insert", OvsDbOps.Set(refs)));
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
        var ops = mustExist ? ports.Select(p => OvsDbOps.WaitForRow("Port", "name", p.Port)).ToList() : new List<object>();
        foreach (var g in ports.GroupBy(p => p.Bridge, StringComparer.Ordinal))
            ops.Add(OvsDbOps.Mutate("Bridge", OvsDbOps.Where("name", g.Key), "ports", "delete", OvsDbOps.Set(g.Select(p => (object)OvsDbOps.Uuid(p.PortUuid)))));
        return ops;
    }

    /// <summary>The operations of <c>del-br</c>: one <c>mutate</c> deleting the bridges' references from <c>Open_vSwitch.bridges</c> (their ports go with them).</summary>
    public static List<object> DeleteBridgeOperations(IReadOnlyList<string> bridgeUuids) => new()
    {
        OvsDbOps.Mutate("Open_vSwitch", OvsDbOps.All, "bridges", "delete", OvsDbOps.Set(bridgeUuids.Select(u => (object)OvsDbOps.Uuid(u)))),
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
            ops.Add(OvsDbOps.WaitForRow("Port", "name", p));
            ops.Add(OvsDbOps.Update("Port", OvsDbOps.Where("name", p), new Dictionary<string, object>
            {
                ["tag"] = vlan.Tag is { } tag ? tag : OvsDbOps.EmptySet,
                ["trunks"] = OvsDbOps.Set(vlan.Trunks.OrderBy(t => t).Cast<object>()),
                ["vlan_mode"] = vlan.Mode is { } mode ? mode : OvsDbOps.EmptySet,
            }));
        }
        return ops;
    }

    /// <summary>The name in a refusal of the schema's name index (<c>constraint violation</c>), or null for another refusal.</summary>
    public static string? DuplicateName(OvsDbRefusal failure, IEnumerable<string> names) =>
        failure.Error == "constraint violation" && (failure.Details?.Contains("index", StringComparison.Ordinal) ?? false)
            ? names.FirstOrDefault(p => failure.Details.Contains("(\"" + p + "\")", StringComparison.Ordinal) || failure.Details.Contains("(" + p + ")", StringComparison.Ordinal)) ?? ""
            : null;

    /// <summary>Maps an aborted add-br transaction: a name index violation is BridgeExists (a bridge's name) or PortExists (a port's), else NewBridgeFailed.</summary>
    public static NetNsException AddBridgesError(OvsDbRefusal failure, IReadOnlyList<string> bridges, IReadOnlyList<string> ports, string database) =>
        DuplicateName(failure, bridges) is { Length: > 0 } b
            ? new NetNsException("BridgeExists", NetNsErrorCategory.ResourceExists, $"Open vSwitch bridge '{b}' already exists in {database} ({failure.Text}).", b)
            : DuplicateName(failure, ports) is { Length: > 0 } p
                ? new NetNsException("PortExists", NetNsErrorCategory.ResourceExists, $"A port or interface named '{p}' already exists in {database} ({failure.Text}).", p)
                : OvsErrors.Refused("NewBridgeFailed", $"create Open vSwitch bridge(s) {string.Join(", ", bridges)}", failure, bridges[0]);

    /// <summary>Maps an aborted add-port transaction to the error ovs-vsctl's would give (BridgeNotFound, PortExists, else ConnectPortFailed).</summary>
    public static NetNsException AddPortsError(OvsDbRefusal failure, string bridge, IReadOnlyList<string> ports, string database)
    {
        var what = ports.Count == 1 ? $"port '{ports[0]}'" : $"{ports.Count} ports";
        if (failure.Index == 0)
            return new NetNsException("BridgeNotFound", NetNsErrorCategory.ObjectNotFound,
                $"Cannot add {what} to bridge '{bridge}': no bridge named '{bridge}' in {database}.", bridge);
        if (DuplicateName(failure, ports) is { } dup)
        {
            var name = dup.Length == 0 ? ports[0] : dup;
            return new NetNsException("PortExists", NetNsErrorCategory.ResourceExists,
                $"Cannot add {what} to bridge '{bridge}': a port or interface named '{name}' already exists in {database} ({failure.Text}).", name);
        }
        return OvsErrors.Refused("ConnectPortFailed", $"add {what} to bridge '{bridge}'", failure, bridge);
    }
}
