using NetNs.Core.Context;
using NetNs.Core.Errors;
using NetNs.Core.Ovs;

namespace NetNs.Core.Ip;

/// <summary>
/// Removing namespaces, the whole use case as one core operation: for each namespace, NetNs's DHCP servers and clients
/// inside are stopped (the context's DHCP service) and its kernel part removed (<see cref="NamespaceOps.RemoveKernelPart"/>);
/// then the Open vSwitch ports its veth pairs were are removed in one transaction (found while the pairs still exist; a
/// failure there is a warning), unless <see cref="KeepOvsPorts"/>. The caller confirms each namespace (ShouldProcess,
/// shown the command lines) and receives each failure.
/// </summary>
internal sealed class NamespaceRemoval
{
    private readonly NetNsContext _context;
    private readonly NamespaceOps _namespaces;

    /// <summary>Creates the operation over <paramref name="context"/>.</summary>
    public NamespaceRemoval(NetNsContext context)
    {
        _context = context;
        _namespaces = new NamespaceOps(context);
    }

    /// <summary>Stop the processes inside instead of refusing.</summary>
    public bool Force { get; init; }

    /// <summary>Leave the OVS ports of the namespaces' veth pairs (as ip netns del does).</summary>
    public bool KeepOvsPorts { get; init; }

    /// <summary>Asked (namespace, command lines) before each namespace is removed; false skips it.</summary>
    public Func<string, string, bool> Confirm { get; init; } = (_, _) => true;

    /// <summary>Receives the failure of one namespace; the others go on.</summary>
    public Action<NetNsException> Failed { get; init; } = ex => throw ex;

    /// <summary>Receives a problem that does not undo the removal (the OVS ports could not be removed).</summary>
    public Action<string> Warning { get; init; } = _ => { };

    /// <summary>Told (namespace, its position) before each namespace.</summary>
    public Action<string, int>? Progress { get; init; }

    /// <summary>Removes <paramref name="names"/> (duplicates once, in order).</summary>
    public void Run(IReadOnlyCollection<string> names)
    {
        var distinct = names.Distinct(StringComparer.Ordinal).ToList();
        var orphaned = new List<(string Bridge, string Port)>();
        var peered = KeepOvsPorts ? new Dictionary<string, List<(string Bridge, string Port)>>() : OvsPortsOf(distinct.Where(Existing).ToList());
        for (var i = 0; i < distinct.Count; i++)
        {
            var name = distinct[i];
            Progress?.Invoke(name, i);
            try
            {
                if (IsStale(name))
                {
                    // Nothing to stop or unplug behind a stale entry: what 'ip netns del' does (a detached unmount, unlink).
                    if (!Confirm(name, IpCommands.NetnsDelete(name).ToString())) continue;
                    _context.Trace(Process.InProcess.Line(IpCommands.NetnsDelete(name), Process.InProcess.NetnsDelete));
                    _context.Kernel.DeleteNamespace(name);
                    continue;
                }
                _namespaces.RequireNamespace(name, "Name");
                var ports = peered.GetValueOrDefault(name) ?? new List<(string Bridge, string Port)>();
                var action = IpCommands.NetnsDelete(name).ToString();
                if (ports.Count > 0 && OvsTeardownCommand(ports) is { } del) action += Environment.NewLine + del;
                if (!Confirm(name, action)) continue;
                _context.Dhcp.StopIn(new[] { name });
                try { new Nat.NatOps(_context).DisableIfAny(name); }
                catch (NetNsException ex) { Warning($"Namespace '{name}' had NAT; removing it failed: {ex.Message} Run Disable-NetNamespaceNat {name}."); }
                _namespaces.RemoveKernelPart(name, Force);
                orphaned.AddRange(ports);
            }
            catch (NetNsException ex) { Failed(ex); }
        }
        if (orphaned.Count == 0) return;
        try { RemoveOvsPorts(orphaned.Select(p => p.Port).Distinct(StringComparer.Ordinal).ToList()); }
        catch (NetNsException ex)
        {
            Warning($"The namespaces are removed, but their Open vSwitch port(s) {string.Join(", ", orphaned.Select(p => p.Bridge + "/" + p.Port))} could not be: {ex.Message} Remove them with Disconnect-OvsPort.");
        }
    }

    private bool IsStale(string name)
    {
        try
        {
            Validation.Validate.NamespaceName(name);
            return _context.Kernel.IsStale(name);
        }
        catch (NetNsException)
        {
            return false;
        }
    }

    private bool Existing(string name)
    {
        try
        {
            Validation.Validate.NamespaceName(name);
            return _namespaces.Exists(name);
        }
        catch (NetNsException)
        {
            return false;
        }
    }

    // --- The OVS calls of this use case, in one place (the OVSDB seam serves them) ---

    private OvsClient Ovs => new(_context);

    private Dictionary<string, List<(string Bridge, string Port)>> OvsPortsOf(IReadOnlyCollection<string> namespaces) => Ovs.PortsPeeredInto(namespaces);

    private Process.ToolCommand? OvsTeardownCommand(IEnumerable<(string Bridge, string Port)> ports) => OvsCommands.Teardown(_context.Ovs, Array.Empty<string>(), ports.Select(p => p.Port));

    private void RemoveOvsPorts(IReadOnlyList<string> ports) => Ovs.RemoveIfExist(Array.Empty<string>(), ports);
}
