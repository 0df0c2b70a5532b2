using NetNs.Core.Errors;
using NetNs.Core.Ip;
using NetNs.Core.Netlink;
using NetNs.Core.Native;

namespace NetNs.Core.Lab;

/// <summary>One link change inside a namespace: set up, with an alias, and the addresses (CIDR) to add.</summary>
public sealed record LabLinkSetup(string Name, string? Alias, IReadOnlyList<string> Addresses);

/// <summary>
/// Applies the per-namespace part of a lab (links up with their owner-mark alias, addresses) through rtnetlink
/// (RFC 3549; RTM_NEWLINK with IFF_UP and IFLA_IFALIAS, RTM_NEWADDR with IFA_LOCAL/IFA_ADDRESS, built by the shared
/// <see cref="RtnlMessages"/> and sent through <see cref="RtnlSocket"/>) from one thread that
/// enters each namespace with setns(2): the same requests <c>ip -n NS -batch -</c> sends, without starting one
/// process per namespace. Kernel errors come back with their extended-ack text. ErrorId <c>LabBuildFailed</c>
/// with the kernel's category, naming the link or address.
/// </summary>
public static class LabNetlink
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
            throw new NetNsException("LabRemoveFailed", NetNsErrorCategory.ObjectNotFound, $"Cannot look into {IpClient.Describe(@namespace)}: {ex.Message}", @namespace, ex);
        }
    }

    private static void ApplyHere(string ns, IReadOnlyList<LabLinkSetup> links)
    {
        RtnlSocket s;
        try { s = RtnlSocket.Open(); }
        catch (RtnlException ex) { throw new NetNsException("LabBuildFailed", NetNsErrorCategory.InvalidResult, $"Cannot open a netlink socket in {IpClient.Describe(ns)}: {ex.Message}", ns); }
        using (s)
        {
            foreach (var l in links)
                Request(s, RtnlMessages.LinkUp(s.NextSeq(), l.Name, l.Alias), $"link '{l.Name}' in {IpClient.Describe(ns)}", IpClient.Target(ns, l.Name));
            foreach (var l in links)
            {
                if (l.Addresses.Count == 0) continue;
                var index = Rtnl.IndexOf(l.Name);
                if (index == 0) throw new NetNsException("LabBuildFailed", NetNsErrorCategory.ObjectNotFound, $"Cannot create address on link '{l.Name}' in {IpClient.Describe(ns)}: no such device", IpClient.Target(ns, l.Name));
                foreach (var a in l.Addresses)
                    Request(s, RtnlMessages.AddAddress(s.NextSeq(), (uint)index, a), $"address {a} on '{l.Name}' in {IpClient.Describe(ns)}", IpClient.Target(ns, l.Name));
            }
        }
    }

    private static void Request(RtnlSocket s, byte[] msg, string what, string target)
    {
        try { s.Request(msg); }
        catch (RtnlException ex) { throw new NetNsException("LabBuildFailed", ex.Category, $"Cannot create {what}: {ex.Message}", target); }
    }
}
