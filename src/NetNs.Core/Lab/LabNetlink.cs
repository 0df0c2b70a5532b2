using System.Runtime.InteropServices;
using NetNs.Core.Errors;
using NetNs.Core.Ip;
using NetNs.Core.Netlink;

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
    private const int CloneNewNet = 0x40000000;

    [DllImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static extern int SetNs(int fd, int nstype);

    /// <summary>
    /// Applies <paramref name="work"/> (namespace → link changes, in order). All namespaces are visited even when one
    /// fails; the first failure is thrown afterwards.
    /// </summary>
    public static void Apply(IEnumerable<(string Namespace, IReadOnlyList<LabLinkSetup> Links)> work)
    {
        var items = work.ToList();
        if (items.Count == 0) return;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            Microsoft.Win32.SafeHandles.SafeFileHandle? home = null;
            try
            {
                home = File.OpenHandle("/proc/thread-self/ns/net");
                foreach (var (ns, links) in items)
                {
                    try
                    {
                        if (ns.Length > 0)
                        {
                            using var h = File.OpenHandle(Path.Combine(NetnsPids.RunDirectory, ns));
                            if (SetNs((int)h.DangerousGetHandle(), CloneNewNet) != 0)
                                throw new NetNsException("LabBuildFailed", NetNsErrorCategory.ObjectNotFound, $"Cannot enter namespace '{ns}': {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}", ns);
                        }
                        ApplyHere(ns, links);
                    }
                    catch (Exception ex) when (failure is null) { failure = ex; }
                    finally
                    {
                        if (ns.Length > 0 && SetNs((int)home.DangerousGetHandle(), CloneNewNet) != 0)
                            throw new InvalidOperationException("cannot return to the original network namespace");
                    }
                }
            }
            catch (Exception ex) { failure ??= ex; }
            finally { home?.Dispose(); }
        }) { IsBackground = true, Name = "netns-netlink" };
        thread.Start();
        thread.Join();
        if (failure is NetNsException ne) throw ne;
        if (failure is not null) throw new NetNsException("LabBuildFailed", NetNsErrorCategory.InvalidResult, "Netlink configuration failed: " + failure.Message, null, failure);
    }

    /// <summary>The names among <paramref name="names"/> that are interfaces in <paramref name="namespace"/> now (if_nametoindex there).</summary>
    public static List<string> ExistingLinks(string @namespace, IReadOnlyCollection<string> names)
    {
        var found = new List<string>();
        if (names.Count == 0) return found;
        if (@namespace.Length == 0)
        {
            found.AddRange(names.Where(n => Directory.Exists("/sys/class/net/" + n)));
            return found;
        }
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var h = File.OpenHandle(Path.Combine(NetnsPids.RunDirectory, @namespace));
                if (SetNs((int)h.DangerousGetHandle(), CloneNewNet) != 0) throw new IOException("setns failed");
                found.AddRange(names.Where(n => Rtnl.IndexOf(n) != 0));
            }
            catch (Exception ex) { failure = ex; }
        }) { IsBackground = true, Name = "netns-netlink-probe" };
        // The thread ends in the other namespace; it is never reused.
        thread.Start();
        thread.Join();
        if (failure is not null) throw new NetNsException("LabRemoveFailed", NetNsErrorCategory.ObjectNotFound, $"Cannot look into {IpClient.Describe(@namespace)}: {failure.Message}", @namespace, failure);
        return found;
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
