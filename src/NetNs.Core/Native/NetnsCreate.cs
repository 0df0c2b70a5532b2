using System.Runtime.InteropServices;
using NetNs.Core.Errors;

namespace NetNs.Core.Native;

/// <summary>
/// Creates a named network namespace in process, the way <c>ip netns add NAME</c> does (ip-netns(8)): an empty file
/// /run/netns/NAME, a thread that unshare(2)s a new network namespace (CLONE_NEWNET affects only the calling thread), and
/// a bind mount of that thread's /proc/thread-self/ns/net onto the file, which keeps the namespace alive after the thread ends.
/// Only done when /run/netns is already a shared mount point (ip sets that up the first time; <see cref="CanCreate"/>).
/// Also deletes one the way <c>ip netns del NAME</c> does (<see cref="Delete"/>).
/// </summary>
internal static class NetnsCreate
{
    private const int CloneNewNet = 0x40000000;
    private const ulong MsBind = 4096;
    private const int ORdOnly = 0, OCreat = 0x40, OExcl = 0x80, OCloExec = 0x80000;

    [DllImport("libc", EntryPoint = "unshare", SetLastError = true)]
    private static extern int Unshare(int flags);

    [DllImport("libc", EntryPoint = "mount", SetLastError = true)]
    private static extern int Mount(string source, string target, string fstype, ulong flags, IntPtr data);

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open(string path, int flags, int mode);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);

    [DllImport("libc", EntryPoint = "unlink", SetLastError = true)]
    private static extern int Unlink(string path);

    [DllImport("libc", EntryPoint = "umount2", SetLastError = true)]
    private static extern int Umount2(string target, int flags);

    private const int MntDetach = 2;

    /// <summary>True when <paramref name="runDirectory"/> is a shared mount point of this process's mount namespace (/proc/self/mountinfo), as ip leaves it.</summary>
    public static bool CanCreate(string runDirectory)
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/mountinfo"))
            {
                var f = line.Split(' ');
                if (f.Length > 6 && f[4] == runDirectory)
                {
                    for (var i = 6; i < f.Length && f[i] != "-"; i++)
                        if (f[i].StartsWith("shared:", StringComparison.Ordinal)) return true;
                }
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return false;
    }

    /// <summary>Creates /run/netns/<paramref name="name"/> (see the class summary). On failure nothing is left behind.</summary>
    /// <exception cref="NetNsException"><c>NamespaceExists</c> (ResourceExists) or <c>NewNamespaceFailed</c>.</exception>
    public static void Create(string runDirectory, string name)
    {
        var path = Path.Combine(runDirectory, name);
        var fd = Open(path, ORdOnly | OCreat | OExcl | OCloExec, 0);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            var text = Marshal.GetPInvokeErrorMessage(errno);
            throw new NetNsException(errno == 17 ? "NamespaceExists" : "NewNamespaceFailed", KernelErrors.Classify(text),
                $"Cannot create namespace '{name}': cannot create {path}: {text}", name);
        }
        Close(fd);
        string? failure = null;
        var thread = new Thread(() =>
        {
            if (Unshare(CloneNewNet) != 0)
                failure = "unshare(CLONE_NEWNET): " + Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError());
            else if (Mount("/proc/thread-self/ns/net", path, "none", MsBind, IntPtr.Zero) != 0)
                failure = $"bind mount on {path}: " + Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError());
        })
        { IsBackground = true, Name = "netns-create:" + name };
        // The thread ends in the new namespace; it is never reused.
        thread.Start();
        thread.Join();
        if (failure is null) return;
        Unlink(path);
        throw new NetNsException("NewNamespaceFailed", KernelErrors.Classify(failure), $"Cannot create namespace '{name}': {failure}", name);
    }

    /// <summary>
    /// Deletes /run/netns/<paramref name="name"/> as <c>ip netns del NAME</c> does (ip-netns(8)): a lazy unmount
    /// (umount2 MNT_DETACH; its failure is ignored, as ip ignores it, e.g. for a file that is not a mount point), then
    /// unlink(2). The namespace itself goes once nothing else holds it (no process inside, no other mount, no open file).
    /// Needs no shared mount: it runs in this process's mount namespace, the one an ip child would inherit.
    /// </summary>
    /// <exception cref="NetNsException">
    /// <c>NamespaceNotFound</c> (ObjectNotFound) when the file does not exist, else <c>RemoveNamespaceFailed</c>; the
    /// message has ip's text ("Cannot remove namespace file …").
    /// </exception>
    public static void Delete(string runDirectory, string name)
    {
        var path = Path.Combine(runDirectory, name);
        Umount2(path, MntDetach);
        if (Unlink(path) == 0) return;
        var text = $"Cannot remove namespace file \"{path}\": {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}";
        var category = KernelErrors.Classify(text);
        throw new NetNsException(category == NetNsErrorCategory.ObjectNotFound ? "NamespaceNotFound" : "RemoveNamespaceFailed", category,
            $"Cannot remove namespace '{name}': {text} (in process, as: {Ip.IpCommands.NetnsDelete(name)})", name);
    }
}
