using NetNs.Core.Errors;

namespace NetNs.Core.Native;

/// <summary>
/// Creates a named network namespace in process, the way <c>ip netns add NAME</c> does (ip-netns(8)): /run/netns made a
/// shared mount point (the first time, a bind mount of itself), an empty file /run/netns/NAME, a thread that unshare(2)s a
/// new network namespace (CLONE_NEWNET affects only the calling thread), and a bind mount of that thread's
/// /proc/thread-self/ns/net onto the file, which keeps the namespace alive after the thread ends. Also deletes one the way
/// <c>ip netns del NAME</c> does (<see cref="Delete"/>).
/// </summary>
internal static class NetnsCreate
{
    /// <summary>Creates /run/netns/<paramref name="name"/> (see the class summary). On failure nothing is left behind.</summary>
    /// <exception cref="NetNsException"><c>NamespaceExists</c> (ResourceExists) or <c>NewNamespaceFailed</c>.</exception>
    public static void Create(string name)
    {
        MakeShared(name);
        var path = NetnsFiles.PathOf(name);
        var fd = Libc.Open(path, Libc.ORdOnly | Libc.OCreat | Libc.OExcl | Libc.OCloExec, 0);
        if (fd < 0)
        {
            var (errno, text) = Libc.LastError();
            throw new NetNsException(errno == Libc.EExist ? "NamespaceExists" : "NewNamespaceFailed", KernelErrors.Classify(text),
                $"Cannot create namespace '{name}': cannot create {path}: {text}", name);
        }
        Libc.Close(fd);
        string? failure = null;
        var thread = new Thread(() =>
        {
            if (Libc.Unshare(Libc.CloneNewNet) != 0)
                failure = "unshare(CLONE_NEWNET): " + Libc.LastErrorText();
            else if (Libc.Mount("/proc/thread-self/ns/net", path, "none", Libc.MsBind, IntPtr.Zero) != 0)
                failure = $"bind mount on {path}: " + Libc.LastErrorText();
        })
        { IsBackground = true, Name = "netns-create:" + name };
        // The thread ends in the new namespace; it is never reused.
        thread.Start();
        thread.Join();
        if (failure is null) return;
        Libc.Unlink(path);
        throw new NetNsException("NewNamespaceFailed", KernelErrors.Classify(failure), $"Cannot create namespace '{name}': {failure}", name);
    }

    /// <summary>
    /// Makes /run/netns a shared mount point as ip does before each <c>netns add</c> (so an unmount in one mount namespace
    /// reaches all): <c>mount --make-rshared</c>, and when that fails with EINVAL (not a mount point yet) a recursive bind
    /// mount of the directory onto itself first. Two processes doing that first step at once could stack two bind mounts,
    /// hiding a namespace mounted by the other; so the bind mount is made under an exclusive flock(2) of the directory,
    /// which serialises NetNs callers across processes and threads, and the make-shared is tried again inside the lock.
    /// </summary>
    private static void MakeShared(string name)
    {
        Directory.CreateDirectory(NetnsFiles.Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        if (TryMakeShared(out _)) return;
        var dir = Libc.Open(NetnsFiles.Directory, Libc.ORdOnly | Libc.ODirectory | Libc.OCloExec);
        if (dir < 0) throw Failed(name, $"cannot open {NetnsFiles.Directory}: {Libc.LastErrorText()}");
        try
        {
            Libc.Flock(dir, Libc.LockEx);
            if (TryMakeShared(out var errno)) return;
            if (errno != Libc.EInval) throw Failed(name, $"mount --make-shared {NetnsFiles.Directory} failed: {Libc.LastErrorText()}");
            if (Libc.Mount(NetnsFiles.Directory, NetnsFiles.Directory, "none", Libc.MsBind | Libc.MsRec, IntPtr.Zero) != 0)
                throw Failed(name, $"mount --bind {NetnsFiles.Directory} {NetnsFiles.Directory} failed: {Libc.LastErrorText()}");
            if (!TryMakeShared(out _)) throw Failed(name, $"mount --make-shared {NetnsFiles.Directory} failed: {Libc.LastErrorText()}");
        }
        finally
        {
            Libc.Flock(dir, Libc.LockUn);
            Libc.Close(dir);
        }
    }

    private static bool TryMakeShared(out int errno)
    {
        errno = 0;
        if (Libc.Mount("", NetnsFiles.Directory, "none", Libc.MsShared | Libc.MsRec, IntPtr.Zero) == 0) return true;
        errno = Libc.LastError().Errno;
        return false;
    }

    private static NetNsException Failed(string name, string why) =>
        new("NewNamespaceFailed", KernelErrors.Classify(why), $"Cannot create namespace '{name}': {why}", name);

    /// <summary>
    /// Deletes /run/netns/<paramref name="name"/> as <c>ip netns del NAME</c> does (ip-netns(8)): a lazy unmount
    /// (umount2 MNT_DETACH; its failure is ignored, as ip ignores it, e.g. for a file that is not a mount point), then
    /// unlink(2). The namespace itself goes once nothing else holds it (no process inside, no other mount, no open file).
    /// </summary>
    /// <exception cref="NetNsException">
    /// <c>NamespaceNotFound</c> (ObjectNotFound) when the file does not exist, else <c>RemoveNamespaceFailed</c>; the
    /// message has ip's text ("Cannot remove namespace file …").
    /// </exception>
    public static void Delete(string name)
    {
        var path = NetnsFiles.PathOf(name);
        Libc.Umount2(path, Libc.MntDetach);
        if (Libc.Unlink(path) == 0) return;
        var text = $"Cannot remove namespace file \"{path}\": {Libc.LastErrorText()}";
        var category = KernelErrors.Classify(text);
        throw new NetNsException(category == NetNsErrorCategory.ObjectNotFound ? "NamespaceNotFound" : "RemoveNamespaceFailed", category,
            $"Cannot remove namespace '{name}': {text} (in process, as: {Ip.IpCommands.NetnsDelete(name)})", name);
    }
}
