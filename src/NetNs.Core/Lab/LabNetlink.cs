using NetNs.Core.Errors;
using NetNs.Core.Ip;
using NetNs.Core.Netlink;

namespace NetNs.Core.Lab;

/// <summary>One link change inside a namespace: set up, with an alias, and the addresses (CIDR) to add.</summary>
public sealed record LabLinkSetup(string Name, string? Alias, IReadOnlyList<string> Addresses, bool LinkLocal = false);

/// <summary>
/// The kernel part of labs through the context's kernel seam. Applies the per-namespace part of a lab (links up with
/// their owner-mark alias, addresses; a link without an IPv6 address gets addrgenmode none before it goes up, IPv6
/// addresses are added nodad) through rtnetlink (RFC 3549; RTM_NEWLINK with IFF_UP and IFLA_IFALIAS, RTM_NEWADDR
/// with IFA_LOCAL/IFA_ADDRESS) from one thread that enters each namespace in turn (<see cref="Kernel.IKernel.InEach"/>):
/// the same requests <c>ip -n NS -batch -</c> sends, without starting one process per namespace. Kernel errors come back
/// with their extended-ack text. ErrorId <c>LabBuildFailed</c> with the kernel's category, naming the link or address.
/// Also deletes a lab's links and namespaces, and probes which links are left.
/// </summary>
internal static class LabNetlink
{
    /// <summary>
    /// Creates a lab's namespaces and veth pairs (each end directly in its namespace) and, when the switch is in the root
    /// namespace, brings the bridge-port ends up with the lab's mark: what the <c>ip -batch -</c> of
    /// <see cref="LabCommands.RootBatch"/> does, in process (the namespaces as <c>ip netns add</c> makes them, one
    /// RTM_NEWLINK per pair from the root namespace), announced as that command line. Stops at the first failure:
    /// <c>LabBuildFailed</c> with the kernel's category, naming the object.
    /// </summary>
    public static void CreateRoot(Context.NetNsContext context, LabDefinition d, string switchNamespace, Action<int>? created = null)
    {
        if (LabCommands.RootBatchLines(d, switchNamespace).Count == 0) return;
        context.Trace(Process.InProcess.Line(LabCommands.RootBatch(d, switchNamespace), Process.InProcess.NetnsAdd + ", " + Process.InProcess.Rtnetlink));
        // created(n): the first n objects of the batch (namespaces, then pairs) exist and are this build's own.
        var count = 0;
        foreach (var n in d.Namespaces)
        {
            try { context.Kernel.CreateNamespace(n.Name); }
            catch (NetNsException ex) { throw new NetNsException("LabBuildFailed", ex.Category, ex.Message, $"namespace '{n.Name}'", ex); }
            created?.Invoke(++count);
        }
        using var root = context.Kernel.At("");
        foreach (var l in d.Links)
        {
            var what = $"veth pair '{l.Name}'/'{l.PeerName}' (namespace '{l.Namespace}')";
            try { Request(() => root.AddVeth(l.Name, l.Namespace, l.PeerName, l.PeerNamespace ?? switchNamespace, l.Mtu), what, what); }
            catch (IOException ex) { throw new NetNsException("LabBuildFailed", NetNsErrorCategory.ObjectNotFound, $"Cannot create {what}: {ex.Message}", what, ex); }
            created?.Invoke(++count);
        }
        if (switchNamespace.Length == 0) ApplyHere(root, LabCommands.SwitchSetups(d));
    }

    /// <summary>
    /// Applies <paramref name="work"/> (namespace → link changes, in order). All namespaces are visited even when one
    /// fails; the first failure is thrown afterwards.
    /// </summary>
    public static void Apply(Context.NetNsContext context, IEnumerable<(string Namespace, IReadOnlyList<LabLinkSetup> Links)> work)
    {
        var failures = context.Kernel.InEach(work, w => w.Namespace, (w, h) => ApplyHere(h, w.Links));
        if (failures.Count == 0) return;
        var (item, failure) = failures[0];
        if (failure is NetNsException { ErrorId: "NamespaceNotFound" or "SetnsFailed" } enter)
            throw new NetNsException("LabBuildFailed", NetNsErrorCategory.ObjectNotFound, enter.Message, item.Namespace, enter);
        if (failure is NetNsException ne) throw ne;
        throw new NetNsException("LabBuildFailed", NetNsErrorCategory.InvalidResult, "Netlink configuration failed: " + failure.Message, null, failure);
    }

    /// <summary>
    /// Deletes links of one namespace in process (an RTM_DELLINK each; one already gone is no error), announcing the
    /// <c>ip -force -batch</c> it replaces; returns the failures as <paramref name="errorId"/>.
    /// </summary>
    public static List<NetNsException> RemoveLinks(Context.NetNsContext context, string @namespace, IReadOnlyCollection<string> names, string errorId)
    {
        var errors = new List<NetNsException>();
        if (LabCommands.SwitchTeardown(@namespace, names) is not { } equivalent) return errors;
        context.Trace(Process.InProcess.Line(equivalent, Process.InProcess.Rtnetlink));
        try
        {
            using var h = context.Kernel.At(@namespace);
            foreach (var n in names)
            {
                try { h.DeleteLink(n); }
                catch (RtnlException ex) when (ex.Errno != 19)
                {
                    errors.Add(KernelErrors.Refused(ex, IpCommands.LinkDelete(@namespace, n), errorId, new LinkId(@namespace, n).Target, "Removal step failed"));
                }
            }
        }
        catch (NetNsException ex) { errors.Add(ex); }
        return errors;
    }

    /// <summary>
    /// Deletes namespaces in process as <c>ip netns del</c> does (umount, unlink), announcing the <c>ip -force -batch</c>
    /// it replaces; one already gone is no error. Returns the failures.
    /// </summary>
    public static List<NetNsException> RemoveNamespaces(Context.NetNsContext context, IReadOnlyCollection<string> namespaces)
    {
        var errors = new List<NetNsException>();
        if (LabCommands.RootTeardown(Array.Empty<string>(), namespaces) is not { } equivalent) return errors;
        context.Trace(Process.InProcess.Line(equivalent, Process.InProcess.NetnsDelete));
        foreach (var n in namespaces)
        {
            try { context.Kernel.DeleteNamespace(n); }
            catch (NetNsException ex) { if (ex.ErrorId != "NamespaceNotFound") errors.Add(ex); } // one already gone is no error
        }
        return errors;
    }

    /// <summary>The names among <paramref name="names"/> that are interfaces in <paramref name="namespace"/> now.</summary>
    public static List<string> ExistingLinks(Context.NetNsContext context, string @namespace, IReadOnlyCollection<string> names)
    {
        if (names.Count == 0) return new List<string>();
        try
        {
            using var h = context.Kernel.At(@namespace);
            return names.Where(n => h.Link(n) is not null).ToList();
        }
        catch (NetNsException ex)
        {
            throw new NetNsException("LabRemoveFailed", NetNsErrorCategory.ObjectNotFound, $"Cannot look into {LinkId.Describe(@namespace)}: {ex.Message}", @namespace, ex);
        }
    }

    private static void ApplyHere(Kernel.IKernelHandle h, IReadOnlyList<LabLinkSetup> links)
    {
        var ns = h.Namespace;
        foreach (var l in links)
        {
            // A lab link without an IPv6 address gets no link-local one either (addrgenmode none, before it goes up): on a
            // userspace switch the DAD, router and MLD solicitations of hundreds of link-local addresses, flooded to every
            // port, delay the first ping by seconds. A kernel without IPv6 refuses the request; nothing to turn off then.
            if (l.Name != "lo" && !l.LinkLocal && !l.Addresses.Any(IsIPv6))
            {
                try { h.SetAddrGenModeNone(l.Name); }
                catch (RtnlException ex) when (ex.Errno is 97 or 95 or 22) { /* EAFNOSUPPORT, EOPNOTSUPP, EINVAL: no IPv6 here */ }
                catch (RtnlException ex) { throw new NetNsException("LabBuildFailed", ex.Category, $"Cannot set addrgenmode none on link '{l.Name}' in {LinkId.Describe(ns)}: {ex.Message}", new LinkId(ns, l.Name).Target); }
            }
            Request(() => h.SetLink(l.Name, true, null, null, null, l.Alias), $"link '{l.Name}' in {LinkId.Describe(ns)}", new LinkId(ns, l.Name).Target);
        }
        foreach (var l in links)
        {
            if (l.Addresses.Count == 0) continue;
            if (h.Link(l.Name) is null) throw new NetNsException("LabBuildFailed", NetNsErrorCategory.ObjectNotFound, $"Cannot create address on link '{l.Name}' in {LinkId.Describe(ns)}: no such device", new LinkId(ns, l.Name).Target);
            // The validator has checked lab addresses unique: IPv6 ones are added without DAD (nodad), usable at once.
            foreach (var a in l.Addresses)
                Request(() => h.AddAddress(l.Name, a, IsIPv6(a)), $"address {a} on '{l.Name}' in {LinkId.Describe(ns)}", new LinkId(ns, l.Name).Target);
        }
    }

    private static bool IsIPv6(string cidr) => cidr.Contains(':');

    /// <summary>
    /// The routing part of a lab, once its addresses stand: forwarding on in its routers (the namespace's own
    /// net.ipv4.ip_forward and net.ipv6.conf.all.forwarding) and every namespace's routes (RTM_NEWROUTE as
    /// <c>ip -n NS route add</c> sends it), from ONE thread that visits each namespace; the equivalent command lines are
    /// traced first. The first failure is thrown as <c>LabBuildFailed</c> naming the route.
    /// </summary>
    public static void ApplyRouting(Context.NetNsContext context, LabDefinition d)
    {
        var work = d.Namespaces.Where(n => n.Forwarding || n.Routes.Count > 0).ToList();
        if (work.Count == 0) return;
        var specs = work.ToDictionary(n => n.Name, n => n.Routes.Select(r => Routes.RouteSpec.Create(r.Destination, r.Gateway, r.Interface, r.Metric is { } m ? (uint)m : null, null, null, requireNextHop: true)).ToList());
        foreach (var n in work)
        {
            if (n.Forwarding)
                foreach (var key in new[] { Native.NamespaceSysctl.Ipv4Forwarding, Native.NamespaceSysctl.Ipv6Forwarding })
                    context.Trace(Process.InProcess.Line(Native.NamespaceSysctl.WriteCommand(n.Name, key, "1"), Process.InProcess.Sysctl));
            foreach (var r in specs[n.Name]) context.Trace(Process.InProcess.Line(Routes.RouteOps.Command(n.Name, r, "add"), Process.InProcess.Rtnetlink));
        }
        var failures = context.Kernel.InEach(work, n => n.Name, (n, h) =>
        {
            if (n.Forwarding)
            {
                h.WriteSysctl(Native.NamespaceSysctl.Ipv4Forwarding, "1");
                h.WriteSysctl(Native.NamespaceSysctl.Ipv6Forwarding, "1");
            }
            foreach (var r in specs[n.Name])
            {
                try { h.AddRoute(r); }
                catch (RtnlException ex)
                {
                    throw new NetNsException("LabBuildFailed", ex.Category, $"Cannot add the route {string.Join(' ', r.IpArguments("add"))} in {LinkId.Describe(n.Name)}: {ex.Message}", new LinkId(n.Name, r.DestinationText).Target);
                }
            }
        });
        if (failures.Count == 0) return;
        var (_, failure) = failures[0];
        if (failure is NetNsException ne) throw ne;
        throw new NetNsException("LabBuildFailed", NetNsErrorCategory.InvalidResult, "Routing configuration failed: " + failure.Message, null, failure);
    }

    private static void Request(Action request, string what, string target)
    {
        try { request(); }
        catch (RtnlException ex) { throw new NetNsException("LabBuildFailed", ex.Category, $"Cannot create {what}: {ex.Message}", target); }
    }
}
