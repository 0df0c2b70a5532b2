namespace NetNs.Core.Errors;

/// <summary>Classifies the standard error of <c>ip</c>, <c>ovs-vsctl</c> and friends.</summary>
internal static class KernelErrors
{
    /// <summary>The ErrorId <paramref name="ids"/> gives <paramref name="category"/>, else <paramref name="fallbackId"/>.</summary>
    public static string IdFor(NetNsErrorCategory category, string fallbackId, IEnumerable<(NetNsErrorCategory Category, string ErrorId)> ids)
    {
        foreach (var (c, e) in ids)
            if (c == category) return e;
        return fallbackId;
    }

    /// <summary>Maps the stderr text of a failed tool to a category.</summary>
    public static NetNsErrorCategory Classify(string stderr)
    {
        var s = stderr ?? string.Empty;
        if (Contains(s, "File exists") || Contains(s, "already exists") || Contains(s, "already assigned")) return NetNsErrorCategory.ResourceExists;
        if (Contains(s, "Operation not permitted") || Contains(s, "Permission denied")) return NetNsErrorCategory.PermissionDenied;
        if (Contains(s, "Cannot find device") || Contains(s, "does not exist") || Contains(s, "No such file or directory")
            || Contains(s, "Cannot open network namespace") || Contains(s, "no bridge named") || Contains(s, "no port named")
            || Contains(s, "No such device") || Contains(s, "address not found") || Contains(s, "Cannot assign requested address"))
            return NetNsErrorCategory.ObjectNotFound;
        if (Contains(s, "Device or resource busy")) return NetNsErrorCategory.ResourceUnavailable;
        if (Contains(s, "Invalid argument") || Contains(s, "Numerical result out of range") || Contains(s, "Error: either") || Contains(s, "is not a valid") || Contains(s, "invalid"))
            return NetNsErrorCategory.InvalidArgument;
        if (Contains(s, "database connection failed") || Contains(s, "Connection refused")) return NetNsErrorCategory.ConnectionError;
        return NetNsErrorCategory.InvalidResult;
    }

    /// <summary>
    /// Maps a refused rtnetlink request like <see cref="Process.ToolResult.ThrowIfFailed"/> maps a tool's failure: the
    /// category from the kernel's text, the ErrorId from <paramref name="ids"/>, the equivalent command in the message.
    /// </summary>
    internal static NetNsException Refused(Netlink.RtnlException ex, object equivalent, string fallbackId, object? target, string action, params (NetNsErrorCategory Category, string ErrorId)[] ids)
    {
        var category = ex.Category;
        return new NetNsException(IdFor(category, fallbackId, ids), category, $"{action}: {ex.Message} (in process, as: {equivalent})", target, ex);
    }

    private static bool Contains(string s, string what) => s.Contains(what, StringComparison.OrdinalIgnoreCase);
}
