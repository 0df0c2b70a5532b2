using NetNs.Core.Context;
using NetNs.Core.Errors;
using NetNs.Core.Models;
using NetNs.Core.Netlink;
using NetNs.Core.Validation;

namespace NetNs.Core.Ip;

/// <summary>
/// Named network namespaces through the kernel seam: list (with netns ids and pids), create as <c>ip netns add</c> does,
/// and the kernel part of removal (<see cref="NamespaceRemoval"/> is the whole use case).
/// </summary>
internal sealed class NamespaceOps : KernelOps
{
    /// <summary>Creates the operations over <paramref name="context"/>.</summary>
    public NamespaceOps(NetNsContext context) : base(context) { }

    /// <summary>True when the named namespace exists.</summary>
    public bool Exists(string name) => Kernel.NamespaceExists(name);

    /// <summary>All named namespaces with their netns ids (as the root namespace sees them) and pids.</summary>
    public List<NetNamespace> GetNamespaces()
    {
        var names = Kernel.NamespaceNames();
        if (names.Count == 0) return new List<NetNamespace>();
        Announce(IpCommands.NetnsListId());
        var ids = new Dictionary<string, int?>(StringComparer.Ordinal);
        using (var root = Kernel.At(""))
            foreach (var n in names) ids[n] = root.NsIdOf(n);
        var pids = Kernel.ProcessesIn(names);
        var stale = names.Where(Kernel.IsStale).ToHashSet(StringComparer.Ordinal);
        var forwarding = new ForwardingOps(Context).Read(names.Where(n => !stale.Contains(n)).ToList());
        return names.Select(n => new NetNamespace(n, ids[n], pids[n], stale: stale.Contains(n),
            ipv4Forwarding: forwarding.TryGetValue(n, out var f) ? f.IPv4 : null, ipv6Forwarding: forwarding.TryGetValue(n, out var g) ? g.IPv6 : null)).ToList();
    }

    /// <summary>
    /// Creates a namespace as <c>ip netns add</c> does (in process: the shared mount of /run/netns the first time, unshare
    /// on a thread, bind mount) and gives it a netns id. Throws <c>NamespaceExists</c> when it exists.
    /// </summary>
    public NetNamespace CreateNamespace(string name)
    {
        Validate.NamespaceName(name);
        if (Kernel.NamespaceExists(name))
            throw new NetNsException("NamespaceExists", NetNsErrorCategory.ResourceExists, $"Namespace '{name}' already exists.", name);
        Announce(IpCommands.NetnsAdd(name), Process.InProcess.NetnsAdd);
        Kernel.CreateNamespace(name);
        // Give it a netns id in the root namespace right away (the kernel otherwise assigns one only when a veth
        // crosses), so that Get-NetNamespace always shows one: RTM_NEWNSID and RTM_GETNSID in process.
        Announce(IpCommands.NetnsSetId(name));
        return new NetNamespace(name, AssignNsId(name), Array.Empty<int>());
    }

    /// <summary>Gives namespace <paramref name="name"/> a netns id in the root namespace when it has none; null when it cannot be read. Never throws.</summary>
    public int? AssignNsId(string name)
    {
        try
        {
            using var root = Kernel.At("");
            return root.AssignNsId(name);
        }
        catch (NetNsException) { return null; }
    }

    /// <summary>
    /// The kernel part of removing a namespace so that it is really gone: refuses (<c>NamespaceInUse</c>,
    /// ResourceUnavailable) while processes run inside unless <paramref name="force"/>, which stops them (SIGTERM, then
    /// SIGKILL after <paramref name="killTimeout"/>); deletes its veth pairs (an RTM_GETLINK dump and an RTM_DELLINK of
    /// each veth inside the namespace, so their peers elsewhere vanish before this returns; the error for one already gone
    /// with its peer, and any other, is ignored as <c>ip -force -batch</c> did: deleting the namespace takes it anyway,
    /// only later); then what <c>ip netns del</c> does (umount, unlink) and its /etc/netns files. No process is started;
    /// the equivalent command lines are announced.
    /// </summary>
    public void RemoveKernelPart(string name, bool force, TimeSpan? killTimeout = null)
    {
        RequireNamespace(name, "Name");
        var pids = Kernel.ProcessesIn(new[] { name })[name];
        // A process only passing through (e.g. another tool's 'ip -n NAME …', which enters the namespace for a few
        // milliseconds) does not make the namespace in use: only pids still inside after a short wait count.
        for (var i = 0; i < 10 && pids.Count > 0; i++)
        {
            Context.Cancellation.ThrowIfCancellationRequested();
            Thread.Sleep(20);
            pids = pids.Intersect(Kernel.ProcessesIn(new[] { name })[name]).ToList();
        }
        if (pids.Count > 0)
        {
            if (!force)
                throw new NetNsException("NamespaceInUse", NetNsErrorCategory.ResourceUnavailable,
                    $"Namespace '{name}' still has processes running inside (pids {string.Join(", ", pids)}). Stop them, or use -Force to stop them and remove the namespace.", name);
            Kernel.StopProcesses(pids, killTimeout ?? TimeSpan.FromSeconds(5), Context.Cancellation);
        }
        var show = IpCommands.LinkShow(name);
        Announce(show);
        // The handle is closed before the namespace file goes: its socket would keep the namespace alive.
        using (var h = Kernel.At(name))
        {
            List<Kernel.KernelLink> veths;
            try { veths = h.Links().Where(l => l.Kind == "veth").ToList(); }
            catch (RtnlException ex)
            {
                throw KernelErrors.Refused(ex, show, "GetLinkFailed", name, $"Cannot list links in {LinkId.Describe(name)}", (NetNsErrorCategory.ObjectNotFound, "NamespaceNotFound"));
            }
            foreach (var v in veths)
            {
                Context.Cancellation.ThrowIfCancellationRequested();
                Announce(IpCommands.LinkDelete(name, v.Name));
                try { h.DeleteLink(v.Index); }
                catch (RtnlException) { /* ENODEV: gone with its peer; anything else: the namespace's deletion takes it */ }
            }
        }
        Announce(IpCommands.NetnsDelete(name), Process.InProcess.NetnsDelete);
        Kernel.DeleteNamespace(name);
        Dns.NamespaceDns.Remove(name);
    }
}
