using NetNs.Core.Errors;
using NetNs.Core.Ip;
using NetNs.Core.Process;

namespace NetNs.Core.Lab;

/// <summary>
/// Finds and removes what crashed lab scripts left behind. A lab is stale when the process that created it is gone
/// (pid and start time); an object is an orphan when it carries a NetNs owner mark (the <c>netns-lab:NAME</c> alias
/// on a namespace's <c>lo</c> or on a veth end, <c>external_ids:netns-lab=NAME</c> on an OVS bridge or port) naming
/// a lab that has no record or a stale one. Objects without a NetNs mark are never touched.
/// </summary>
internal sealed class LabSweeper
{
    private readonly Context.NetNsContext _context;
    private readonly IToolRunner _runner;
    private readonly CancellationToken _ct;

    /// <summary>Creates it over the context (runner, kernel seam, DHCP service, cancellation).</summary>
    internal LabSweeper(Context.NetNsContext context)
    {
        _context = context;
        _runner = context.Runner;
        _ct = context.Cancellation;
    }

    /// <summary>Called with a description of each removal before it runs; return false to skip it (ShouldProcess).</summary>
    public Func<NetLabSweepItem, bool>? Confirm { get; set; }

    /// <summary>Reports problems that do not stop the sweep (an unreachable OVS, a failed removal).</summary>
    public Action<NetNsException>? Warn { get; set; }

    private bool Ok(NetLabSweepItem item) => Confirm?.Invoke(item) ?? true;

    /// <summary>
    /// Sweeps: stale labs (whole, from their records), then orphan namespaces, veth ends and OVS bridges/ports.
    /// </summary>
    /// <param name="ovsSockets">OVS databases to scan besides the system one and those named in records (null = system).</param>
    /// <param name="switchNamespaces">Namespaces where bridge-port ends may live besides the root namespace.</param>
    /// <param name="labFilter">Only labs whose name matches (null: all).</param>
    public List<NetLabSweepItem> Sweep(IEnumerable<string?> ovsSockets, IEnumerable<string> switchNamespaces, Func<string, bool>? labFilter = null)
    {
        var removed = new List<NetLabSweepItem>();
        var problems = new List<NetNsException>();
        var records = LabStore.LoadAll(problems);
        LabStore.RemoveStaleTempFiles(labFilter);
        var alive = records.Where(LabStore.CreatorAlive).Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        bool Orphan(string? lab) => lab is not null && !alive.Contains(lab) && (labFilter?.Invoke(lab) ?? true);
        var builder = new LabBuilder(_context);
        foreach (var r in records.Where(r => !alive.Contains(r.Name) && (labFilter?.Invoke(r.Name) ?? true)))
        {
            var item = new NetLabSweepItem(r.Name, "Lab", "", r.Name, $"creator pid {r.Pid} is gone");
            if (!Ok(item)) continue;
            try { builder.Remove(r); removed.Add(item); }
            catch (NetNsException ex) { Warn?.Invoke(ex); }
        }

        // Orphan namespaces: lo carries the mark.
        var nsOrphans = new List<NetLabSweepItem>();
        foreach (var ns in _context.Kernel.NamespaceNames())
        {
            string? lab;
            try
            {
                using var h = _context.Kernel.At(ns);
                lab = LabMarks.LabOfAlias(h.Link("lo")?.Alias);
            }
            catch (Exception ex) when (ex is NetNsException or Netlink.RtnlException) { continue; }
            if (Orphan(lab)) nsOrphans.Add(new NetLabSweepItem(lab!, "Namespace", ns, ns, "no live lab record"));
        }

        // Orphan veth ends in the root namespace and the switch namespaces.
        var linkOrphans = new List<NetLabSweepItem>();
        foreach (var sw in new[] { "" }.Concat(switchNamespaces).Concat(records.Select(r => r.SwitchNamespace)).Distinct(StringComparer.Ordinal))
        {
            if (sw.Length > 0 && !_context.Kernel.NamespaceExists(sw)) continue;
            List<Kernel.KernelLink> links;
            try
            {
                using var h = _context.Kernel.At(sw);
                links = h.Links();
            }
            catch (Exception ex) when (ex is NetNsException or Netlink.RtnlException) { continue; }
            foreach (var l in links)
            {
                var lab = LabMarks.LabOfAlias(l.Alias);
                if (l.Name != "lo" && Orphan(lab)) linkOrphans.Add(new NetLabSweepItem(lab!, "Link", sw, l.Name, "no live lab record"));
            }
        }

        // Orphan OVS bridges and ports.
        foreach (var socket in new string?[] { null }.Concat(ovsSockets).Concat(records.Select(r => r.OvsSocket)).Distinct())
        {
            if (socket is not null && !File.Exists(socket)) continue;
            Ovs.OvsState state;
            try { state = LabOvs.Read(_context, socket); }
            catch (NetNsException ex) { if (socket is not null) Warn?.Invoke(ex); continue; }
            var delBr = new List<string>();
            var delPort = new List<string>();
            foreach (var b in state.BridgeRows)
            {
                var lab = b.ExternalIds.GetValueOrDefault(LabMarks.ExternalIdKey);
                var item = new NetLabSweepItem(lab ?? "", "Bridge", "", b.Name, "no live lab record");
                if (Orphan(lab) && Ok(item)) { delBr.Add(b.Name); removed.Add(item); }
            }
            foreach (var p in state.PortRows.Where(p => state.BridgeOfPortUuid(p.Uuid) is not { } owner || !delBr.Contains(owner)))
            {
                var lab = p.ExternalIds.GetValueOrDefault(LabMarks.ExternalIdKey);
                var item = new NetLabSweepItem(lab ?? "", "Port", "", p.Name, "no live lab record");
                if (Orphan(lab) && Ok(item)) { delPort.Add(p.Name); removed.Add(item); }
            }
            try { LabOvs.Client(_context, socket).RemoveIfExist(delBr, delPort); }
            catch (NetNsException ex)
            {
                Warn?.Invoke(new NetNsException("LabSweepFailed", ex.Category, $"Cannot remove orphan OVS objects at {socket ?? "the system database"}: {ex.Message}", socket ?? "db.sock", ex));
            }
        }

        foreach (var group in linkOrphans.Where(Ok).GroupBy(i => i.Namespace))
        {
            foreach (var e in LabNetlink.RemoveLinks(_context, group.Key, group.Select(i => i.Name).ToList(), "LabSweepFailed")) Warn?.Invoke(e);
            removed.AddRange(group);
        }
        var nsToDelete = nsOrphans.Where(Ok).ToList();
        _context.Dhcp.StopIn(nsToDelete.Select(n => n.Name).ToList());
        foreach (var e in LabNetlink.RemoveNamespaces(_context, nsToDelete.Select(i => i.Name).ToList())) Warn?.Invoke(e);
        // A lab namespace that had NAT leaves its host-side rule and link when it goes: remove those of namespaces now gone.
        if (nsToDelete.Count > 0)
        {
            try { new Nat.NatOps(_context).SweepGone(); }
            catch (NetNsException e) { Warn?.Invoke(e); }
        }
        removed.AddRange(nsToDelete);
        // Unreadable records (truncated, not JSON): their objects were swept above by their marks (no readable record
        // keeps the lab alive); the file goes too.
        foreach (var ex in problems.Where(e => e.ErrorId == "LabRecordCorrupt" && e.Target is string))
        {
            var path = (string)ex.Target!;
            var lab = LabStore.NameOfPath(path);
            var item = new NetLabSweepItem(lab, "Record", "", path, "unreadable lab record");
            if (!(labFilter?.Invoke(lab) ?? true) || !Ok(item)) continue;
            try { File.Delete(path); removed.Add(item); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            { Warn?.Invoke(new NetNsException("LabSweepFailed", NetNsErrorCategory.PermissionDenied, $"Cannot remove the unreadable lab record '{path}': {e.Message}", path)); }
        }
        // Records of labs whose objects are all gone now.
        foreach (var r in records.Where(r => !alive.Contains(r.Name) && (labFilter?.Invoke(r.Name) ?? true) && LabStore.Load(r.Name) is not null))
            Warn?.Invoke(new NetNsException("LabSweepIncomplete", NetNsErrorCategory.ResourceUnavailable, $"Stale lab '{r.Name}' could not be removed completely; its record is kept.", r.Name));
        return removed;
    }
}
