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
                Enter(@namespace);
                result = action();
            }
            catch (Exception ex)
            {
                error = ex;
            }
        })
        { IsBackground = true, Name = "netns:" + @namespace };
        // The thread ends in the other namespace; it is never reused.
        thread.Start();
        thread.Join();
        if (error is not null) ExceptionDispatchInfo.Capture(error).Throw();
        return result;
    }

    /// <summary>
    /// Runs <paramref name="action"/> for each item on ONE thread that joins the item's namespace ("" = the root
    /// namespace) and goes back to its own namespace after each item: many namespaces for the cost of one thread.
    /// Returns the items that failed with their exception (entering a namespace fails with <c>NamespaceNotFound</c> or
    /// <c>SetnsFailed</c>); with <paramref name="stopAtFirst"/> the items after the first failure are not run.
    /// </summary>
    public static List<(T Item, Exception Error)> RunEach<T>(IEnumerable<T> items, Func<T, string> namespaceOf, Action<T> action, bool stopAtFirst = false)
    {
        var list = items.ToList();
        var failures = new List<(T Item, Exception Error)>();
        if (list.Count == 0) return failures;
        Exception? fatal = null;
        var thread = new Thread(() =>
        {
            var home = Open("/proc/thread-self/ns/net", ORdOnly | OCloExec);
            if (home < 0)
            {
                fatal = new NetNsException("SetnsFailed", NetNsErrorCategory.PermissionDenied,
                    $"Cannot open this thread's network namespace: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}", null);
                return;
            }
            try
            {
                foreach (var item in list)
                {
                    if (stopAtFirst && failures.Count > 0) break;
                    var ns = namespaceOf(item) ?? string.Empty;
                    try
                    {
                        if (ns.Length > 0) Enter(ns);
                        action(item);
                    }
                    catch (Exception ex)
                    {
                        failures.Add((item, ex));
                    }
                    if (ns.Length > 0 && SetNs(home, CloneNewNet) != 0)
                    {
                        fatal = new InvalidOperationException("Cannot return to the original network namespace.");
                        break;
                    }
                }
            }
            finally
            {
                Close(home);
            }
        })
        { IsBackground = true, Name = "netns:each" };
        thread.Start();
        thread.Join();
        if (fatal is not null) ExceptionDispatchInfo.Capture(fatal).Throw();
        return failures;
    }

    /// <summary>Moves the calling thread into namespace <paramref name="namespace"/> (setns with CLONE_NEWNET).</summary>
    private static void Enter(string @namespace)
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
    /// looked up in process (if_nametoindex on one thread visiting each namespace with setns).
    /// </summary>
    public static List<string> NamespacesHolding(string name, string except = "")
    {
        var found = new List<string>();
        NetnsThread.RunEach(Ip.NetnsPids.ListNames().Where(ns => ns != except), ns => ns, ns =>
        {
            if (IfNameToIndex(name) != 0) found.Add(ns);
        });
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
