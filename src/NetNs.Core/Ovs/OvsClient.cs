using NetNs.Core.Errors;
using NetNs.Core.Ip;
using NetNs.Core.Models;
using NetNs.Core.Native;
using NetNs.Core.Netlink;
using NetNs.Core.Process;
using NetNs.Core.Validation;

namespace NetNs.Core.Ovs;

/// <summary>Which datapath a new bridge uses.</summary>
public enum OvsDatapathType
{
    /// <summary>The kernel datapath when the <c>openvswitch</c> module is loaded (/sys/module/openvswitch), else netdev.</summary>
    Auto,
    /// <summary>The kernel datapath (<c>datapath_type=system</c>); needs the openvswitch kernel module.</summary>
    System,
    /// <summary>The userspace datapath in ovs-vswitchd (<c>datapath_type=netdev</c>); works without the kernel module.</summary>
    Netdev,
}

/// <summary>
/// Open vSwitch bridges, ports and VLANs. Reads, and adding, removing and re-tagging ports and removing bridges, go to
/// ovsdb-server over its unix socket in process (<see cref="OvsDbReader"/>, <see cref="OvsDbWriter"/>: the transactions
/// <c>ovs-vsctl</c> sends, waiting for ovs-vswitchd as it does); creating bridges, and any database that is not a unix
/// socket, run <c>ovs-vsctl</c> (many ports in one transaction either way). Validates before it changes anything and throws <see cref="NetNsException"/>; an unreachable database
/// or a switch daemon that does not answer is fatal (<c>OvsUnreachable</c>, <c>OvsTimeout</c>).
/// </summary>
public sealed class OvsClient
{
    private readonly IToolRunner _runner;
    private readonly CancellationToken _ct;

    /// <summary>Creates a client for <paramref name="connection"/> (default: <see cref="OvsConnection.Current"/>).</summary>
    public OvsClient(IToolRunner runner, OvsConnection? connection = null, CancellationToken cancellationToken = default)
    {
        _runner = runner;
        Connection = connection ?? OvsConnection.Current;
        _ct = cancellationToken;
    }

    /// <summary>Appended to a command line in -Verbose when NetNs read the same state in process (OVSDB JSON-RPC) instead of running it.</summary>
    public const string InProcessMark = "   (in process: OVSDB JSON-RPC)";

    /// <summary>The database this client talks to.</summary>
    public OvsConnection Connection { get; }

    /// <summary>True when the openvswitch kernel module is loaded.</summary>
    public static bool KernelModuleLoaded => Directory.Exists("/sys/module/openvswitch");

    /// <summary>Picks the datapath: Auto means <c>system</c> with the kernel module, else <c>netdev</c>. <paramref name="reason"/> says why.</summary>
    public static string ResolveDatapath(OvsDatapathType type, out string reason)
    {
        switch (type)
        {
            case OvsDatapathType.System:
                reason = "datapath 'system' (kernel) as requested";
                return "system";
            case OvsDatapathType.Netdev:
                reason = "datapath 'netdev' (userspace) as requested";
                return "netdev";
            default:
                if (KernelModuleLoaded)
                {
                    reason = "datapath 'system' (kernel): /sys/module/openvswitch exists";
                    return "system";
                }
                reason = "datapath 'netdev' (userspace in ovs-vswitchd): the openvswitch kernel module is not loaded (no /sys/module/openvswitch)";
                return "netdev";
        }
    }

    /// <summary>Runs an ovs-vsctl command; turns an unreachable database or a timeout into a fatal error.</summary>
    public ToolResult Run(ToolCommand command)
    {
        var r = _runner.Run(command, _ct);
        if (!r.Succeeded) ThrowIfUnreachable(r);
        return r;
    }

    /// <summary>Throws <c>OvsUnreachable</c> (ConnectionError) or <c>OvsTimeout</c> (OperationTimeout), both fatal, when the result says so.</summary>
    public void ThrowIfUnreachable(ToolResult r)
    {
        var err = r.StandardError.Trim();
        var db = Connection.EffectiveDatabase;
        var fix = $"Start the Open vSwitch daemons with '{OvsConnection.OvsCtl} start' (as root), or point NetNs at another instance with 'Set-OvsConnection -Database unix:/path/to/db.sock'.";
        if (err.Contains("database connection failed", StringComparison.Ordinal) || err.Contains("Connection refused", StringComparison.Ordinal))
            throw new NetNsException("OvsUnreachable", NetNsErrorCategory.ConnectionError,
                $"Cannot reach the Open vSwitch database at {db} ({err}). {fix}", db) { IsFatal = true };
        if (r.ExitCode == 142 || err.Contains("(Alarm clock)", StringComparison.Ordinal))
            throw TimeoutError(r.Command.ToString());
    }

    /// <summary>The fatal <c>OvsTimeout</c> (OperationTimeout): the database or ovs-vswitchd did not answer within the timeout.</summary>
    public NetNsException TimeoutError(string command)
    {
        var db = Connection.EffectiveDatabase;
        return new NetNsException("OvsTimeout", NetNsErrorCategory.OperationTimeout,
            $"Open vSwitch at {db} did not answer within {Connection.TimeoutSeconds} seconds (is ovs-vswitchd running? a change may have been stored but not applied). " +
            $"Start the Open vSwitch daemons with '{OvsConnection.OvsCtl} start' (as root), or point NetNs at another instance with 'Set-OvsConnection -Database unix:/path/to/db.sock'. (command: {command})", db) { IsFatal = true };
    }

    /// <summary>Bridges, ports and interfaces in one read.</summary>
    public OvsState GetState()
    {
        // A unix socket is read in process (OVSDB JSON-RPC select) when the real runner is in use (a scripted runner sees
        // every command); anything else, or a failure, runs ovs-vsctl, which reports why.
        var cmd = OvsCommands.ListState(Connection);
        if (_runner is CliWrapToolRunner && OvsDbReader.TryReadState(Connection.EffectiveDatabase, Connection.TimeoutSeconds) is { } state)
        {
            _runner.CommandStarting?.Invoke(cmd + InProcessMark);
            return state;
        }
        var r = Run(cmd);
        r.ThrowIfFailed("OvsQueryFailed", Connection.EffectiveDatabase, "Cannot read the Open vSwitch database");
        return OvsJson.ParseState(r.StandardOutput, Connection.EffectiveDatabase);
    }

    /// <summary>
    /// The state adding <paramref name="names"/> to <paramref name="bridge"/> needs: in process, only that bridge and the named
    /// ports and interfaces (selects by name, so the cost does not grow with the ports of the bridge); the whole state when
    /// one of the names is a port of another bridge (to name that bridge), or when it cannot be read in process.
    /// </summary>
    public OvsState GetState(string bridge, IReadOnlyCollection<string> names)
    {
        if (_runner is CliWrapToolRunner && names.Count > 0)
        {
            try
            {
                using var session = OvsDbSession.TryOpen(Connection.EffectiveDatabase, Connection.TimeoutSeconds, _ct);
                if (session is not null)
                {
                    var state = OvsDbReader.ReadPartialState(session, Connection.EffectiveDatabase, bridge, names);
                    var own = state.FindBridge(bridge)?.PortUuids.ToHashSet(StringComparer.Ordinal);
                    if (state.PortRows.All(p => own?.Contains(p.Uuid) == true))
                    {
                        _runner.CommandStarting?.Invoke(OvsCommands.ListState(Connection) + InProcessMark);
                        return state;
                    }
                }
            }
            catch (Exception ex) when (OvsDbSession.IsExchangeFailure(ex))
            {
            }
        }
        return GetState();
    }

    /// <summary>
    /// The ports whose device is a veth end in the switch namespace with its peer in one of <paramref name="namespaces"/>,
    /// by that namespace: the ports that would be left without a device (OVS keeps them, with an error) once those
    /// namespaces are removed. In process (the OVSDB state over its socket, then on one thread in the switch namespace the
    /// namespaces' netns ids and one RTM_GETLINK dump); best effort: empty when OVS cannot be read this way within 2 seconds
    /// or has no ports.
    /// </summary>
    public Dictionary<string, List<(string Bridge, string Port)>> PortsPeeredInto(IReadOnlyCollection<string> namespaces)
    {
        var result = new Dictionary<string, List<(string Bridge, string Port)>>(StringComparer.Ordinal);
        if (namespaces.Count == 0 || _runner is not CliWrapToolRunner) return result;
        if (OvsDbReader.TryReadState(Connection.EffectiveDatabase, Math.Min(2, Connection.TimeoutSeconds)) is not { } state) return result;
        var byInterface = state.Ports().ToDictionary(p => p.Interface, p => (p.Bridge, Port: p.Name), StringComparer.Ordinal);
        if (byInterface.Count == 0) return result;
        var handles = new List<(string Namespace, Microsoft.Win32.SafeHandles.SafeFileHandle Handle)>();
        try
        {
            foreach (var n in namespaces)
            {
                try { handles.Add((n, Rtnl.OpenNamespace(n))); }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NetNsException) { }
            }
            var found = Rtnl.In(Connection.SwitchNamespace, s =>
            {
                var ids = new Dictionary<int, string>();
                foreach (var (n, h) in handles)
                {
                    try
                    {
                        if (RtnlMessages.ParseNsId(s.Query(RtnlMessages.GetNsId(s.NextSeq(), (int)h.DangerousGetHandle()), RtnlMessages.RtmNewNsId)) is { } id and >= 0)
                            ids[id] = n;
                    }
                    catch (RtnlException) { }
                }
                if (ids.Count == 0) return new List<(string Namespace, string Link)>();
                return s.Dump(RtnlMessages.GetLinks(s.NextSeq()), RtnlMessages.RtmNewLink)
                    .Select(m => RtnlMessages.ParseLink(m))
                    .Where(l => l is { Kind: "veth", LinkNetnsId: { } peerNs } && ids.ContainsKey(peerNs) && byInterface.ContainsKey(l.Name))
                    .Select(l => (ids[l!.LinkNetnsId!.Value], l.Name)).ToList();
            });
            foreach (var (n, link) in found)
            {
                if (!result.TryGetValue(n, out var list)) result[n] = list = new List<(string Bridge, string Port)>();
                list.Add(byInterface[link]);
            }
        }
        catch (Exception ex) when (ex is RtnlException or NetNsException or IOException or UnauthorizedAccessException) { }
        finally
        {
            foreach (var (_, h) in handles) h.Dispose();
        }
        return result;
    }

    /// <summary>The <c>ovs_version</c> of the instance (also a reachability check).</summary>
    public string? GetVersion()
    {
        var r = Run(OvsCommands.Version(Connection));
        r.ThrowIfFailed("OvsQueryFailed", Connection.EffectiveDatabase, "Cannot read the Open vSwitch database");
        return OvsJson.ParseVersion(r.StandardOutput);
    }

    /// <summary>The error for a missing bridge.</summary>
    public NetNsException BridgeNotFound(string name, string parameter = "Bridge") =>
        new("BridgeNotFound", NetNsErrorCategory.ObjectNotFound,
            $"Open vSwitch bridge '{name}' (-{parameter}) does not exist in {Connection.EffectiveDatabase}. List bridges with Get-OvsBridge.", name);

    /// <summary>The error for a missing port.</summary>
    public NetNsException PortNotFound(string name, string? bridge = null) =>
        new("PortNotFound", NetNsErrorCategory.ObjectNotFound,
            bridge is null
                ? $"No Open vSwitch bridge in {Connection.EffectiveDatabase} has a port '{name}'. List ports with Get-OvsPort."
                : $"Bridge '{bridge}' has no port '{name}'. List ports with Get-OvsPort -Bridge {bridge}.", name);

    /// <summary>Checks a new bridge before anything is changed: name, not an existing bridge, no kernel link of that name.</summary>
    public void ValidateNewBridge(string name, OvsState state)
    {
        Validate.InterfaceName(name, "Name");
        if (state.FindBridge(name) is not null)
            throw new NetNsException("BridgeExists", NetNsErrorCategory.ResourceExists, $"Open vSwitch bridge '{name}' already exists in {Connection.EffectiveDatabase}.", name);
        if (state.BridgeOfPort(name) is { } owner)
            throw new NetNsException("BridgeExists", NetNsErrorCategory.ResourceExists, $"'{name}' is already a port of Open vSwitch bridge '{owner}'; a bridge needs a name of its own.", name);
        if (new IpClient(_runner, _ct).LinkExists("", name))
            throw new NetNsException("LinkExists", NetNsErrorCategory.ResourceExists,
                $"A network interface '{name}' already exists in the root namespace; the bridge's internal interface needs that name. Pick another bridge name.", name);
    }

    /// <summary>Creates a bridge (<c>add-br NAME -- set Bridge NAME datapath_type=…</c>, one transaction).</summary>
    public OvsBridge CreateBridge(string name, string datapathType)
    {
        var r = Run(OvsCommands.AddBridge(Connection, name, datapathType));
        if (!r.Succeeded)
        {
            // Undo a bridge that was stored although ovs-vswitchd could not set it up (any other failure stored nothing).
            if (StoredDespiteFailure(r)) Run(OvsCommands.Transaction(Connection, new[] { new[] { "--if-exists", "del-br", name } }));
            r.ThrowIfFailed("NewBridgeFailed", name, $"Cannot create Open vSwitch bridge '{name}'", (NetNsErrorCategory.ResourceExists, "BridgeExists"));
        }
        var state = GetState();
        // ovs-vsctl exits 0 even when ovs-vswitchd could not open the datapath ("Error detected while setting up"):
        // the bridge's own interface then has no OpenFlow port. Such a bridge passes no traffic: undo it and say why.
        var own = state.InterfaceRows.FirstOrDefault(i => i.Name == name);
        if (r.StandardError.Contains("Error detected while setting up", StringComparison.Ordinal) || own is null || own.OfPort is null or < 0)
        {
            Run(OvsCommands.Transaction(Connection, new[] { new[] { "--if-exists", "del-br", name } }));
            var hint = datapathType == "netdev" && Directory.Exists("/sys/class/net/ovs-netdev")
                ? " Without the openvswitch kernel module a host has ONE userspace datapath, and another Open vSwitch instance owns it (interface 'ovs-netdev' exists): remove that instance's netdev bridges, or point NetNs at it with Set-OvsConnection."
                : " See the ovs-vswitchd log.";
            throw new NetNsException("BridgeDatapathFailed", NetNsErrorCategory.ResourceUnavailable,
                $"ovs-vswitchd could not set up bridge '{name}' (datapath type {datapathType}); the bridge was removed again. {r.StandardError.Trim()}{hint}", name);
        }
        return state.Bridges().FirstOrDefault(b => b.Name == name) ?? new OvsBridge(name, datapathType, Array.Empty<string>(), null, Connection.EffectiveDatabase);
    }

    /// <summary>Removes a bridge and its ports (<c>del-br</c>). Throws <c>BridgeNotFound</c> when it does not exist.</summary>
    public void RemoveBridge(string name)
    {
        var cmd = OvsCommands.DeleteBridge(Connection, name);
        var done = TryInProcess(cmd, "RemoveBridgeFailed", name, session =>
        {
            var uuid = OvsDbReader.BridgeUuids(session).GetValueOrDefault(name) ?? throw BridgeNotFound(name, "Name");
            return OvsDbWriter.DeleteBridgeOperations(new[] { uuid });
        }, f => new NetNsException("RemoveBridgeFailed", NetNsErrorCategory.InvalidOperation, $"Cannot remove Open vSwitch bridge '{name}': OVSDB refused the transaction ({f.Error}{(f.Details is null ? "" : ": " + f.Details)}).", name));
        if (done is not null) return;
        Run(cmd).ThrowIfFailed("RemoveBridgeFailed", name, $"Cannot remove Open vSwitch bridge '{name}'",
            (NetNsErrorCategory.ObjectNotFound, "BridgeNotFound"));
    }

    /// <summary>
    /// Removes the bridges (with their ports) and the ports (from whichever bridge holds them) that exist, in ONE transaction,
    /// like <c>ovs-vsctl --if-exists del-port P -- --if-exists del-br B</c> (<see cref="OvsCommands.Teardown"/>); what does not
    /// exist is skipped. In process over a unix socket, else that ovs-vsctl command.
    /// </summary>
    /// <exception cref="NetNsException"><c>RemoveOvsObjectsFailed</c>, or the fatal <c>OvsUnreachable</c> / <c>OvsTimeout</c>.</exception>
    /// <param name="bridges">Bridge names.</param>
    /// <param name="ports">Port names.</param>
    /// <param name="committed">Called once the removal is stored in the database (before ovs-vswitchd has applied it), e.g. to start other work alongside.</param>
    public void RemoveIfExist(IReadOnlyList<string> bridges, IReadOnlyList<string> ports, Action? committed = null)
    {
        if (OvsCommands.Teardown(Connection, bridges, ports) is not { } cmd) return;
        var target = bridges.Count > 0 ? bridges[0] : ports[0];
        var done = TryInProcess(cmd, "RemoveOvsObjectsFailed", target, session =>
        {
            var gone = new HashSet<string>(bridges, StringComparer.Ordinal);
            if (ports.Count == 0)
            {
                // Bridges only (a lab's teardown): read just the bridges' uuids, not the whole database.
                var uuids = OvsDbReader.BridgeUuids(session).Where(b => gone.Contains(b.Key)).Select(b => b.Value).ToList();
                return uuids.Count == 0 ? new List<object>() : OvsDbWriter.DeleteBridgeOperations(uuids);
            }
            var state = OvsDbReader.ReadState(session, Connection.EffectiveDatabase);
            var bridgeUuids = state.BridgeRows.Where(b => gone.Contains(b.Name)).Select(b => b.Uuid).ToList();
            var portRows = ports.Distinct(StringComparer.Ordinal)
                .Select(p => (Bridge: state.BridgeOfPort(p), Row: state.PortRows.FirstOrDefault(r => r.Name == p)))
                .Where(x => x.Bridge is not null && x.Row is not null && !gone.Contains(x.Bridge))
                .Select(x => (x.Bridge!, x.Row!.Name, x.Row.Uuid)).ToList();
            var ops = new List<object>();
            if (portRows.Count > 0) ops.AddRange(OvsDbWriter.DeletePortOperations(portRows, mustExist: false));
            if (bridgeUuids.Count > 0) ops.AddRange(OvsDbWriter.DeleteBridgeOperations(bridgeUuids));
            return ops;
        }, f => new NetNsException("RemoveOvsObjectsFailed", NetNsErrorCategory.InvalidOperation, $"Cannot remove {string.Join(", ", bridges.Concat(ports))}: OVSDB refused the transaction ({f.Error}).", target), committed);
        if (done is not null) return;
        committed?.Invoke();
        Run(cmd).ThrowIfFailed("RemoveOvsObjectsFailed", target, $"Cannot remove {string.Join(", ", bridges.Concat(ports))}");
    }

    /// <summary>
    /// Runs a change in process (<see cref="OvsDbWriter.TryCommit"/>) when the real runner is in use, showing
    /// <paramref name="equivalent"/> in -Verbose with <see cref="InProcessMark"/>. Null when it could not connect before sending
    /// anything (or a scripted runner is in use): the caller runs <paramref name="equivalent"/> instead.
    /// </summary>
    private OvsDbWriter.CommitResult? TryInProcess(ToolCommand equivalent, string errorId, object target,
        Func<OvsDbSession, IReadOnlyList<object>> operations, Func<(int Index, string Error, string? Details), NetNsException> refused, Action? committed = null,
        Func<OvsDbSession, OvsState>? readAfter = null)
    {
        if (_runner is not CliWrapToolRunner) return null;
        try
        {
            return OvsDbWriter.TryCommit(Connection, operations, "NetNs: " + equivalent, refused, () => _runner.CommandStarting?.Invoke(equivalent + InProcessMark), _ct, committed, readAfter);
        }
        catch (TimeoutException)
        {
            throw TimeoutError(equivalent + InProcessMark);
        }
        catch (Exception ex) when (OvsDbSession.IsExchangeFailure(ex))
        {
            throw new NetNsException(errorId, NetNsErrorCategory.ConnectionError,
                $"The Open vSwitch database at {Connection.EffectiveDatabase} broke off the exchange ({ex.Message}) while NetNs ran the equivalent of '{equivalent}'; the change may have been stored.", target, ex);
        }
    }

    /// <summary>
    /// Adds ports to a bridge in ONE transaction (atomic: on a failure nothing is stored) and waits until ovs-vswitchd applied it.
    /// Over a unix socket with the real runner this is done in process (<see cref="OvsDbWriter"/>, the transaction ovs-vsctl
    /// sends, shown in -Verbose as the equivalent ovs-vsctl line) and returns the state read afterwards; otherwise it runs
    /// ovs-vsctl and returns null. When ovs-vswitchd could not set up a device after the commit, every one of
    /// <paramref name="ports"/> that got stored is removed again, so nothing half-built remains.
    /// </summary>
    public OvsState? AddPorts(string bridge, IReadOnlyList<string> ports, OvsVlan? vlan)
    {
        if (ports.Count == 0) return null;
        var cmd = OvsCommands.AddPorts(Connection, bridge, ports, vlan);
        string what() => ports.Count == 1 ? "port '" + ports[0] + "'" : ports.Count + " ports";
        var done = TryInProcess(cmd, "ConnectPortFailed", bridge, _ => OvsDbWriter.AddPortOperations(bridge, ports, vlan),
            f => OvsDbWriter.AddPortsError(f, bridge, ports, Connection.EffectiveDatabase),
            readAfter: session => OvsDbReader.ReadPartialState(session, Connection.EffectiveDatabase, bridge, ports));
        if (done is not null)
        {
            var names = new HashSet<string>(ports, StringComparer.Ordinal);
            var state = done.State!;
            var failed = state.InterfaceRows.Where(i => names.Contains(i.Name) && i.OfPort == -1).ToList();
            if (failed.Count == 0) return state;
            // ovs-vswitchd could not open a device (ofport -1): take the new ports out again, as after a failed ovs-vsctl.
            RemoveIfExist(Array.Empty<string>(), ports);
            var text = string.Join("; ", failed.Select(f => $"Error detected while setting up '{f.Name}': {f.Error ?? "ofport -1"}"));
            throw new NetNsException("ConnectPortFailed", KernelErrors.Classify(failed[0].Error ?? ""),
                $"Cannot add {what()} to bridge '{bridge}': {text}. The ports were removed again; see the ovs-vswitchd log.", failed[0].Name);
        }
        var r = Run(cmd);
        if (r.Succeeded) return null;
        var ex2 = r.ToException("ConnectPortFailed", bridge, $"Cannot add {what()} to bridge '{bridge}'",
            (NetNsErrorCategory.ResourceExists, "PortExists"), (NetNsErrorCategory.ObjectNotFound, "BridgeNotFound"));
        if (StoredDespiteFailure(r))
        {
            var state = GetState();
            var stored = ports.Where(p => state.BridgeOfPort(p) == bridge).Select(p => (bridge, p)).ToList();
            if (stored.Count > 0) Run(OvsCommands.DeletePorts(Connection, stored, ifExists: true));
        }
        throw ex2;
    }

    /// <summary>
    /// True when ovs-vsctl failed AFTER its transaction committed: ovs-vswitchd could not set up an interface
    /// ("Error detected while setting up"). Any other failure (e.g. "already exists") committed nothing.
    /// </summary>
    public static bool StoredDespiteFailure(ToolResult r) =>
        !r.Succeeded && r.StandardError.Contains("Error detected while setting up", StringComparison.Ordinal);

    /// <summary>Removes ports in ONE transaction (<c>del-port BR P -- …</c>). Throws <c>PortNotFound</c> when one is not on its bridge (nothing removed then).</summary>
    public void RemovePorts(IReadOnlyList<(string Bridge, string Port)> ports)
    {
        if (ports.Count == 0) return;
        var cmd = OvsCommands.DeletePorts(Connection, ports);
        var done = TryInProcess(cmd, "DisconnectPortFailed", ports[0].Port, session =>
        {
            var state = OvsDbReader.ReadState(session, Connection.EffectiveDatabase);
            return OvsDbWriter.DeletePortOperations(ports.Select(p =>
            {
                var row = state.PortRows.FirstOrDefault(r => r.Name == p.Port);
                if (row is null || state.BridgeOfPort(p.Port) != p.Bridge) throw PortNotFound(p.Port, p.Bridge);
                return (p.Bridge, p.Port, row.Uuid);
            }).ToList(), mustExist: true);
        }, f => f.Index < ports.Count
            ? PortNotFound(ports[f.Index].Port, ports[f.Index].Bridge)
            : new NetNsException("DisconnectPortFailed", NetNsErrorCategory.InvalidOperation, $"Cannot remove port(s) {string.Join(", ", ports.Select(p => p.Bridge + "/" + p.Port))}: OVSDB refused the transaction ({f.Error}).", ports[0].Port));
        if (done is not null) return;
        Run(cmd).ThrowIfFailed("DisconnectPortFailed", ports[0].Port,
            $"Cannot remove port(s) {string.Join(", ", ports.Select(p => p.Bridge + "/" + p.Port))}", (NetNsErrorCategory.ObjectNotFound, "PortNotFound"));
    }

    /// <summary>Sets the VLAN role of ports in ONE transaction. Throws <c>PortNotFound</c> when one does not exist (nothing changed then).</summary>
    public void SetVlan(IReadOnlyList<string> ports, OvsVlan vlan)
    {
        if (ports.Count == 0) return;
        var cmd = OvsCommands.SetVlan(Connection, ports, vlan);
        var done = TryInProcess(cmd, "SetVlanFailed", ports[0], _ => OvsDbWriter.SetVlanOperations(ports, vlan),
            f => f.Index < 2 * ports.Count && f.Index % 2 == 0
                ? PortNotFound(ports[f.Index / 2])
                : new NetNsException("SetVlanFailed", NetNsErrorCategory.InvalidOperation, $"Cannot set {vlan} on port(s) {string.Join(", ", ports)}: OVSDB refused the transaction ({f.Error}{(f.Details is null ? "" : ": " + f.Details)}).", ports[0]));
        if (done is not null) return;
        Run(cmd).ThrowIfFailed("SetVlanFailed", ports[0],
            $"Cannot set {vlan} on port(s) {string.Join(", ", ports)}", (NetNsErrorCategory.ObjectNotFound, "PortNotFound"));
    }

    /// <summary>
    /// Turns tx checksum offload off (what <c>ethtool -K DEV tx off</c> does) for each (namespace, device), in process:
    /// the SIOCETHTOOL ioctl, on a thread that joined the namespace with setns(2) — no process per device. Returns the
    /// failures instead of throwing: the ports exist either way.
    /// Not cancelled by Ctrl+C: the ports are already connected, and stopping half-way would leave some veth ends with
    /// offload on (UDP and TCP across a netdev bridge would then fail on them).
    /// </summary>
    public List<string> DisableTxOffload(IEnumerable<(string Namespace, string Device)> devices)
        => ChecksumOffload.DisableAll(devices).Select(ex => ex.Message).ToList();

    /// <summary>
    /// Interface name → bridge name, for marking links that are OVS ports (Get-NetLink). Read in process (OVSDB JSON-RPC) with
    /// the real runner, else with ovs-vsctl. Best effort: null when the database socket does not exist, ovs-vsctl is missing or
    /// OVS does not answer within 2 seconds; never throws.
    /// </summary>
    public static Dictionary<string, string>? TryGetPortBridges(IToolRunner runner, OvsConnection connection, CancellationToken cancellationToken = default)
    {
        var db = connection.EffectiveDatabase;
        if (db.StartsWith("unix:", StringComparison.Ordinal) && !File.Exists(db.Substring(5))) return null;
        var quick = new OvsConnection(connection.Database, Math.Min(2, connection.TimeoutSeconds));
        if (runner is CliWrapToolRunner && OvsDbReader.TryReadState(db, quick.TimeoutSeconds) is { } read)
            return read.BridgesByInterface();
        try
        {
            var r = runner.Run(OvsCommands.ListState(quick), cancellationToken);
            return r.Succeeded ? OvsJson.ParseState(r.StandardOutput, db).BridgesByInterface() : null;
        }
        catch (NetNsException) { return null; }
        catch (FormatException) { return null; }
        catch (System.Text.Json.JsonException) { return null; }
    }
}
