using System.Net.Sockets;
using System.Text.Json;
using NetNs.Core.Context;
using NetNs.Core.Errors;
using NetNs.Core.Models;
using NetNs.Core.Process;
using NetNs.Core.Validation;

namespace NetNs.Core.Ovs;

/// <summary>
/// Open vSwitch bridges, ports and VLANs over the OVSDB seam of the context (<see cref="NetNsContext.OvsDb"/>; in production
/// OVSDB JSON-RPC to ovsdb-server, RFC 7047): every read is one <c>transact</c> of selects, every change ONE atomic
/// transaction (the one <c>ovs-vsctl</c> sends, shown so in -Verbose with <see cref="InProcessMark"/>), waited for until
/// ovs-vswitchd has applied it (<c>cur_cfg</c>). Throws <see cref="NetNsException"/>; <c>OvsUnreachable</c> and <c>OvsTimeout</c>
/// are fatal. What ovs-vswitchd could not set up (a datapath, a device: ofport -1) is removed again.
/// </summary>
internal sealed class OvsClient
{
    private readonly NetNsContext _context;
    private readonly CancellationToken _ct;

    /// <summary>A client of the context's connection, or of <paramref name="connection"/> (a lab's own database).</summary>
    public OvsClient(NetNsContext context, OvsConnection? connection = null)
        : this(context, connection ?? context.Ovs, context.Cancellation)
    {
    }

    private OvsClient(NetNsContext context, OvsConnection connection, CancellationToken cancellationToken)
    {
        _context = context;
        Connection = connection;
        _ct = cancellationToken;
    }

    /// <summary>Appended to a command line in -Verbose: NetNs sent the same request in process instead of running it.</summary>
    public const string InProcessMark = "   (in process: OVSDB JSON-RPC)";

    /// <summary>The database this client talks to.</summary>
    public OvsConnection Connection { get; }

    /// <summary>The same client, not stopped by Ctrl+C (for the clean-up after a cancelled change).</summary>
    public OvsClient Uncancellable() => new(_context, Connection, CancellationToken.None);

    private string Remote => Connection.EffectiveDatabase;

    private IOvsDbSession Open()
    {
        try { return _context.OvsDb.Open(Remote, Connection.TimeoutSeconds, _ct); }
        catch (OvsDbUnreachableException ex) { throw OvsErrors.Unreachable(Connection, ex.Message); }
    }

    /// <summary>Opens a session, shows <paramref name="equivalent"/> in -Verbose, and maps the failures of the exchange.</summary>
    private T Exchange<T>(ToolCommand equivalent, Func<IOvsDbSession, T> work, Func<Exception, NetNsException> brokeOff, bool trace = true)
    {
        using var session = Open();
        if (trace) _context.Trace(equivalent + InProcessMark);
        try
        {
            return work(session);
        }
        catch (TimeoutException)
        {
            throw OvsErrors.Timeout(Connection, equivalent + InProcessMark);
        }
        catch (Exception ex) when (ex is SocketException or IOException or FormatException or JsonException)
        {
            throw brokeOff(ex);
        }
    }

    private T Read<T>(ToolCommand equivalent, Func<IOvsDbSession, T> read, bool trace = true) =>
        Exchange(equivalent, read, ex => OvsErrors.QueryFailed(Connection, equivalent.ToString(), ex), trace);

    private T Change<T>(ToolCommand equivalent, string errorId, object target, Func<IOvsDbSession, T> work) =>
        Exchange(equivalent, work, ex => OvsErrors.BrokeOff(Connection, errorId, equivalent.ToString(), target, ex));

    /// <summary>Commits Open vSwitch operations in one transaction and waits for ovs-vswitchd.</summary>
    private JsonElement Commit(IOvsDbSession session, IReadOnlyList<object> operations, ToolCommand equivalent, Func<OvsDbRefusal, Exception> refused, Action? committed = null) =>
        OvsDbTransaction.Commit(session, OvsDbReader.Database, operations, "NetNs: " + equivalent, OvsDbConfigWait.Vswitchd, refused, committed);

    /// <summary>Bridges, ports and interfaces in one read.</summary>
    public OvsState GetState() => Read(OvsCommands.ListState(Connection), s => OvsDbReader.ReadState(s, Remote));

    /// <summary>
    /// The state adding <paramref name="names"/> to <paramref name="bridge"/> needs: only that bridge and the named ports and
    /// interfaces (selects by name, so the cost does not grow with the ports of the bridge); the whole state when one of the
    /// names is a port of another bridge (to name that bridge).
    /// </summary>
    public OvsState GetState(string bridge, IReadOnlyCollection<string> names) => Read(OvsCommands.ListState(Connection), s =>
    {
        if (names.Count == 0) return OvsDbReader.ReadState(s, Remote);
        var state = OvsDbReader.ReadPartialState(s, Remote, bridge, names);
        var own = state.FindBridge(bridge)?.PortUuids.ToHashSet(StringComparer.Ordinal);
        return state.PortRows.All(p => own?.Contains(p.Uuid) == true) ? state : OvsDbReader.ReadState(s, Remote);
    });

    /// <summary>
    /// The state, best effort and quick (at most <paramref name="maxSeconds"/>): null when the database cannot be read; never
    /// throws, and shows nothing in -Verbose. For completers and for marking links that are ports.
    /// </summary>
    public OvsState? TryGetState(int maxSeconds = 2)
    {
        var quick = new OvsClient(_context, new OvsConnection(Connection.Database, Math.Min(maxSeconds, Connection.TimeoutSeconds), Connection.SwitchNamespace), _ct);
        try
        {
            return quick.Read(OvsCommands.ListState(quick.Connection), s => OvsDbReader.ReadState(s, Remote), trace: false);
        }
        catch (NetNsException)
        {
            return null;
        }
    }

    /// <summary>Interface name → bridge name, for marking links that are OVS ports (Get-NetLink); best effort (<see cref="TryGetState"/>).</summary>
    public Dictionary<string, string>? TryGetPortBridges() => TryGetState()?.BridgesByInterface();

    /// <summary>The <c>ovs_version</c> of the instance (also a reachability check).</summary>
    public string? GetVersion() => Read(OvsCommands.Version(Connection), OvsDbReader.Version);

    /// <summary>
    /// The ports whose device is a veth end in the switch namespace with its peer in one of <paramref name="namespaces"/>,
    /// by that namespace: the ports that would be left without a device (OVS keeps them, with an error) once those
    /// namespaces are removed. Best effort: empty when OVS cannot be read within 2 seconds or has no ports.
    /// </summary>
    public Dictionary<string, List<(string Bridge, string Port)>> PortsPeeredInto(IReadOnlyCollection<string> namespaces)
    {
        var result = new Dictionary<string, List<(string Bridge, string Port)>>(StringComparer.Ordinal);
        if (namespaces.Count == 0 || TryGetState() is not { } state) return result;
        var byInterface = state.Ports().ToDictionary(p => p.Interface, p => (p.Bridge, Port: p.Name), StringComparer.Ordinal);
        if (byInterface.Count == 0) return result;
        foreach (var (ns, link) in OvsSwitchLinks.VethPeersIn(Connection.SwitchNamespace, byInterface.Keys.ToHashSet(StringComparer.Ordinal), namespaces))
        {
            if (!result.TryGetValue(ns, out var list)) result[ns] = list = new List<(string Bridge, string Port)>();
            list.Add(byInterface[link]);
        }
        return result;
    }

    /// <summary>The error for a missing bridge.</summary>
    public NetNsException BridgeNotFound(string name, string parameter = "Bridge") => OvsErrors.BridgeNotFound(Connection, name, parameter);

    /// <summary>The error for a missing port.</summary>
    public NetNsException PortNotFound(string name, string? bridge = null) => OvsErrors.PortNotFound(Connection, name, bridge);

    /// <summary>Checks a new bridge before anything is changed: name, not an existing bridge or port, no link of that name in the switch namespace (where its internal interface appears).</summary>
    public void ValidateNewBridge(string name, OvsState state)
    {
        Validate.InterfaceName(name, "Name");
        if (state.FindBridge(name) is not null)
            throw new NetNsException("BridgeExists", NetNsErrorCategory.ResourceExists, $"Open vSwitch bridge '{name}' already exists in {Remote}.", name);
        if (state.BridgeOfPort(name) is { } owner)
            throw new NetNsException("BridgeExists", NetNsErrorCategory.ResourceExists, $"'{name}' is already a port of Open vSwitch bridge '{owner}'; a bridge needs a name of its own.", name);
        // The bridge's internal interface appears where ovs-vswitchd runs: the switch namespace (Set-OvsConnection -SwitchNamespace).
        var sw = Connection.SwitchNamespace;
        if (new Ip.LinkOps(_context).Exists(sw, name))
            throw new NetNsException("LinkExists", NetNsErrorCategory.ResourceExists,
                $"A network interface '{name}' already exists in {Ip.LinkId.Describe(sw)}, where ovs-vswitchd runs; the bridge's internal interface needs that name. Pick another bridge name.", name);
    }

    /// <summary>Creates a bridge (<c>add-br NAME -- set Bridge NAME datapath_type=…</c>, one transaction) and returns it.</summary>
    /// <exception cref="NetNsException"><c>BridgeExists</c>, <c>BridgeDatapathFailed</c> (the bridge was removed again), or the fatal errors.</exception>
    public OvsBridge CreateBridge(string name, string datapathType)
    {
        var state = CreateBridges(new[] { new OvsNewBridge(name, datapathType, null, Array.Empty<OvsNewPort>()) }, OvsCommands.AddBridge(Connection, name, datapathType));
        return state.Bridges().FirstOrDefault(b => b.Name == name) ?? new OvsBridge(name, datapathType, Array.Empty<string>(), null, Remote);
    }

    /// <summary>
    /// Creates bridges with their ports in ONE transaction (<c>add-br</c> of each, <c>add-port</c> of each port: the Bridge rows
    /// with their internal Interface and Port rows, <c>datapath_type</c> and <c>external_ids</c>, <c>Open_vSwitch.bridges</c>
    /// mutated) and waits until ovs-vswitchd applied it; returns the state read afterwards. All or nothing: when ovs-vswitchd
    /// could not set up a bridge (no OpenFlow port on its own interface: <c>BridgeDatapathFailed</c>) or a port's device
    /// (ofport -1: <c>ConnectPortFailed</c>), every one of the bridges is removed again before the error is thrown.
    /// </summary>
    /// <param name="bridges">The bridges and their ports.</param>
    /// <param name="equivalent">The ovs-vsctl command line shown in -Verbose.</param>
    public OvsState CreateBridges(IReadOnlyList<OvsNewBridge> bridges, ToolCommand equivalent)
    {
        if (bridges.Count == 0) return GetState();
        var names = bridges.Select(b => b.Name).ToList();
        var portNames = bridges.SelectMany(b => b.Ports.Select(p => p.Name)).ToList();
        var state = Change(equivalent, "NewBridgeFailed", names[0], s =>
        {
            Commit(s, OvsDbWriter.AddBridgeOperations(bridges), equivalent, f => OvsDbWriter.AddBridgesError(f, names, portNames, Remote));
            return bridges.Count == 1 && portNames.Count == 0 ? OvsDbReader.ReadPartialState(s, Remote, names[0], names) : OvsDbReader.ReadState(s, Remote);
        });
        // ovs-vswitchd could not open the datapath: the bridge's own interface then has no OpenFlow port. Such a bridge passes no traffic.
        var broken = bridges.FirstOrDefault(b => state.FindInterface(b.Name) is not { OfPort: >= 0 });
        var names2 = portNames.ToHashSet(StringComparer.Ordinal);
        var failed = state.InterfaceRows.Where(i => names2.Contains(i.Name) && i.OfPort == -1).ToList();
        if (broken is null && failed.Count == 0) return state;
        RemoveIfExist(names, Array.Empty<string>());
        throw broken is not null
            ? OvsErrors.DatapathFailed(broken.Name, broken.DatapathType, state.FindInterface(broken.Name)?.Error)
            : OvsErrors.PortsFailed(failed, names.Count == 1 ? $"bridge '{names[0]}' with its ports" : $"bridges {string.Join(", ", names)} with their ports", "The bridges were removed again");
    }

    /// <summary>Removes a bridge and its ports (<c>del-br</c>). Throws <c>BridgeNotFound</c> when it does not exist.</summary>
    public void RemoveBridge(string name)
    {
        var cmd = OvsCommands.DeleteBridge(Connection, name);
        Change(cmd, "RemoveBridgeFailed", name, s =>
        {
            var uuid = OvsDbReader.BridgeUuids(s).GetValueOrDefault(name) ?? throw BridgeNotFound(name, "Name");
            return Commit(s, OvsDbWriter.DeleteBridgeOperations(new[] { uuid }), cmd, f => OvsErrors.Refused("RemoveBridgeFailed", $"remove Open vSwitch bridge '{name}'", f, name));
        });
    }

    /// <summary>
    /// Removes the bridges (with their ports) and the ports (from whichever bridge holds them) that exist, in ONE transaction,
    /// like <c>ovs-vsctl --if-exists del-port P -- --if-exists del-br B</c> (<see cref="OvsCommands.Teardown"/>); what does not
    /// exist is skipped.
    /// </summary>
    /// <exception cref="NetNsException"><c>RemoveOvsObjectsFailed</c>, or the fatal <c>OvsUnreachable</c> / <c>OvsTimeout</c>.</exception>
    /// <param name="bridges">Bridge names.</param>
    /// <param name="ports">Port names.</param>
    /// <param name="committed">Called once the removal is stored in the database (before ovs-vswitchd has applied it), e.g. to start other work alongside.</param>
    public void RemoveIfExist(IReadOnlyList<string> bridges, IReadOnlyList<string> ports, Action? committed = null)
    {
        if (OvsCommands.Teardown(Connection, bridges, ports) is not { } cmd) return;
        var target = bridges.Count > 0 ? bridges[0] : ports[0];
        Change(cmd, "RemoveOvsObjectsFailed", target, s =>
        {
            var gone = new HashSet<string>(bridges, StringComparer.Ordinal);
            var ops = new List<object>();
            if (ports.Count == 0)
            {
                // Bridges only (a lab's teardown): read just the bridges' uuids, not the whole database.
                var uuids = OvsDbReader.BridgeUuids(s).Where(b => gone.Contains(b.Key)).Select(b => b.Value).ToList();
                if (uuids.Count > 0) ops.AddRange(OvsDbWriter.DeleteBridgeOperations(uuids));
            }
            else
            {
                var state = OvsDbReader.ReadState(s, Remote);
                var bridgeUuids = state.BridgeRows.Where(b => gone.Contains(b.Name)).Select(b => b.Uuid).ToList();
                var portRows = ports.Distinct(StringComparer.Ordinal)
                    .Select(p => (Bridge: state.BridgeOfPort(p), Row: state.FindPort(p)))
                    .Where(x => x.Bridge is not null && x.Row is not null && !gone.Contains(x.Bridge))
                    .Select(x => (x.Bridge!, x.Row!.Name, x.Row.Uuid)).ToList();
                if (portRows.Count > 0) ops.AddRange(OvsDbWriter.DeletePortOperations(portRows, mustExist: false));
                if (bridgeUuids.Count > 0) ops.AddRange(OvsDbWriter.DeleteBridgeOperations(bridgeUuids));
            }
            return Commit(s, ops, cmd, f => OvsErrors.Refused("RemoveOvsObjectsFailed", "remove " + string.Join(", ", bridges.Concat(ports)), f, target), committed);
        });
    }

    /// <summary>
    /// Adds ports to a bridge in ONE transaction (atomic: on a failure nothing is stored), waits until ovs-vswitchd applied it,
    /// and returns the bridge and the ports read afterwards. When ovs-vswitchd could not set up a device (ofport -1), every one
    /// of <paramref name="ports"/> is removed again, so nothing half-built remains.
    /// </summary>
    /// <exception cref="NetNsException"><c>BridgeNotFound</c>, <c>PortExists</c>, <c>ConnectPortFailed</c>, or the fatal errors.</exception>
    public OvsState AddPorts(string bridge, IReadOnlyList<string> ports, OvsVlan? vlan)
    {
        if (ports.Count == 0) return GetState(bridge, ports);
        var cmd = OvsCommands.AddPorts(Connection, bridge, ports, vlan);
        var state = Change(cmd, "ConnectPortFailed", bridge, s =>
        {
            Commit(s, OvsDbWriter.AddPortOperations(bridge, ports, vlan), cmd, f => OvsDbWriter.AddPortsError(f, bridge, ports, Remote));
            return OvsDbReader.ReadPartialState(s, Remote, bridge, ports);
        });
        var names = new HashSet<string>(ports, StringComparer.Ordinal);
        var failed = state.InterfaceRows.Where(i => names.Contains(i.Name) && i.OfPort == -1).ToList();
        if (failed.Count == 0) return state;
        // ovs-vswitchd could not open a device (ofport -1): take the new ports out again.
        RemoveIfExist(Array.Empty<string>(), ports);
        throw OvsErrors.PortsFailed(failed, (ports.Count == 1 ? "port '" + ports[0] + "'" : ports.Count + " ports") + $" to bridge '{bridge}'", "The ports were removed again");
    }

    /// <summary>Removes ports in ONE transaction (<c>del-port BR P -- …</c>). Throws <c>PortNotFound</c> when one is not on its bridge (nothing removed then).</summary>
    public void RemovePorts(IReadOnlyList<(string Bridge, string Port)> ports)
    {
        if (ports.Count == 0) return;
        var cmd = OvsCommands.DeletePorts(Connection, ports);
        var what = string.Join(", ", ports.Select(p => p.Bridge + "/" + p.Port));
        Change(cmd, "DisconnectPortFailed", ports[0].Port, s =>
        {
            var state = OvsDbReader.ReadState(s, Remote);
            var rows = ports.Select(p =>
            {
                var row = state.FindPort(p.Port);
                if (row is null || state.BridgeOfPortUuid(row.Uuid) != p.Bridge) throw PortNotFound(p.Port, p.Bridge);
                return (p.Bridge, p.Port, row.Uuid);
            }).ToList();
            return Commit(s, OvsDbWriter.DeletePortOperations(rows, mustExist: true), cmd, f => f.Index < ports.Count
                ? PortNotFound(ports[f.Index].Port, ports[f.Index].Bridge)
                : OvsErrors.Refused("DisconnectPortFailed", "remove port(s) " + what, f, ports[0].Port));
        });
    }

    /// <summary>Sets the VLAN role of ports in ONE transaction. Throws <c>PortNotFound</c> when one does not exist (nothing changed then).</summary>
    public void SetVlan(IReadOnlyList<string> ports, OvsVlan vlan)
    {
        if (ports.Count == 0) return;
        var cmd = OvsCommands.SetVlan(Connection, ports, vlan);
        Change(cmd, "SetVlanFailed", ports[0], s => Commit(s, OvsDbWriter.SetVlanOperations(ports, vlan), cmd, f => f.Index < 2 * ports.Count && f.Index % 2 == 0
            ? PortNotFound(ports[f.Index / 2])
            : OvsErrors.Refused("SetVlanFailed", $"set {vlan} on port(s) {string.Join(", ", ports)}", f, ports[0])));
    }
}
