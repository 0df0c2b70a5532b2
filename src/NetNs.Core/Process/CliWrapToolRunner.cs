using System.Diagnostics;
using System.Text;
using CliWrap;
using CliWrap.Buffered;

namespace NetNs.Core.Process;

/// <summary>The real <see cref="IToolRunner"/>, built on CliWrap. Cancelling kills the process.</summary>
public sealed class CliWrapToolRunner : IToolRunner
{
    /// <inheritdoc />
    public Action<string>? CommandStarting { get; set; }

    private Command Build(ToolCommand command)
    {
        var cmd = Cli.Wrap(ToolLocator.Resolve(command.Tool))
            .WithArguments(command.Arguments)
            .WithValidation(CommandResultValidation.None)
            .WithWorkingDirectory(command.WorkingDirectory ?? "/")
            .WithEnvironmentVariables(e => e.Set("LC_ALL", "C"));
        if (command.StandardInput is not null)
            cmd = cmd.WithStandardInputPipe(PipeSource.FromString(command.StandardInput));
        CommandStarting?.Invoke(command.ToString());
        return cmd;
    }

    /// <inheritdoc />
    public async Task<ToolResult> RunAsync(ToolCommand command, CancellationToken cancellationToken)
    {
        var cmd = Build(command);
        var sw = Stopwatch.StartNew();
        var result = await cmd.ExecuteBufferedAsync(Encoding.UTF8, cancellationToken).ConfigureAwait(false);
        return new ToolResult(command, result.ExitCode, result.StandardOutput, result.StandardError, sw.Elapsed);
    }

    /// <inheritdoc />
    public async Task<int> StreamAsync(ToolCommand command, Action<string> standardOutputLine, Action<string> standardErrorLine, CancellationToken cancellationToken)
    {
        var cmd = Build(command)
            .WithStandardOutputPipe(PipeTarget.ToDelegate(standardOutputLine, Encoding.UTF8))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(standardErrorLine, Encoding.UTF8));
        var result = await cmd.ExecuteAsync(cancellationToken).ConfigureAwait(false);
        return result.ExitCode;
    }

    /// <inheritdoc />
    public async Task<int> StreamAsync(ToolCommand command, System.Threading.Channels.ChannelReader<string> standardInputLines, Action<string> standardOutputLine, Action<string> standardErrorLine, CancellationToken cancellationToken)
    {
        var stdin = PipeSource.Create(async (destination, token) =>
        {
            var newline = new byte[] { (byte)'\n' };
            await foreach (var line in standardInputLines.ReadAllAsync(token).ConfigureAwait(false))
            {
                await destination.WriteAsync(Encoding.UTF8.GetBytes(line), token).ConfigureAwait(false);
                await destination.WriteAsync(newline, token).ConfigureAwait(false);
                await destination.FlushAsync(token).ConfigureAwait(false);
            }
        });
        var cmd = Build(command)
            .WithStandardInputPipe(stdin)
            .WithStandardOutputPipe(PipeTarget.ToDelegate(standardOutputLine, Encoding.UTF8))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(standardErrorLine, Encoding.UTF8));
        var result = await cmd.ExecuteAsync(cancellationToken).ConfigureAwait(false);
        return result.ExitCode;
    }
}
