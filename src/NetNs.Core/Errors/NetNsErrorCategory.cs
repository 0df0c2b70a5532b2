namespace NetNs.Core.Errors;

/// <summary>
/// Categories of NetNs failures. Names equal the members of PowerShell's
/// <c>System.Management.Automation.ErrorCategory</c>, so the cmdlet layer maps them by name.
/// </summary>
public enum NetNsErrorCategory
{
    /// <summary>No better category applies.</summary>
    NotSpecified,
    /// <summary>The object to create already exists (kernel: EEXIST).</summary>
    ResourceExists,
    /// <summary>The named object does not exist (kernel: ENODEV, ENOENT).</summary>
    ObjectNotFound,
    /// <summary>The caller lacks root or CAP_NET_ADMIN (kernel: EPERM).</summary>
    PermissionDenied,
    /// <summary>A parameter value is malformed or out of range.</summary>
    InvalidArgument,
    /// <summary>The operation does not fit the current state of the object.</summary>
    InvalidOperation,
    /// <summary>The object is in use (kernel: EBUSY; processes still running).</summary>
    ResourceUnavailable,
    /// <summary>A required external tool is not installed.</summary>
    NotInstalled,
    /// <summary>A daemon (Open vSwitch) cannot be reached.</summary>
    ConnectionError,
    /// <summary>The operation did not finish in time.</summary>
    OperationTimeout,
    /// <summary>An external tool failed for a reason not classified above.</summary>
    InvalidResult,
    /// <summary>The operation was cancelled (Ctrl+C).</summary>
    OperationStopped,
}
