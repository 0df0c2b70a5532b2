using NetNs.Core.Ip;
using NetNs.Core.Process;

namespace NetNs.Core.Ovs;

/// <summary>
/// The <c>ovs-vsctl</c> command lines (ovs-vsctl(8)) equivalent to the OVSDB transactions NetNs sends in process: what
/// -Verbose (marked <see cref="OvsClient.InProcessMark"/>) and -WhatIf show, and what to type to do the same by hand; NetNs
/// itself starts no ovs-vsctl. Every command carries <c>--timeout=N</c>, and <c>--db=REMOTE</c> when a non-default database
/// is set. Several operations are joined by <c>--</c> into ONE command, one atomic transaction.
/// </summary>
internal static class OvsCommands
{
    /// <summary>The program name.</summary>
    public const string Vsctl = "ovs-vsctl";

    /// <summary>The ethtool program name.</summary>
    public const string Ethtool = "ethtool";

    /// <summary>Columns read from the Bridge table.</summary>
    public const string BridgeColumns = "_uuid,name,datapath_type,ports,fail_mode,external_ids";

    /// <summary>Columns read from the Port table.</summary>
    public const string PortColumns = "_uuid,name,interfaces,tag,trunks,vlan_mode,external_ids";

    /// <summary>Columns read from the Interface table.</summary>
    public const string InterfaceColumns = "_uuid,name,type,ofport,error";

    /// <summary>
    /// <c>ovs-vsctl --timeout=N [--db=REMOTE] [--format=json] OP1 -- OP2 -- …</c>: all operations in one transaction.
    /// A leading <c>--</c> is added when the first operation starts with an option (e.g. <c>--if-exists</c>).
    /// </summary>
    public static ToolCommand Transaction(OvsConnection connection, IEnumerable<IReadOnlyList<string>> operations, bool json = false)
    {
        var a = new List<string>(connection.GlobalOptions);
        if (json) a.Add("--format=json");
        var first = true;
        foreach (var op in operations)
        {
            if (op.Count == 0) continue;
            if (!first || op[0].StartsWith('-')) a.Add("--");
            a.AddRange(op);
            first = false;
        }
        if (first) throw new ArgumentException("At least one operation is needed.", nameof(operations));
        return new ToolCommand(Vsctl, a);
    }

    /// <summary>
    /// Reads bridges, ports and interfaces in one call:
    /// <c>ovs-vsctl --format=json -- --columns=… list Bridge -- --columns=… list Port -- --columns=… list Interface</c>.
    /// The output is three JSON objects, one per line.
    /// </summary>
    public static ToolCommand ListState(OvsConnection connection) => Transaction(connection, new[]
    {
        new[] { "--columns=" + BridgeColumns, "list", "Bridge" },
        new[] { "--columns=" + PortColumns, "list", "Port" },
        new[] { "--columns=" + InterfaceColumns, "list", "Interface" },
    }, json: true);

    /// <summary><c>ovs-vsctl --format=json --columns=ovs_version,db_version list Open_vSwitch</c>: is OVS there, and which version.</summary>
    public static ToolCommand Version(OvsConnection connection) =>
        Transaction(connection, new[] { new[] { "--columns=ovs_version,db_version", "list", "Open_vSwitch" } }, json: true);

    /// <summary><c>add-br NAME -- set Bridge NAME datapath_type=TYPE</c></summary>
    public static ToolCommand AddBridge(OvsConnection connection, string name, string datapathType) => Transaction(connection, new[]
    {
        new[] { "add-br", name },
        new[] { "set", "Bridge", name, "datapath_type=" + datapathType },
    });

    /// <summary><c>del-br NAME</c> (removes the bridge and all its ports).</summary>
    public static ToolCommand DeleteBridge(OvsConnection connection, string name) =>
        Transaction(connection, new[] { new[] { "del-br", name } });

    /// <summary>One <c>add-port BRIDGE PORT [tag=N] [trunks=A,B] [vlan_mode=M]</c> operation.</summary>
    public static IReadOnlyList<string> AddPortOperation(string bridge, string port, OvsVlan? vlan)
    {
        var a = new List<string> { "add-port", bridge, port };
        if (vlan is not null) a.AddRange(vlan.ColumnSettings());
        return a;
    }

    /// <summary><c>add-port BR P1 … -- add-port BR P2 …</c>: every port in one transaction.</summary>
    public static ToolCommand AddPorts(OvsConnection connection, string bridge, IEnumerable<string> ports, OvsVlan? vlan) =>
        Transaction(connection, ports.Select(p => AddPortOperation(bridge, p, vlan)));

    /// <summary><c>[--if-exists] del-port BR P1 -- [--if-exists] del-port BR P2</c>: every port in one transaction.</summary>
    public static ToolCommand DeletePorts(OvsConnection connection, IEnumerable<(string Bridge, string Port)> ports, bool ifExists = false) =>
        Transaction(connection, ports.Select(p => (IReadOnlyList<string>)(ifExists
            ? new[] { "--if-exists", "del-port", p.Bridge, p.Port }
            : new[] { "del-port", p.Bridge, p.Port })));

    /// <summary>
    /// <c>-- --if-exists del-port P … -- --if-exists del-br B …</c> in one transaction: removes what exists of the ports and
    /// bridges (a bridge with its ports). Null when both lists are empty.
    /// </summary>
    public static ToolCommand? Teardown(OvsConnection connection, IEnumerable<string> bridges, IEnumerable<string> ports)
    {
        var ops = ports.Select(p => (IReadOnlyList<string>)new[] { "--if-exists", "del-port", p })
            .Concat(bridges.Select(b => (IReadOnlyList<string>)new[] { "--if-exists", "del-br", b })).ToList();
        return ops.Count == 0 ? null : Transaction(connection, ops);
    }

    /// <summary>The operations that give <paramref name="port"/> the VLAN setting (set, then clear what the mode does not use).</summary>
    public static IReadOnlyList<IReadOnlyList<string>> SetVlanOperations(string port, OvsVlan vlan)
    {
        var ops = new List<IReadOnlyList<string>>();
        switch (vlan.Kind)
        {
            case OvsVlanKind.Access:
                ops.Add(new List<string> { "set", "Port", port }.Concat(vlan.ColumnSettings()).ToList());
                ops.Add(new[] { "clear", "Port", port, "trunks" });
                break;
            case OvsVlanKind.Trunk:
                ops.Add(new List<string> { "set", "Port", port }.Concat(vlan.ColumnSettings()).ToList());
                ops.Add(new[] { "clear", "Port", port, "tag" });
                break;
            case OvsVlanKind.NativeTrunk:
                ops.Add(new List<string> { "set", "Port", port }.Concat(vlan.ColumnSettings()).ToList());
                break;
            default:
                ops.Add(new[] { "clear", "Port", port, "tag", "trunks", "vlan_mode" });
                break;
        }
        return ops;
    }

    /// <summary><c>set Port P tag=… vlan_mode=… -- clear Port P …</c> for each port, in one transaction.</summary>
    public static ToolCommand SetVlan(OvsConnection connection, IEnumerable<string> ports, OvsVlan vlan) =>
        Transaction(connection, ports.SelectMany(p => SetVlanOperations(p, vlan)));

    /// <summary>
    /// <c>ethtool -K DEV tx off</c>, inside the namespace with <c>ip netns exec NS</c> when it is not the root namespace:
    /// turns tx checksum offload off (needed for UDP/TCP over the OVS userspace datapath).
    /// </summary>
    public static ToolCommand TxOffloadOff(string @namespace, string device) =>
        IpCommands.NetnsExec(@namespace, Ethtool, new[] { "-K", device, "tx", "off" });
}
