using System.Runtime.ExceptionServices;
using NetNs.Core.Errors;

namespace NetNs.Core.Native;

/// <summary>
/// Runs code inside a named network namespace without starting a process: a fresh thread joins the namespace
/// with setns(2) (CLONE_NEWNET, which affects only the calling thread), runs the code and ends.
/// </summary>
internal static class NetnsThread
{
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
            var home = Libc.Open("/proc/thread-self/ns/net", Libc.ORdOnly | Libc.OCloExec);
            if (home < 0)
            {
                fatal = new NetNsException("SetnsFailed", NetNsErrorCategory.PermissionDenied,
                    $"Cannot open this thread's network namespace: {Libc.LastErrorText()}", null);
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
                    if (ns.Length > 0 && Libc.SetNs(home, Libc.CloneNewNet) != 0)
                    {
                        fatal = new InvalidOperationException("Cannot return to the original network namespace.");
                        break;
                    }
                }
            }
            finally
            {
                Libc.Close(home);
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
        var fd = Libc.Open(NetnsFiles.PathOf(@namespace), Libc.ORdOnly | Libc.OCloExec);
        if (fd < 0)
            throw new NetNsException("NamespaceNotFound", NetNsErrorCategory.ObjectNotFound,
                $"Cannot open namespace '{@namespace}': {Libc.LastErrorText()}", @namespace);
        try
        {
            if (Libc.SetNs(fd, Libc.CloneNewNet) != 0)
                throw new NetNsException("SetnsFailed", NetNsErrorCategory.PermissionDenied,
                    $"Cannot enter namespace '{@namespace}': {Libc.LastErrorText()}", @namespace);
        }
        finally
        {
            Libc.Close(fd);
        }
    }
}
