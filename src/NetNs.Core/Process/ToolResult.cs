using NetNs.Core.Errors;

namespace NetNs.Core.Process;

/// <summary>The outcome of a finished external command.</summary>
public sealed class ToolResult
{
    /// <summary>Creates a result.</summary>
    public ToolResult(ToolCommand command, int exitCode, string standardOutput, string standardError, TimeSpan duration)
    {
        Command = command;
        ExitCode = exitCode;
        StandardOutput = standardOutput;
        StandardError = standardError;
        Duration = duration;
    }

    /// <summary>The command that ran.</summary>
    public ToolCommand Command { get; }

    /// <summary>Exit status; 0 is success.</summary>
    public int ExitCode { get; }

    /// <summary>Everything the tool wrote to stdout.</summary>
    public string StandardOutput { get; }

    /// <summary>Everything the tool wrote to stderr.</summary>
    public string StandardError { get; }

    /// <summary>Wall-clock run time.</summary>
    public TimeSpan Duration { get; }

    /// <summary>True when the exit status is 0.</summary>
    public bool Succeeded => ExitCode == 0;

    /// <summary>
    /// Throws a <see cref="ToolFailedException"/> when the tool failed. The ErrorId is chosen by
    /// the category derived from stderr: <paramref name="ids"/> maps categories to ids, and
    /// <paramref name="fallbackId"/> is used for the rest.
    /// </summary>
    /// <param name="fallbackId">ErrorId when no entry of <paramref name="ids"/> matches.</param>
    /// <param name="target">The resource concerned.</param>
    /// <param name="action">What was attempted, e.g. "Cannot create namespace 'ns1'".</param>
    /// <param name="ids">Category-specific ErrorIds.</param>
    public ToolResult ThrowIfFailed(string fallbackId, object? target, string action, params (NetNsErrorCategory Category, string ErrorId)[] ids)
    {
        if (Succeeded) return this;
        throw ToException(fallbackId, target, action, ids);
    }

    /// <summary>Builds the exception <see cref="ThrowIfFailed"/> would throw.</summary>
    public ToolFailedException ToException(string fallbackId, object? target, string action, params (NetNsErrorCategory Category, string ErrorId)[] ids)
    {
        var err = StandardError.Trim();
        var category = KernelErrors.Classify(err);
        var id = KernelErrors.IdFor(category, fallbackId, ids);
        var detail = err.Length > 0 ? err : $"exit status {ExitCode}";
        return new ToolFailedException(id, category, $"{action}: {detail} (command: {Command})", target, ExitCode, err, Command.ToString());
    }
}
