namespace NetNs.Core.Errors;

/// <summary>
/// A failure of a NetNs operation, carrying a stable PascalCase <see cref="ErrorId"/>, a
/// <see cref="Category"/> and the resource it concerns. Cmdlets turn it into an ErrorRecord.
/// </summary>
public class NetNsException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="errorId">Stable PascalCase identifier, e.g. <c>NamespaceExists</c>.</param>
    /// <param name="category">The error category.</param>
    /// <param name="message">A sentence saying what is wrong (and the tool's stderr, if any).</param>
    /// <param name="target">The resource concerned (a name or object), or null.</param>
    /// <param name="inner">The underlying exception, or null.</param>
    public NetNsException(string errorId, NetNsErrorCategory category, string message, object? target = null, Exception? inner = null)
        : base(message, inner)
    {
        ErrorId = errorId;
        Category = category;
        Target = target;
    }

    /// <summary>Stable PascalCase identifier of the failure.</summary>
    public string ErrorId { get; }

    /// <summary>The category of the failure.</summary>
    public NetNsErrorCategory Category { get; }

    /// <summary>The resource the failure concerns.</summary>
    public object? Target { get; }

    /// <summary>True when nothing else can work (tool missing, not root, daemon unreachable).</summary>
    public bool IsFatal { get; init; }
}

/// <summary>An external tool exited with a non-zero status.</summary>
public sealed class ToolFailedException : NetNsException
{
    /// <summary>Creates the exception from a finished command.</summary>
    public ToolFailedException(string errorId, NetNsErrorCategory category, string message, object? target, int exitCode, string stderr, string commandLine)
        : base(errorId, category, message, target)
    {
        ExitCode = exitCode;
        StandardError = stderr;
        CommandLine = commandLine;
    }

    /// <summary>The tool's exit status.</summary>
    public int ExitCode { get; }

    /// <summary>The tool's standard error, trimmed.</summary>
    public string StandardError { get; }

    /// <summary>The command line that failed, quoted for display.</summary>
    public string CommandLine { get; }
}
