using System.Text.Json;
using NetNs.Core.Errors;
using NetNs.Core.Ip;
using NetNs.Core.Ovs;
using NetNs.Core.Native;
using NetNs.Core.Process;

namespace NetNs.Core.Lab;

/// <summary>Where a lab's Open vSwitch lives and how the builder runs.</summary>
internal sealed class LabOptions
{
    /// <summary>The ovsdb socket path; null for the system database.</summary>
    public string? OvsSocket { get; init; }

    /// <summary>The namespace the ovs-vswitchd daemon runs in (bridge-port veth ends go there); "" for the root namespace.</summary>
    public string SwitchNamespace { get; init; } = "";

    /// <summary>Turn tx checksum offload off on the veth ends of netdev bridges (needed for UDP/DHCP there).</summary>
    public bool DisableChecksumOffload { get; init; } = true;
}

/// <summary>
/// Builds, reads and removes labs with batched work: the namespaces and veth pairs in process (what one
/// <c>ip -batch</c> in the root namespace does, <see cref="LabNetlink.CreateRoot"/>), the per-namespace changes as rtnetlink
/// requests from one thread entering each namespace (<see cref="LabNetlink"/>), one OVSDB transaction in process
/// (concurrently; <see cref="LabOvs"/>), and checksum offload through ioctls; its DHCP servers through the context's DHCP
/// service. Building is all-or-nothing: checks first, a record (State Building, creator pid)
/// before the first change, and on any failure everything built so far is removed and one <c>LabBuildFailed</c>
/// error names the failing object. ErrorIds: <c>LabExists</c> (ResourceExists), <c>LabNotFound</c> (ObjectNotFound),
/// <c>LabBuildFailed</c>, <c>LabRemoveFailed</c> (InvalidResult or the tool's category)), plus those of
/// <see cref="LabValidator"/>.
/// </summary>
internal sealed class LabBuilder
{
    private readonly Context.NetNsContext _context;
    private readonly IToolRunner _runner;
    private readonly CancellationToken _ct;

    /// <summary>Creates it over the context (runner, kernel seam, DHCP service, cancellation).</summary>
    internal LabBuilder(Context.NetNsContext context)
    {
        _context = context;
        _runner = context.Runner;
        _ct = context.Cancellation;
    }

    private ToolResult Run(ToolCommand c) => _runner.Run(c, _ct);

    /// <summary>The resolved datapath of each bridge ("system" or "netdev"; Auto as <see cref="OvsDatapath.Resolve"/> decides).</summary>
    public static Dictionary<string, string> ResolveDatapaths(LabDefinition d) =>
        d.Bridges.ToDictionary(b => b.Name, b => OvsDatapath.Resolve(b.DatapathType, out _));

    /// <summary>Reads what exists: namespaces, links of the switch namespace, OVS bridges and ports (when the lab has bridges).</summary>
    public LabInventory Inventory(LabDefinition d, LabOptions o)
    {
        var ns = _context.Kernel.NamespaceNames();
        var links = SwitchLinks(o.SwitchNamespace, "LabBuildFailed").Select(l => l.Name).ToList();
        var bridges = new List<string>();
        var ports = new List<string>();
        if (d.Bridges.Count > 0)
        {
            var state = LabOvs.Read(_context, o.OvsSocket);
            bridges.AddRange(state.BridgeRows.Select(x => x.Name));
            ports.AddRange(state.PortRows.Select(x => x.Name));
        }
        return new LabInventory(ns, links, bridges, ports);
    }

    /// <summary>Everything <see cref="Build"/> checks before it changes anything.</summary>
    public Dictionary<string, string> Check(LabDefinition d, LabOptions o)
    {
        LabValidator.Check(d);
        KernelOps.Require(_context.Kernel, o.SwitchNamespace, "SwitchNamespace");
        if (LabStore.Load(d.Name) is { } existing)
            throw new NetNsException("LabExists", NetNsErrorCategory.ResourceExists,
                $"Lab '{d.Name}' exists already (created by pid {existing.Pid}, status {StatusOf(existing)}). Remove it with Remove-NetLab, or sweep stale labs with Clear-NetLab; nothing was created.", d.Name);
        LabValidator.CheckCollisions(d, Inventory(d, o));
        return ResolveDatapaths(d);
    }

    /// <summary>"Active", "Building" or "Stale".</summary>
    public static string StatusOf(LabRecord r) => !LabStore.CreatorAlive(r) ? "Stale" : r.State == "Complete" ? "Active" : "Building";

    /// <summary>Builds a lab (all or nothing) and returns its summary.</summary>
    public NetLab Build(LabDefinition d, LabOptions o)
    {
        var datapaths = Check(d, o);
        var record = new LabRecord
        {
            Name = d.Name, State = "Building", Pid = Environment.ProcessId, PidStartTime = LabStore.ProcessStartTime(Environment.ProcessId) ?? 0,
            Created = DateTime.UtcNow, OvsSocket = o.OvsSocket, SwitchNamespace = o.SwitchNamespace, Datapaths = datapaths,
            Definition = JsonSerializer.SerializeToElement(LabDefinitionWriter.ToTree(d)),
        };
        // Claimed atomically: Check's look-up above gives the early, friendly error; this one closes the race with
        // another process that checked the same name at the same moment (it builds nothing and removes nothing).
        if (!LabStore.TryClaim(record))
            throw new NetNsException("LabExists", NetNsErrorCategory.ResourceExists,
                $"Lab '{d.Name}' exists already (another process created its record while this one was checking). Remove it with Remove-NetLab, or sweep stale labs with Clear-NetLab; nothing was created.", d.Name);
        // How many lines of the root batch ran: the namespaces and veth pairs of those lines are this process's own.
        // ip -batch stops at its first failing line, so when "netns add X" fails (X made by another process since the
        // check) the roll-back must not remove X, nor anything named after the failing line.
        var rootLines = LabCommands.RootBatchLines(d, o.SwitchNamespace);
        // How many of the root batch's objects (namespaces, then veth pairs) this build created: a roll-back removes only those.
        var rootDone = 0;
        try
        {
            LabNetlink.CreateRoot(_context, d, o.SwitchNamespace, done => rootDone = done);
            Task? ovs = null;
            if (LabCommands.OvsBuild(d, datapaths, o.OvsSocket) is { } ovsCmd)
            {
                // One OVSDB transaction for every bridge and port (in process), applied by ovs-vswitchd while the kernel part runs.
                var client = LabOvs.Client(_context, o.OvsSocket);
                var bridges = LabOvs.Bridges(d, datapaths);
                ovs = Task.Run(() => client.CreateBridges(bridges, ovsCmd), _ct);
            }
            var failures = new List<Exception>();
            var work = new List<(string, IReadOnlyList<LabLinkSetup>)>();
            if (o.SwitchNamespace.Length > 0 && LabCommands.SwitchSetups(d) is { Count: > 0 } sw) work.Add((o.SwitchNamespace, sw));
            work.AddRange(d.Namespaces.Select(n => (n.Name, (IReadOnlyList<LabLinkSetup>)LabCommands.NamespaceSetups(d, n.Name))));
            try { LabNetlink.Apply(_context, work); }
            catch (NetNsException ex) { failures.Add(ex); }
            if (o.DisableChecksumOffload)
            {
                var devices = new List<(string, string)>();
                foreach (var l in d.Links.Where(l => l.IsBridgeLink && datapaths[l.Bridge!] == "netdev"))
                {
                    devices.Add((l.Namespace, l.Name));
                    devices.Add((o.SwitchNamespace, l.PeerName));
                }
                try { ChecksumOffload.Disable(devices); }
                catch (NetNsException ex) { failures.Add(ex); }
            }
            if (ovs is not null)
            {
                try { ovs.GetAwaiter().GetResult(); }
                catch (NetNsException ex) { failures.Add(ex); }
            }
            if (failures.Count > 0) throw failures[0];
            LabNetlink.ApplyRouting(_context, d);
            foreach (var n in d.Namespaces.Where(n => n.Nat)) new Nat.NatOps(_context).Enable(n.Name, Nat.NatOps.LabInterface, null);
            foreach (var s in d.Dhcp) _context.Dhcp.StartLabServer(s);
            record.State = "Complete";
            LabStore.Save(record);
            return Summary(record, d);
        }
        catch (Exception ex) when (ex is NetNsException or OperationCanceledException)
        {
            var ownNs = d.Namespaces.Take(Math.Clamp(rootDone, 0, d.Namespaces.Count)).ToList();
            var ownNames = ownNs.Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
            var own = new LabDefinition(d.Name, d.Bridges, ownNs, d.Links.Take(Math.Clamp(rootDone - d.Namespaces.Count, 0, d.Links.Count)),
                d.Dhcp.Where(s => ownNames.Contains(s.Namespace)));
            // The build error is the one to report; a roll-back that could not remove everything is said in it, and the
            // record is kept so that Remove-NetLab (or Clear-NetLab once this process has ended) can finish the job.
            NetNsException? undo = null;
            try { Remove(record, rollback: true, own); }
            catch (NetNsException rex) { undo = rex; }
            if (ex is OperationCanceledException) throw;
            var ne = (NetNsException)ex;
            throw new NetNsException("LabBuildFailed", ne.Category, undo is null
                ? $"Lab '{d.Name}' was not built: {ne.Message} Everything created so far was removed."
                : $"Lab '{d.Name}' was not built: {ne.Message} The roll-back could not remove everything: {undo.Message} The record {LabStore.PathOf(d.Name)} is kept: Remove-NetLab {d.Name} finishes it.",
                ne.Target ?? d.Name, ne);
        }
    }

    /// <summary>The summary object of a record.</summary>
    public static NetLab Summary(LabRecord r, LabDefinition? d = null)
    {
        d ??= DefinitionOf(r);
        return new NetLab(r.Name, StatusOf(r), r.Pid, r.Created, d.Namespaces.Count, d.Bridges.Count, d.Links.Count, r.OvsSocket, r.SwitchNamespace, LabStore.PathOf(r.Name), d);
    }

    /// <summary>The definition stored in a record.</summary>
    public static LabDefinition DefinitionOf(LabRecord r) => LabDefinitionReader.FromJson(r.Definition.GetRawText(), r.Name);

    /// <summary>A lab's record, or <c>LabNotFound</c>.</summary>
    public static LabRecord Require(string name)
    {
        LabValidator.LabName(name);
        return LabStore.Load(name) ?? throw new NetNsException("LabNotFound", NetNsErrorCategory.ObjectNotFound,
            $"Lab '{name}' does not exist (no record under {LabStore.Directory}). List labs with Get-NetLab.", name);
    }

    /// <summary>
    /// Removes exactly the lab's objects: first one OVS transaction (del-br of its bridges, which takes their ports), and
    /// once it is committed, while ovs-vswitchd applies it, the kernel part: its DHCP servers and any NetNs DHCP client
    /// inside stopped, its namespaces deleted (in process: umount and unlink, as <c>ip netns del</c> does; every veth pair
    /// has an end in one, so the kernel removes all pairs in one batched clean-up), then a wait until the bridge-port ends
    /// are gone (those still there that carry the lab's mark are deleted); then its record. With <paramref name="rollback"/>
    /// (a failed build) unmarked ends are removed too, as the lab just created them.
    /// </summary>
    /// <param name="r">The lab's record.</param>
    /// <param name="rollback">A failed build: also unmarked ends, and only bridges carrying the lab's mark.</param>
    /// <param name="only">The part of the definition to remove (a roll-back: what this process created); null: all of it.</param>
    public void Remove(LabRecord r, bool rollback = false, LabDefinition? only = null)
    {
        var d = only ?? DefinitionOf(r);
        var errors = new List<NetNsException>();
        // OVS first: ovs-vswitchd's removal of the ports is the longest step, so it runs while the kernel part is done.
        // The kernel part starts once the transaction is committed (not before: the two would compete for the CPU while
        // the transaction is prepared), or when OVS fails or is slow to answer.
        Task? ovs = null;
        if (d.Bridges.Count > 0)
        {
            // Not disposed: the task may still set it after the wait timed out (it has no kernel handle unless one is asked for).
            var committed = new ManualResetEventSlim();
            var client = LabOvs.Client(_context, r.OvsSocket);
            var bridges = d.Bridges.Select(b => b.Name).ToList();
            ovs = Task.Run(() =>
            {
                try
                {
                    // A roll-back removes only the bridges carrying the lab's mark: a bridge of that name made by
                    // another process since the check (the build's add-br then failed) is not this lab's.
                    if (rollback)
                    {
                        var marked = LabOvs.Read(_context, r.OvsSocket).BridgeRows
                            .Where(b => b.ExternalIds.GetValueOrDefault(LabMarks.ExternalIdKey) == d.Name).Select(b => b.Name).ToHashSet(StringComparer.Ordinal);
                        bridges = bridges.Where(marked.Contains).ToList();
                    }
                    client.RemoveIfExist(bridges, Array.Empty<string>(), committed.Set);
                }
                finally { committed.Set(); }
            }, _ct);
            committed.Wait(TimeSpan.FromSeconds(2), _ct);
        }
        foreach (var s in d.Dhcp)
        {
            try { _context.Dhcp.StopLabServer(s); }
            catch (NetNsException ex) { errors.Add(ex); }
        }
        var mark = LabMarks.Alias(d.Name);
        var switchEnds = d.Links.Where(l => l.IsBridgeLink).Select(l => l.PeerName).ToHashSet(StringComparer.Ordinal);
        var existingNs = _context.Kernel.NamespaceNames().ToHashSet(StringComparer.Ordinal);
        var switchNsAlive = r.SwitchNamespace.Length == 0 || existingNs.Contains(r.SwitchNamespace);
        var namespaces = d.Namespaces.Select(n => n.Name).Where(existingNs.Contains).ToList();
        _context.Dhcp.StopIn(namespaces);
        foreach (var n in d.Namespaces.Where(n => n.Nat && existingNs.Contains(n.Name)))
        {
            try { new Nat.NatOps(_context).DisableIfAny(n.Name); }
            catch (NetNsException ex) { errors.Add(ex); }
        }
        errors.AddRange(LabNetlink.RemoveNamespaces(_context, namespaces));
        // The kernel deletes the pairs asynchronously: wait until the ends in the switch namespace are really gone, and
        // delete any that are not (only ends carrying the lab's mark).
        if (switchEnds.Count > 0 && switchNsAlive)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
            List<string> stillThere;
            while (true)
            {
                stillThere = SwitchEndsLeft(r.SwitchNamespace, switchEnds, null);
                if (stillThere.Count == 0 || DateTime.UtcNow > deadline) break;
                Thread.Sleep(5);
            }
            if (stillThere.Count > 0 && !rollback) stillThere = SwitchEndsLeft(r.SwitchNamespace, stillThere.ToHashSet(StringComparer.Ordinal), mark);
            errors.AddRange(LabNetlink.RemoveLinks(_context, r.SwitchNamespace, stillThere, "LabRemoveFailed"));
        }
        if (ovs is not null)
        {
            try { ovs.GetAwaiter().GetResult(); }
            catch (NetNsException ex) { errors.Add(ex); }
        }
        var left = d.Namespaces.Select(n => n.Name).Where(_context.Kernel.NamespaceExists).ToList();
        if (left.Count > 0)
            errors.Add(new NetNsException("LabRemoveFailed", NetNsErrorCategory.ResourceUnavailable, $"Namespace(s) {string.Join(", ", left)} of lab '{d.Name}' are still there.", left[0]));
        if (errors.Count > 0)
        {
            var e = errors[0];
            throw new NetNsException("LabRemoveFailed", e.Category, $"Lab '{d.Name}' was not removed completely: {e.Message}", e.Target ?? d.Name, e);
        }
        LabStore.Delete(d.Name);
    }

    /// <summary>The ends of <paramref name="ends"/> still present in the switch namespace (with the mark, unless <paramref name="mark"/> is null).</summary>
    private List<string> SwitchEndsLeft(string switchNamespace, HashSet<string> ends, string? mark)
    {
        // Cheap probe first (no process): which ends still exist at all.
        List<string> present;
        try { present = LabNetlink.ExistingLinks(_context, switchNamespace, ends); }
        catch (NetNsException) { return new List<string>(); }
        if (present.Count == 0 || mark is null) return present;
        try { return SwitchLinks(switchNamespace, "LabRemoveFailed").Where(l => ends.Contains(l.Name) && l.Alias == mark).Select(l => l.Name).ToList(); }
        catch (NetNsException) { return new List<string>(); }
    }

    /// <summary>The links of the switch namespace (an RTM_GETLINK dump there); <paramref name="errorId"/> when it cannot be read.</summary>
    private List<Kernel.KernelLink> SwitchLinks(string switchNamespace, string errorId)
    {
        try
        {
            using var h = _context.Kernel.At(switchNamespace);
            return h.Links();
        }
        catch (Netlink.RtnlException ex)
        {
            throw KernelErrors.Refused(ex, IpCommands.LinkShow(switchNamespace), errorId, switchNamespace, $"Cannot list the links of {LinkId.Describe(switchNamespace)}");
        }
    }
}
