using NetNs.Core.Process;

namespace NetNs.Tests;

/// <summary>Reads the files captured from the real tools by Golden/capture.sh.</summary>
internal static class Golden
{
    public static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", name));
}

/// <summary>An IToolRunner that answers known command lines with golden output and fails the rest.</summary>
internal sealed class FakeRunner : IToolRunner
{
    private readonly Dictionary<string, string> _answers = new(StringComparer.Ordinal);

    public List<string> Commands { get; } = new();

    public Action<string>? CommandStarting { get; set; }

    public FakeRunner Answer(string commandLine, string stdout)
    {
        _answers[commandLine] = stdout;
        return this;
    }

    public Task<ToolResult> RunAsync(ToolCommand command, CancellationToken cancellationToken)
    {
        var line = command.ToString();
        Commands.Add(line);
        CommandStarting?.Invoke(line);
        return Task.FromResult(_answers.TryGetValue(line, out var stdout)
            ? new ToolResult(command, 0, stdout, string.Empty, TimeSpan.Zero)
            : new ToolResult(command, 1, string.Empty, "Cannot find device \"x\"", TimeSpan.Zero));
    }

    public Task<int> StreamAsync(ToolCommand command, Action<string> standardOutputLine, Action<string> standardErrorLine, CancellationToken cancellationToken)
        => throw new NotSupportedException();
}
