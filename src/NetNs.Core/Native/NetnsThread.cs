using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using NetNs.Core.Errors;

namespace NetNs.Core.Native;

/// <summary>
/// Runs code inside a named network namespace without starting a process: a fresh thread joins the namespace
/// with setns(2) (CLONE_NEWNET, which affects only the calling thread), runs the code and ends.
/// </summary>
internal static class NetnsThread
{
    private const int CloneNewNet = 0x40000000;
    private const int ORdOnly = 0;
    private const int OCloExec = 0x80000;

    [DllImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static extern int SetNs(int fd, int nsType);

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open(string path, int flags);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);

    /// <summary>Runs <paramref name="action"/> in namespace <paramref name="namespace"/> ("" = this thread, the root namespace).</summary>
    /// <exception cref="NetNsException">ErrorId <c>NamespaceNotFound</c> or <c>SetnsFailed</c>.</exception>
    public static T Run<T>(string @namespace, Func<T> action)
    {
        if (string.IsNullOrEmpty(@namespace)) return action();
        T result = default!;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                var fd = Open("/run/netns/" + @namespace, ORdOnly | OCloExec);
                if (fd < 0)
                    throw new NetNsException("NamespaceNotFound", NetNsErrorCategory.ObjectNotFound,
                        $"Cannot open namespace '{@namespace}': {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}", @namespace);
                try
                {
                    if (SetNs(fd, CloneNewNet) != 0)
                        throw new NetNsException("SetnsFailed", NetNsErrorCategory.PermissionDenied,
                            $"Cannot enter namespace '{@namespace}': {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}", @namespace);
                }
                finally
                {
                    Close(fd);
                }
                result = action();
            }
            catch (Exception ex)
            {
                error = ex;
            }
        })
        { IsBackground = true, Name = "netns:" + @namespace };
        thread.Start();
        thread.Join();
        if (error is not null) ExceptionDispatchInfo.Capture(error).Throw();
        return result;
    }
}

/// <summary>Interface index to name in the calling thread's namespace (if_indextoname(3)).</summary>
internal static class IfIndex
{
    [DllImport("libc", EntryPoint = "if_indextoname", SetLastError = true)]
    private static extern IntPtr IfIndexToName(uint index, byte[] name);

    [DllImport("libc", EntryPoint = "if_nametoindex", SetLastError = true)]
    private static extern uint IfNameToIndex(string name);

    /// <summary>
    /// The named namespaces (other than <paramref name="except"/>) holding an interface called <paramref name="name"/>,
    /// looked up in process (if_nametoindex on a setns thread per namespace). For error messages: costs a thread per namespace.
    /// </summary>
    public static List<string> NamespacesHolding(string name, string except = "")
    {
        var found = new List<string>();
        foreach (var ns in Ip.NetnsPids.ListNames())
        {
            if (ns == except) continue;
            try
            {
                if (NetnsThread.Run(ns, () => IfNameToIndex(name) != 0)) found.Add(ns);
            }
            catch (Errors.NetNsException) { }
        }
        return found;
    }

    /// <summary>The name of interface <paramref name="index"/>, or null when there is none.</summary>
    public static string? NameOf(int index)
    {
        var buffer = new byte[16];
        if (IfIndexToName((uint)index, buffer) == IntPtr.Zero) return null;
        var len = Array.IndexOf(buffer, (byte)0);
        return System.Text.Encoding.UTF8.GetString(buffer, 0, len < 0 ? buffer.Length : len);
    }

    /// <summary>
    /// Names of interfaces by index inside a named namespace, looked up in process (setns thread); null when the
    /// namespace cannot be entered.
    /// </summary>
    public static Dictionary<int, string?>? NamesIn(string @namespace, IEnumerable<int> indexes)
    {
        if (string.IsNullOrEmpty(@namespace) || !File.Exists("/run/netns/" + @namespace)) return null;
        try
        {
            return NetnsThread.Run(@namespace, () => indexes.Distinct().ToDictionary(i => i, NameOf));
        }
        catch (Errors.NetNsException)
        {
            return null;
        }
    }
}
