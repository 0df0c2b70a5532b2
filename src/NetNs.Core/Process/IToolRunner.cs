namespace NetNs.Core.Process;

/// <summary>
/// Runs external tools. Every process NetNs starts goes through one implementation of this
/// interface, so that commands are logged, cancellable and testable with a fake.
/// </summary>
public interface IToolRunner
{
    /// <summary>Called with each command line just before it runs (the cmdlets write it to -Verbose).</summary>
    Action<string>? CommandStarting { get; set; }

    /// <summary>Runs a command to completion and buffers its output. Does not throw on a non-zero exit.</summary>
    /// <exception cref="Errors.NetNsException">The tool is not installed (ErrorId <c>ToolNotFound</c>).</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled; the process was killed.</exception>
    Task<ToolResult> RunAsync(ToolCommand command, CancellationToken cancellationToken);

    /// <summary>
    /// Runs a command and hands each line of stdout and stderr to the callbacks as it arrives.
    /// Returns the exit status.
    /// </summary>
    Task<int> StreamAsync(ToolCommand command, Action<string> standardOutputLine, Action<string> standardErrorLine, CancellationToken cancellationToken);

    /// <summary>
    /// Like <see cref="StreamAsync(ToolCommand, Action{string}, Action{string}, CancellationToken)"/>, and writes each line read
    /// from <paramref name="standardInputLines"/> to the program's standard input as it arrives (UTF-8, each followed by
    /// '\n'); standard input is closed when the channel completes. A program that exits without reading it all is not an error.
    /// </summary>
    Task<int> StreamAsync(ToolCommand command, System.Threading.Channels.ChannelReader<string> standardInputLines, Action<string> standardOutputLine, Action<string> standardErrorLine, CancellationToken cancellationToken)
        => throw new NotSupportedException("This runner cannot stream standard input.");
}

/// <summary>Convenience wrappers over <see cref="IToolRunner"/>.</summary>
public static class ToolRunnerExtensions
{
    /// <summary>Runs a command synchronously.</summary>
    public static ToolResult Run(this IToolRunner runner, ToolCommand command, CancellationToken cancellationToken = default)
        => runner.RunAsync(command, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Runs <c>tool args…</c> synchronously.</summary>
    public static ToolResult Run(this IToolRunner runner, CancellationToken cancellationToken, string tool, params string[] arguments)
        => runner.Run(new ToolCommand(tool, arguments), cancellationToken);
}
