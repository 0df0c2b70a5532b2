namespace NetNs.Core.Process;

/// <summary>
/// The one format of a request NetNs makes in process instead of starting a program: the equivalent command line,
/// followed by <c>   (in process: HOW)</c>, written to the trace (-Verbose) like a command line before it runs.
/// </summary>
internal static class InProcess
{
    /// <summary>An rtnetlink request.</summary>
    public const string Rtnetlink = "rtnetlink";

    /// <summary>A namespace created as ip netns add does it.</summary>
    public const string NetnsAdd = "unshare, bind mount";

    /// <summary>A namespace deleted as ip netns del does it.</summary>
    public const string NetnsDelete = "umount, unlink";

    /// <summary>An OVSDB transaction or read.</summary>
    public const string Ovsdb = "OVSDB JSON-RPC";

    /// <summary>A sysctl written or read on a thread inside the namespace.</summary>
    public const string Sysctl = "setns, /proc/sys";

    /// <summary>An ethtool ioctl.</summary>
    public const string Ethtool = "SIOCETHTOOL";

    /// <summary>The trace line of <paramref name="equivalent"/> made in process by <paramref name="how"/>.</summary>
    public static string Line(object equivalent, string how) => $"{equivalent}   (in process: {how})";
}
