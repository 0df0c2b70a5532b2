using System.Runtime.InteropServices;
using System.Text;
using NetNs.Core.Errors;
using NetNs.Core.Ip;

namespace NetNs.Core.Lab;

/// <summary>
/// Turns tx checksum offload off on veth ends, like <c>ethtool -K DEV tx off</c>, without starting a process per
/// device: one thread enters each namespace (setns(2) with CLONE_NEWNET), opens a socket there, and sends the
/// ethtool ioctl ETHTOOL_STXCSUM (SIOCETHTOOL, data 0) per device, which clears every tx-checksum feature (the
/// kernel then also drops TSO, which depends on it). Needed on Open vSwitch userspace-datapath (netdev) bridges,
/// where UDP (DHCP) otherwise leaves with partial checksums. ErrorId <c>ChecksumOffloadFailed</c> (InvalidResult).
/// </summary>
public static class ChecksumOffload
{
    private const int AfInet = 2;
    private const int SockDgram = 2;
    private const int CloneNewNet = 0x40000000;
    private const ulong SiocEthtool = 0x8946;
    private const uint EthtoolGTxCsum = 0x16;
    private const uint EthtoolSTxCsum = 0x17;

    [DllImport("libc", EntryPoint = "socket", SetLastError = true)]
    private static extern int Socket(int domain, int type, int protocol);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);

    [DllImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static extern int SetNs(int fd, int nstype);

    [DllImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static extern unsafe int Ioctl(int fd, ulong request, byte* arg);

    /// <summary>Turns tx checksum offload off on each (namespace, interface); "" is the root namespace.</summary>
    /// <returns>The number of devices changed.</returns>
    public static int Disable(IEnumerable<(string Namespace, string Name)> devices) => Run(devices, set: true, out _);

    /// <summary>Reads whether tx checksum offload is on for each device (true = on).</summary>
    public static Dictionary<(string Namespace, string Name), bool> Read(IEnumerable<(string Namespace, string Name)> devices)
    {
        Run(devices, set: false, out var states);
        return states;
    }

    private static int Run(IEnumerable<(string Namespace, string Name)> devices, bool set, out Dictionary<(string, string), bool> states)
    {
        var groups = devices.GroupBy(d => d.Namespace ?? string.Empty).ToList();
        var result = new Dictionary<(string, string), bool>();
        states = result;
        if (groups.Count == 0) return 0;
        Exception? failure = null;
        var count = 0;
        var thread = new Thread(() =>
        {
            SafeHandleHolder? home = null;
            try
            {
                home = new SafeHandleHolder(File.OpenHandle("/proc/thread-self/ns/net"));
                foreach (var g in groups)
                {
                    if (g.Key.Length > 0)
                    {
                        using var ns = File.OpenHandle(Path.Combine("/run/netns", g.Key));
                        if (SetNs((int)ns.DangerousGetHandle(), CloneNewNet) != 0)
                            throw Fail(g.Key, "", $"cannot enter the namespace (errno {Marshal.GetLastPInvokeError()})");
                    }
                    var sock = Socket(AfInet, SockDgram, 0);
                    if (sock < 0) throw Fail(g.Key, "", $"cannot open a socket (errno {Marshal.GetLastPInvokeError()})");
                    try
                    {
                        foreach (var (nsName, dev) in g)
                        {
                            var v = EthtoolValue(sock, dev, set ? EthtoolSTxCsum : EthtoolGTxCsum, 0, out var errno);
                            if (v < 0) throw Fail(nsName, dev, $"the ethtool ioctl failed (errno {errno})");
                            if (set) count++;
                            else result[(nsName, dev)] = v != 0;
                        }
                    }
                    finally { Close(sock); }
                    if (g.Key.Length > 0 && SetNs((int)home.Handle.DangerousGetHandle(), CloneNewNet) != 0)
                        throw Fail(g.Key, "", "cannot return to the original namespace");
                }
            }
            catch (Exception ex) { failure = ex; }
            finally { home?.Handle.Dispose(); }
        }) { IsBackground = true, Name = "netns-ethtool" };
        thread.Start();
        thread.Join();
        if (failure is NetNsException ne) throw ne;
        if (failure is not null) throw new NetNsException("ChecksumOffloadFailed", NetNsErrorCategory.InvalidResult, "Cannot change checksum offload: " + failure.Message, null, failure);
        return count;
    }

    private sealed class SafeHandleHolder
    {
        public SafeHandleHolder(Microsoft.Win32.SafeHandles.SafeFileHandle h) => Handle = h;
        public Microsoft.Win32.SafeHandles.SafeFileHandle Handle { get; }
    }

    private static NetNsException Fail(string ns, string dev, string why) =>
        new("ChecksumOffloadFailed", NetNsErrorCategory.InvalidResult,
            $"Cannot turn tx checksum offload off on {(dev.Length > 0 ? $"'{dev}' in " : "")}{IpClient.Describe(ns)}: {why}.", IpClient.Target(ns, dev));

    /// <summary>ioctl(SIOCETHTOOL) with a struct ethtool_value; returns the value read (or 0 for a set), -1 on error.</summary>
    private static unsafe long EthtoolValue(int sock, string dev, uint cmd, uint data, out int errno)
    {
        errno = 0;
        var value = stackalloc uint[2];
        value[0] = cmd;
        value[1] = data;
        var ifr = stackalloc byte[40];
        new Span<byte>(ifr, 40).Clear();
        var name = Encoding.UTF8.GetBytes(dev);
        if (name.Length > 15) { errno = 36; return -1; }
        name.CopyTo(new Span<byte>(ifr, 16));
        *(IntPtr*)(ifr + 16) = (IntPtr)value;
        if (Ioctl(sock, SiocEthtool, ifr) != 0) { errno = Marshal.GetLastPInvokeError(); return -1; }
        return cmd == EthtoolSTxCsum ? 0 : value[1];
    }
}
