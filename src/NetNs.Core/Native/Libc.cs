using System.Runtime.InteropServices;

namespace NetNs.Core.Native;

/// <summary>The few libc calls NetNs needs that .NET does not expose.</summary>
internal static class Libc
{
    [DllImport("libc", EntryPoint = "stat", SetLastError = true)]
    private static extern int StatNative(string path, byte[] buffer);

    /// <summary>The (device, inode) of <paramref name="path"/>, following links; null when it cannot be stat'ed.</summary>
    /// <remarks>st_dev and st_ino are the first two 64-bit fields of struct stat on x86_64 and aarch64.</remarks>
    public static (ulong Device, ulong Inode)? Stat(string path)
    {
        var buffer = new byte[256];
        if (StatNative(path, buffer) != 0) return null;
        return (BitConverter.ToUInt64(buffer, 0), BitConverter.ToUInt64(buffer, 8));
    }
}

/// <summary>Signals sent to processes.</summary>
internal static class Signals
{
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int KillNative(int pid, int signal);

    /// <summary>SIGTERM.</summary>
    public const int Term = 15;

    /// <summary>SIGKILL.</summary>
    public const int Kill = 9;

    /// <summary>Sends <paramref name="signal"/> to <paramref name="pid"/>; false when it does not exist.</summary>
    public static bool Send(int pid, int signal) => KillNative(pid, signal) == 0;

    /// <summary>True while the process exists (signal 0).</summary>
    public static bool Alive(int pid) => KillNative(pid, 0) == 0 && !IsZombie(pid);

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

    private static bool IsZombie(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var close = stat.LastIndexOf(')');
            return close > 0 && close + 2 < stat.Length && stat[close + 2] == 'Z';
        }
        catch (IOException) { return false; }
    }
}
