using System.Globalization;
using System.Runtime.InteropServices;

namespace NetNs.Core.Native;

/// <summary>
/// Every libc call NetNs makes that .NET does not expose, and their constants, in one place (the netlink socket, setns
/// threads, namespace files, the ethtool ioctl and signals all use these).
/// </summary>
internal static class Libc
{
    /// <summary>CLONE_NEWNET: the network namespace type for setns(2) and unshare(2).</summary>
    public const int CloneNewNet = 0x40000000;

    /// <summary>open(2) flags.</summary>
    public const int ORdOnly = 0, OCreat = 0x40, OExcl = 0x80, ODirectory = 0x10000, OCloExec = 0x80000;

    /// <summary>mount(2) flags.</summary>
    public const ulong MsBind = 4096, MsRec = 16384, MsShared = 1 << 20;

    /// <summary>umount2(2) flag: detach lazily.</summary>
    public const int MntDetach = 2;

    /// <summary>flock(2): exclusive lock, unlock.</summary>
    public const int LockEx = 2, LockUn = 8;

    /// <summary>errno values NetNs tests for.</summary>
    public const int EIntr = 4, ENoDev = 19, EExist = 17, EInval = 22, EAddrNotAvail = 99;

    [DllImport("libc", EntryPoint = "socket", SetLastError = true)]
    public static extern int Socket(int domain, int type, int protocol);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    public static extern int Close(int fd);

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    public static extern int Open(string path, int flags, int mode = 0);

    [DllImport("libc", EntryPoint = "setns", SetLastError = true)]
    public static extern int SetNs(int fd, int nsType);

    [DllImport("libc", EntryPoint = "unshare", SetLastError = true)]
    public static extern int Unshare(int flags);

    [DllImport("libc", EntryPoint = "mount", SetLastError = true)]
    public static extern int Mount(string source, string target, string fstype, ulong flags, IntPtr data);

    [DllImport("libc", EntryPoint = "umount2", SetLastError = true)]
    public static extern int Umount2(string target, int flags);

    [DllImport("libc", EntryPoint = "unlink", SetLastError = true)]
    public static extern int Unlink(string path);

    [DllImport("libc", EntryPoint = "flock", SetLastError = true)]
    public static extern int Flock(int fd, int operation);

    [DllImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    public static extern int Ioctl(int fd, ulong request, byte[] argument);

    [DllImport("libc", EntryPoint = "setsockopt", SetLastError = true)]
    public static extern unsafe int SetSockOpt(int fd, int level, int name, int* value, int len);

    [DllImport("libc", EntryPoint = "send", SetLastError = true)]
    public static extern unsafe nint Send(int fd, byte* buf, nint len, int flags);

    [DllImport("libc", EntryPoint = "recv", SetLastError = true)]
    public static extern unsafe nint Recv(int fd, byte* buf, nint len, int flags);

    [DllImport("libc", EntryPoint = "if_nametoindex", SetLastError = true)]
    public static extern uint IfNameToIndex(string name);

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static extern int Kill(int pid, int signal);

    [DllImport("libc", EntryPoint = "stat", SetLastError = true)]
    private static extern int StatNative(string path, byte[] buffer);

    /// <summary>The errno of the last call and its text.</summary>
    public static (int Errno, string Text) LastError()
    {
        var errno = Marshal.GetLastPInvokeError();
        return (errno, Marshal.GetPInvokeErrorMessage(errno));
    }

    /// <summary>The text of the last call's errno.</summary>
    public static string LastErrorText() => LastError().Text;

    /// <summary>The (device, inode) of <paramref name="path"/>, following links; null when it cannot be stat'ed.</summary>
    /// <remarks>st_dev and st_ino are the first two 64-bit fields of struct stat on x86_64 and aarch64.</remarks>
    public static (ulong Device, ulong Inode)? Stat(string path)
    {
        var buffer = new byte[256];
        if (StatNative(path, buffer) != 0) return null;
        return (BitConverter.ToUInt64(buffer, 0), BitConverter.ToUInt64(buffer, 8));
    }
}

/// <summary>The fields NetNs reads from /proc/PID/stat (proc(5)): the state letter and the start time.</summary>
internal static class ProcStat
{
    /// <summary>The state (field 3, e.g. 'R', 'S', 'Z') and start time in clock ticks since boot (field 22) of a process; null when it does not exist.</summary>
    public static (char State, long StartTime)? Read(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after "(comm)" (which may hold spaces and parentheses): state is field 3, starttime field 22.
            var rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (rest[0][0], long.Parse(rest[19], CultureInfo.InvariantCulture));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException) { return null; }
    }
}

/// <summary>Signals sent to processes.</summary>
internal static class Signals
{
    /// <summary>SIGTERM.</summary>
    public const int Term = 15;

    /// <summary>SIGKILL.</summary>
    public const int Kill = 9;

    /// <summary>Sends <paramref name="signal"/> to <paramref name="pid"/>; false when it does not exist.</summary>
    public static bool Send(int pid, int signal) => Libc.Kill(pid, signal) == 0;

    /// <summary>True while the process exists and is not a zombie.</summary>
    public static bool Alive(int pid) => Libc.Kill(pid, 0) == 0 && ProcStat.Read(pid) is not { State: 'Z' };

    /// <summary>
    /// Stops processes: SIGTERM, then SIGKILL to those still alive after <paramref name="timeout"/>, then waits (at most 5
    /// seconds more) until they are gone. Polls every 20 ms; <paramref name="cancellationToken"/> is checked during the first wait.
    /// </summary>
    public static void Stop(IReadOnlyCollection<int> pids, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var alive = pids.Where(Alive).ToList();
        if (alive.Count == 0) return;
        foreach (var p in alive) Send(p, Term);
        var deadline = DateTime.UtcNow + timeout;
        while (alive.Any(Alive) && DateTime.UtcNow < deadline)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Thread.Sleep(20);
        }
        var left = alive.Where(Alive).ToList();
        if (left.Count == 0) return;
        foreach (var p in left) Send(p, Kill);
        deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (left.Any(Alive) && DateTime.UtcNow < deadline) Thread.Sleep(20);
    }
}
