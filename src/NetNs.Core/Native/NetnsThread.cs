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
