using System.Runtime.InteropServices;
using System.Text;

namespace NetNs.Core.Native;

/// <summary>Reads ethtool settings of interfaces in the caller's namespace through the SIOCETHTOOL ioctl (no process start).</summary>
internal static class Ethtool
{
    private const int AfInet = 2;
    private const int SockDgram = 2;
    private const ulong SiocEthtool = 0x8946;
    private const uint EthtoolGTxCsum = 0x16;
    private const uint EthtoolSTxCsum = 0x17;


    /// <summary>
    /// Whether tx checksum offload is on for <paramref name="device"/> in this process's network namespace
    /// (ETHTOOL_GTXCSUM); null when the device does not exist or cannot be queried.
    /// </summary>
    public static bool? TxChecksum(string device)
    {
        var value = Call(device, EthtoolGTxCsum, 0, out _);
        return value is null ? null : value.Value != 0;
    }

    /// <summary>
    /// Turns tx checksum offload on or off for <paramref name="device"/> in this thread's network namespace
    /// (ETHTOOL_STXCSUM, what <c>ethtool -K DEV tx on|off</c> changes). Returns null on success, else the errno text.
    /// </summary>
    public static string? SetTxChecksum(string device, bool on)
    {
        var r = Call(device, EthtoolSTxCsum, on ? 1u : 0u, out var errno);
        return r is null ? Marshal.GetPInvokeErrorMessage(errno) : null;
    }

    private static unsafe uint? Call(string device, uint command, uint data, out int errno)
    {
        errno = 0;
        var name = Encoding.UTF8.GetBytes(device);
        if (name.Length == 0 || name.Length > 15) { errno = 19; return null; }
        var fd = Libc.Socket(AfInet, SockDgram, 0);
        if (fd < 0) { errno = Marshal.GetLastPInvokeError(); return null; }
        try
        {
            var value = new uint[2] { command, data };
            fixed (uint* p = value)
            {
                var ifreq = new byte[40];
                Array.Copy(name, ifreq, name.Length);
                BitConverter.TryWriteBytes(new Span<byte>(ifreq, 16, 8), (long)(nint)p);
                if (Libc.Ioctl(fd, SiocEthtool, ifreq) != 0) { errno = Marshal.GetLastPInvokeError(); return null; }
            }
            return value[1];
        }
        finally
        {
            Libc.Close(fd);
        }
    }
}
