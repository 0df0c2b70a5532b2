using NetNs.Core.Errors;
using NetNs.Core.Ip;
using NetNs.Core.Netlink;
using NetNs.Core.Native;

namespace NetNs.Core.Lab;

/// <summary>One link change inside a namespace: set up, with an alias, and the addresses (CIDR) to add.</summary>
public sealed record LabLinkSetup(string Name, string? Alias, IReadOnlyList<string> Addresses);

/// <summary>
/// Applies the per-namespace part of a lab (links up with their owner-mark alias, addresses; links without an IPv6
/// address get addrgenmode none first, IPv6 addresses are added nodad) through rtnetlink
/// (RFC 3549; RTM_NEWLINK with IFF_UP and IFLA_IFALIAS, RTM_NEWADDR with IFA_LOCAL/IFA_ADDRESS, built by the shared
/// <see cref="RtnlMessages"/> and sent through <see cref="RtnlSocket"/>) from one thread that
/// enters each namespace with setns(2): the same requests <c>ip -n NS -batch -</c> sends, without starting one
/// process per namespace. Kernel errors come back with their extended-ack text. ErrorId <c>LabBuildFailed</c>
/// with the kernel's category, naming the link or address.
/// </summary>
internal static class LabNetlink
{
    /// <summary>
    /// Applies <paramref name="work"/> (namespace → link changes, in order). All namespaces are visited even when one
    /// fails; the first failure is thrown afterwards.
    /// </summary>
    public static void Apply(IEnumerable<(string Namespace, IReadOnlyList<LabLinkSetup> Links)> work)
    {
        // One thread visits every namespace in turn (NetnsThread.RunEach) and goes on after a failure.
        var failures = NetnsThread.RunEach(work, w => w.Namespace, w => ApplyHere(w.Namespace, w.Links));
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
            catch (NetNsException ex) when (ex.ErrorId != "NamespaceNotFound") { errors.Add(ex); }
        }
        return errors;
    }

    /// <summary>The names among <paramref name="names"/> that are interfaces in <paramref name="namespace"/> now (if_nametoindex there).</summary>
    public static List<string> ExistingLinks(string @namespace, IReadOnlyCollection<string> names)
    {
        if (names.Count == 0) return new List<string>();
        if (@namespace.Length == 0) return names.Where(n => Directory.Exists("/sys/class/net/" + n)).ToList();
        try
        {
            return NetnsThread.Run(@namespace, () => names.Where(n => Rtnl.IndexOf(n) != 0).ToList());
        }
        catch (NetNsException ex)
        {
            throw new NetNsException("LabRemoveFailed", NetNsErrorCategory.ObjectNotFound, $"Cannot look into {LinkId.Describe(@namespace)}: {ex.Message}", @namespace, ex);
        }
    }

    private static void ApplyHere(string ns, IReadOnlyList<LabLinkSetup> links)
    {
        RtnlSocket s;
        try { s = RtnlSocket.Open(); }
        catch (RtnlException ex) { throw new NetNsException("LabBuildFailed", NetNsErrorCategory.InvalidResult, $"Cannot open a netlink socket in {LinkId.Describe(ns)}: {ex.Message}", ns); }
        using (s)
        {
            foreach (var l in links)
            {
                // A lab link without an IPv6 address gets no link-local one either (addrgenmode none, before it goes up): on a
                // userspace switch the DAD, router and MLD solicitations of hundreds of link-local addresses, flooded to every
                // port, delay the first ping by seconds. A kernel without IPv6 refuses the request; nothing to turn off then.
                if (l.Name != "lo" && !l.Addresses.Any(IsIPv6))
                {
                    try { s.Request(RtnlMessages.SetAddrGenMode(s.NextSeq(), l.Name)); }
                    catch (RtnlException ex) when (ex.Errno is 97 or 95 or 22) { /* EAFNOSUPPORT, EOPNOTSUPP, EINVAL: no IPv6 here */ }
                    catch (RtnlException ex) { throw new NetNsException("LabBuildFailed", ex.Category, $"Cannot set addrgenmode none on link '{l.Name}' in {LinkId.Describe(ns)}: {ex.Message}", new LinkId(ns, l.Name).Target); }
                }
                Request(s, RtnlMessages.LinkUp(s.NextSeq(), l.Name, l.Alias), $"link '{l.Name}' in {LinkId.Describe(ns)}", new LinkId(ns, l.Name).Target);
            }
            foreach (var l in links)
            {
                if (l.Addresses.Count == 0) continue;
                var index = Rtnl.IndexOf(l.Name);
                if (index == 0) throw new NetNsException("LabBuildFailed", NetNsErrorCategory.ObjectNotFound, $"Cannot create address on link '{l.Name}' in {LinkId.Describe(ns)}: no such device", new LinkId(ns, l.Name).Target);
                foreach (var a in l.Addresses)
                    // The validator has checked lab addresses unique: IPv6 ones are added without DAD (nodad), usable at once.
                    Request(s, RtnlMessages.AddAddress(s.NextSeq(), (uint)index, a, noDad: IsIPv6(a)), $"address {a} on '{l.Name}' in {LinkId.Describe(ns)}", new LinkId(ns, l.Name).Target);
            }
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
                foreach (var key in new[] { NamespaceSysctl.Ipv4Forwarding, NamespaceSysctl.Ipv6Forwarding })
                    context.Trace(Process.InProcess.Line(NamespaceSysctl.WriteCommand(n.Name, key, "1"), Process.InProcess.Sysctl));
            foreach (var r in specs[n.Name]) context.Trace(Process.InProcess.Line(Routes.RouteOps.Command(n.Name, r, "add"), Process.InProcess.Rtnetlink));
        }
        var failures = NetnsThread.RunEach(work, n => n.Name, n =>
        {
            if (n.Forwarding)
            {
                NamespaceSysctl.Write(n.Name, NamespaceSysctl.Ipv4Forwarding, "1");
                NamespaceSysctl.Write(n.Name, NamespaceSysctl.Ipv6Forwarding, "1");
            }
            if (specs[n.Name].Count == 0) return;
            using var s = RtnlSocket.Open();
            foreach (var r in specs[n.Name])
            {
                int? index = r.Interface is null ? null : Rtnl.IndexOf(r.Interface);
                try { s.Request(RtnlMessages.NewRoute(s.NextSeq(), r, index)); }
                catch (RtnlException ex)
                {
                    throw new NetNsException("LabBuildFailed", ex.Category, $"Cannot add the route {string.Join(' ', r.IpArguments("add"))} in {LinkId.Describe(n.Name)}: {ex.Message}", new LinkId(n.Name, r.DestinationText).Target);
                }
            }
        }, stopAtFirst: true);
        if (failures.Count == 0) return;
        var (_, failure) = failures[0];
        if (failure is NetNsException ne) throw ne;
        throw new NetNsException("LabBuildFailed", NetNsErrorCategory.InvalidResult, "Routing configuration failed: " + failure.Message, null, failure);
    }

    private static void Request(RtnlSocket s, byte[] msg, string what, string target)
    {
        try { s.Request(msg); }
        catch (RtnlException ex) { throw new NetNsException("LabBuildFailed", ex.Category, $"Cannot create {what}: {ex.Message}", target); }
    }
}
