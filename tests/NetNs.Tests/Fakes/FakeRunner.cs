using NetNs.Core.Process;

namespace NetNs.Tests;

/// <summary>Reads the files captured from the real tools by Golden/capture.sh.</summary>
internal static class Golden
{
    public static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", name));
}

/// <summary>
/// The one scripted runner of the tests: answers command lines from a table (<see cref="Answer"/>) or a function, fails
/// the rest like ip does for a missing device, or refuses every command (<see cref="Refusing"/>). Records what ran.
/// </summary>
internal sealed class FakeRunner : IToolRunner
{
    private readonly Dictionary<string, string> _answers = new(StringComparer.Ordinal);
    private readonly Func<ToolCommand, (int Exit, string Out, string Err)>? _answer;
    private readonly bool _refuse;

    public FakeRunner() { }

    public FakeRunner(Func<ToolCommand, (int Exit, string Out, string Err)> answer) => _answer = answer;

    private FakeRunner(bool refuse) => _refuse = refuse;

    /// <summary>A runner for code that must start no process: every command throws.</summary>
    public static FakeRunner Refusing() => new(refuse: true);

    /// <summary>The command lines run, in order.</summary>
    public List<string> Commands { get; } = new();

    /// <summary>The commands run, in order.</summary>
    public List<ToolCommand> Ran { get; } = new();

    public Action<string>? CommandStarting { get; set; }

    public FakeRunner Answer(string commandLine, string stdout)
    {
        _answers[commandLine] = stdout;
        return this;
    }

    public Task<ToolResult> RunAsync(ToolCommand command, CancellationToken cancellationToken)
    {
        if (_refuse) throw new InvalidOperationException("no tool may run: " + command);
        var line = command.ToString();
        Commands.Add(line);
        Ran.Add(command);
        CommandStarting?.Invoke(line);
        if (_answer is not null)
        {
            var (exit, o, e) = _answer(command);
            return Task.FromResult(new ToolResult(command, exit, o, e, TimeSpan.Zero));
        }
        return Task.FromResult(_answers.TryGetValue(line, out var stdout)
            ? new ToolResult(command, 0, stdout, string.Empty, TimeSpan.Zero)
            : new ToolResult(command, 1, string.Empty, "Cannot find device \"x\"", TimeSpan.Zero));
    }

    public Task<int> StreamAsync(ToolCommand command, Action<string> standardOutputLine, Action<string> standardErrorLine, CancellationToken cancellationToken)
        => _refuse ? throw new InvalidOperationException("no tool may run: " + command) : throw new NotSupportedException();
}
