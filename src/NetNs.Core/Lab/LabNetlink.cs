using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using NetNs.Core.Errors;
using NetNs.Core.Ip;

namespace NetNs.Core.Lab;

/// <summary>One link change inside a namespace: set up, with an alias, and the addresses (CIDR) to add.</summary>
public sealed record LabLinkSetup(string Name, string? Alias, IReadOnlyList<string> Addresses);

/// <summary>
/// Applies the per-namespace part of a lab (links up with their owner-mark alias, addresses) through rtnetlink
/// (RFC 3549; RTM_NEWLINK with IFF_UP and IFLA_IFALIAS, RTM_NEWADDR with IFA_LOCAL/IFA_ADDRESS) from one thread that
/// enters each namespace with setns(2): the same requests <c>ip -n NS -batch -</c> sends, without starting one
/// process per namespace. Kernel errors come back with their extended-ack text. ErrorId <c>LabBuildFailed</c>
/// with the kernel's category, naming the link or address.
/// </summary>
public static class LabNetlink
{
    private const int AfNetlink = 16;
    private const int SockRaw = 3;
    private const int NetlinkRoute = 0;
    private const int SolNetlink = 270;
    private const int NetlinkCapAck = 10;
    private const int NetlinkExtAck = 11;
    private const int CloneNewNet = 0x40000000;
    private const ushort RtmNewLink = 16;
    private const ushort RtmNewAddr = 20;
    private const ushort NlmsgError = 2;
    private const ushort FRequest = 1, FAck = 4, FExcl = 0x200, FCreate = 0x400;
    private const ushort IflaIfname = 3, IflaIfalias = 20;
    private const ushort IfaAddress = 1, IfaLocal = 2;

    [DllImport("libc", EntryPoint = "socket", SetLastError = true)]
    private static extern int Socket(int domain, int type, int protocol);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);

    [DllImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static extern int SetNs(int fd, int nstype);

    [DllImport("libc", EntryPoint = "setsockopt", SetLastError = true)]
    private static extern unsafe int SetSockOpt(int fd, int level, int name, int* value, int len);

    [DllImport("libc", EntryPoint = "send", SetLastError = true)]
    private static extern unsafe nint Send(int fd, byte* buf, nint len, int flags);

    [DllImport("libc", EntryPoint = "recv", SetLastError = true)]
    private static extern unsafe nint Recv(int fd, byte* buf, nint len, int flags);

    [DllImport("libc", EntryPoint = "if_nametoindex", SetLastError = true)]
    private static extern uint IfNameToIndex(string name);

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
                found.AddRange(names.Where(n => IfNameToIndex(n) != 0));
            }
            catch (Exception ex) { failure = ex; }
        }) { IsBackground = true, Name = "netns-netlink-probe" };
        // The thread ends in the other namespace; it is never reused.
        thread.Start();
        thread.Join();
        if (failure is not null) throw new NetNsException("LabRemoveFailed", NetNsErrorCategory.ObjectNotFound, $"Cannot look into {IpClient.Describe(@namespace)}: {failure.Message}", @namespace, failure);
        return found;
    }

    private static unsafe void ApplyHere(string ns, IReadOnlyList<LabLinkSetup> links)
    {
        var fd = Socket(AfNetlink, SockRaw, NetlinkRoute);
        if (fd < 0) throw new NetNsException("LabBuildFailed", NetNsErrorCategory.InvalidResult, $"Cannot open a netlink socket in {IpClient.Describe(ns)}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}", ns);
        try
        {
            var one = 1;
            SetSockOpt(fd, SolNetlink, NetlinkCapAck, &one, sizeof(int));
            SetSockOpt(fd, SolNetlink, NetlinkExtAck, &one, sizeof(int));
            uint seq = 1;
            foreach (var l in links)
            {
                Request(fd, LinkUp(seq++, l.Name, l.Alias), $"link '{l.Name}' in {IpClient.Describe(ns)}", IpClient.Target(ns, l.Name));
            }
            foreach (var l in links)
            {
                if (l.Addresses.Count == 0) continue;
                var index = IfNameToIndex(l.Name);
                if (index == 0) throw new NetNsException("LabBuildFailed", NetNsErrorCategory.ObjectNotFound, $"Cannot create address on link '{l.Name}' in {IpClient.Describe(ns)}: no such device", IpClient.Target(ns, l.Name));
                foreach (var a in l.Addresses)
                    Request(fd, AddAddress(seq++, index, a), $"address {a} on '{l.Name}' in {IpClient.Describe(ns)}", IpClient.Target(ns, l.Name));
            }
        }
        finally { Close(fd); }
    }

    /// <summary>RTM_NEWLINK for an existing link by name: IFF_UP, and IFLA_IFALIAS when given.</summary>
    public static byte[] LinkUp(uint seq, string name, string? alias)
    {
        var m = new List<byte>();
        var body = new byte[16];
        // struct ifinfomsg: family 0, type 0, index 0 (by name), flags IFF_UP, change IFF_UP.
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(8), 1);
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(12), 1);
        m.AddRange(body);
        Attr(m, IflaIfname, Cstr(name));
        if (alias is not null) Attr(m, IflaIfalias, Cstr(alias));
        return Message(RtmNewLink, (ushort)(FRequest | FAck), seq, m);
    }

    /// <summary>RTM_NEWADDR (create, exclusive) of a CIDR address on interface <paramref name="index"/>.</summary>
    public static byte[] AddAddress(uint seq, uint index, string cidr)
    {
        var (ip, prefix) = Validation.Validate.Cidr(cidr);
        var bytes = ip.GetAddressBytes();
        var m = new List<byte>
        {
            (byte)(ip.AddressFamily == AddressFamily.InterNetwork ? 2 : 10), (byte)prefix, 0, 0,
        };
        var idx = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(idx, index);
        m.AddRange(idx);
        Attr(m, IfaLocal, bytes);
        Attr(m, IfaAddress, bytes);
        return Message(RtmNewAddr, (ushort)(FRequest | FAck | FCreate | FExcl), seq, m);
    }

    private static byte[] Cstr(string s) => Encoding.UTF8.GetBytes(s + "\0");

    private static void Attr(List<byte> m, ushort type, byte[] payload)
    {
        var len = (ushort)(4 + payload.Length);
        var h = new byte[4];
        BinaryPrimitives.WriteUInt16LittleEndian(h, len);
        BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(2), type);
        m.AddRange(h);
        m.AddRange(payload);
        while (m.Count % 4 != 0) m.Add(0);
    }

    private static byte[] Message(ushort type, ushort flags, uint seq, List<byte> payload)
    {
        var msg = new byte[16 + payload.Count];
        BinaryPrimitives.WriteUInt32LittleEndian(msg, (uint)msg.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(msg.AsSpan(4), type);
        BinaryPrimitives.WriteUInt16LittleEndian(msg.AsSpan(6), flags);
        BinaryPrimitives.WriteUInt32LittleEndian(msg.AsSpan(8), seq);
        payload.CopyTo(msg, 16);
        return msg;
    }

    private static unsafe void Request(int fd, byte[] msg, string what, string target)
    {
        fixed (byte* p = msg)
        {
            if (Send(fd, p, msg.Length, 0) < 0)
                throw new NetNsException("LabBuildFailed", NetNsErrorCategory.InvalidResult, $"Cannot create {what}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}", target);
        }
        var seq = BinaryPrimitives.ReadUInt32LittleEndian(msg.AsSpan(8));
        var buf = new byte[8192];
        while (true)
        {
            nint n;
            fixed (byte* b = buf) n = Recv(fd, b, buf.Length, 0);
            if (n < 0) throw new NetNsException("LabBuildFailed", NetNsErrorCategory.InvalidResult, $"Cannot create {what}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}", target);
            var off = 0;
            while (off + 16 <= n)
            {
                var len = (int)BinaryPrimitives.ReadUInt32LittleEndian(buf.AsSpan(off));
                var type = BinaryPrimitives.ReadUInt16LittleEndian(buf.AsSpan(off + 4));
                var flags = BinaryPrimitives.ReadUInt16LittleEndian(buf.AsSpan(off + 6));
                var rseq = BinaryPrimitives.ReadUInt32LittleEndian(buf.AsSpan(off + 8));
                if (len < 16) return;
                if (type == NlmsgError && rseq == seq)
                {
                    var error = BinaryPrimitives.ReadInt32LittleEndian(buf.AsSpan(off + 16));
                    if (error == 0) return;
                    var text = Marshal.GetPInvokeErrorMessage(-error);
                    var ext = (flags & 0x200) != 0 ? ExtAckMessage(buf.AsSpan(off + 36, Math.Max(0, len - 36))) : null;
                    var detail = ext is null ? text : $"{ext} ({text})";
                    throw new NetNsException("LabBuildFailed", KernelErrors.Classify(text), $"Cannot create {what}: {detail}", target);
                }
                off += (len + 3) & ~3;
            }
        }
    }

    private static string? ExtAckMessage(ReadOnlySpan<byte> tlvs)
    {
        var off = 0;
        while (off + 4 <= tlvs.Length)
        {
            var len = BinaryPrimitives.ReadUInt16LittleEndian(tlvs[off..]);
            var type = BinaryPrimitives.ReadUInt16LittleEndian(tlvs[(off + 2)..]);
            if (len < 4 || off + len > tlvs.Length) break;
            if (type == 1) return Encoding.UTF8.GetString(tlvs.Slice(off + 4, len - 4)).TrimEnd('\0');
            off += (len + 3) & ~3;
        }
        return null;
    }
}
