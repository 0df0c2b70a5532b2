using System.Collections;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Text;
using NetNs.Core.Errors;
using NetNs.Core.Ip;
using NetNs.Core.Process;

namespace NetNs.Commands.Exec;

/// <summary>
/// <para type="synopsis">Runs an external command or a script block inside a network namespace, as 'ip netns exec' does.</para>
/// <para type="description">A command's stdout lines are emitted as strings while it runs; its stderr lines go to the
/// information stream (shown like Write-Host, tagged 'stderr'); $LASTEXITCODE is set, and a non-zero exit writes
/// NativeCommandFailed (InvalidResult) unless -IgnoreExitCode. A script block runs in a child pwsh inside the namespace
/// and returns its output as (deserialized) objects. Put '--' before the command so that its own switches are not
/// taken as PowerShell parameters: Invoke-InNamespace ns1 -- ping -c 1 10.0.0.2. -Namespace "" runs in the root namespace.
/// Input piped to it goes to the program's standard input, as pwsh does for a native command, when -Namespace is given on
/// the command line: one program for the whole pipeline, each piped string written as one line (UTF-8, '\n') as it arrives,
/// output streamed meanwhile, standard input closed at the end of the pipeline ('alpha', 'beta' | Invoke-InNamespace ns1 -- cat).
/// A script block gets the piped objects as $input. Objects that bind -Namespace by property (Get-NetNamespace |
/// Invoke-InNamespace -- hostname) run the program once per object instead, without standard input.
/// Errors: NamespaceNotFound (ObjectNotFound); ToolNotFound (NotInstalled); ScriptBlockError (from the child).</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "InNamespace", DefaultParameterSetName = CommandSet)]
[OutputType(typeof(string), typeof(PSObject))]
public sealed class InvokeInNamespaceCommand : NetNsCmdlet
{
    private const string CommandSet = "Command";
    private const string ScriptBlockSet = "ScriptBlock";

    /// <summary>The namespace to run in; "" runs in the root namespace (bound from a piped NetLink of the root, too).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public string Namespace { get; set; } = string.Empty;

    /// <summary>The program to run (looked up on PATH inside the namespace).</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = CommandSet)]
    public string Command { get; set; } = string.Empty;

    /// <summary>The script block to run in a child pwsh inside the namespace.</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = ScriptBlockSet)]
    public ScriptBlock? ScriptBlock { get; set; }

    /// <summary>Arguments for the command or script block, passed verbatim (no shell).</summary>
    [Parameter(ValueFromRemainingArguments = true)]
    [Alias("Args")]
    public object[] ArgumentList { get; set; } = Array.Empty<object>();

    /// <summary>Do not write an error when the command exits non-zero ($LASTEXITCODE is still set).</summary>
    [Parameter]
    public SwitchParameter IgnoreExitCode { get; set; }

    /// <summary>
    /// Piped input: with -Namespace given on the command line, each object is written to the program's standard input as a
    /// line (a string as it is, anything else as its string form), or handed to the script block as $input.
    /// </summary>
    [Parameter(ValueFromPipeline = true)]
    public PSObject? InputObject { get; set; }

    // Standard-input mode: the program runs once for the whole pipeline and gets the piped objects.
    private bool _stdinMode;
    private bool _stdinFailed;
    private System.Threading.Channels.Channel<string>? _stdin;
    private BlockingCollection<(bool Error, string Line)>? _output;
    private Task<int>? _running;
    private ToolCommand? _runningCommand;
    private readonly List<object?> _scriptInput = new();

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        _stdinMode = MyInvocation.ExpectingInput && MyInvocation.BoundParameters.ContainsKey(nameof(Namespace));
        if (!_stdinMode) return;
        _stdinFailed = !Try(() =>
        {
            Check();
            if (ParameterSetName == CommandSet) StartWithStandardInput();
        });
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (!_stdinMode)
        {
            Try(() =>
            {
                Check();
                if (ParameterSetName == ScriptBlockSet) RunScriptBlock(null);
                else RunCommand();
            });
            return;
        }
        if (_stdinFailed || InputObject is null) return;
        foreach (var item in Items(InputObject))
        {
            if (ParameterSetName == ScriptBlockSet) { _scriptInput.Add(item); continue; }
            var line = item.BaseObject is string s ? s : LanguagePrimitives.ConvertTo<string>(item) ?? string.Empty;
            // The channel is unbounded: a slow reader never blocks the pipeline thread, which keeps writing the output.
            _stdin!.Writer.TryWrite(line);
        }
        if (ParameterSetName == CommandSet) Drain(block: false);
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        if (!_stdinMode || _stdinFailed) return;
        if (ParameterSetName == ScriptBlockSet)
        {
            Try(() => RunScriptBlock(_scriptInput));
            return;
        }
        _stdin!.Writer.TryComplete();
        Drain(block: true);
        Finish(_runningCommand!, Wait(_running!));
    }

    private void Check()
    {
        if (ParameterSetName == CommandSet) Core.Validation.Validate.Program(Command, "Command");
        Namespaces.RequireNamespace(Namespace);
    }

    /// <summary>The objects of one piped item (a collection given to -InputObject is enumerated), kept as PSObjects so a
    /// custom object's properties survive serialization.</summary>
    private static IEnumerable<PSObject> Items(PSObject input)
    {
        if (input.BaseObject is IEnumerable e and not string and not IDictionary)
        {
            foreach (var x in e) yield return PSObject.AsPSObject(x);
        }
        else yield return input;
    }

    private void StartWithStandardInput()
    {
        _runningCommand = InLocation(IpCommands.NetnsExec(Namespace, Command, Stringify(ArgumentList)));
        _stdin = System.Threading.Channels.Channel.CreateUnbounded<string>(new System.Threading.Channels.UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var output = _output = new BlockingCollection<(bool Error, string Line)>();
        _running = Runner.StreamAsync(_runningCommand, _stdin.Reader, l => output.Add((false, l)), l => output.Add((true, l)), CancellationToken)
            .ContinueWith(t => { output.CompleteAdding(); return t; }, TaskScheduler.Default).Unwrap();
    }

    /// <summary>Writes the program's output gathered so far; with <paramref name="block"/>, until the program has ended.</summary>
    private void Drain(bool block)
    {
        var output = _output!;
        try
        {
            if (block)
            {
                foreach (var item in output.GetConsumingEnumerable(CancellationToken)) WriteLine(item);
            }
            else
            {
                while (output.TryTake(out var item)) WriteLine(item);
            }
        }
        catch (OperationCanceledException)
        {
            throw new PipelineStoppedException();
        }
    }

    private void WriteLine((bool Error, string Line) item)
    {
        if (item.Error) WriteInformation(new HostInformationMessage { Message = item.Line }, new[] { "PSHOST", "stderr" });
        else WriteObject(item.Line);
    }

    private static int Wait(Task<int> task)
    {
        try
        {
            return task.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            throw new PipelineStoppedException();
        }
    }

    /// <summary>Sets $LASTEXITCODE and writes NativeCommandFailed for a non-zero exit unless -IgnoreExitCode.</summary>
    private void Finish(ToolCommand cmd, int exit)
    {
        SessionState.PSVariable.Set("global:LASTEXITCODE", exit);
        if (exit != 0 && !IgnoreExitCode)
        {
            WriteNetNsError("NativeCommandFailed", NetNsErrorCategory.InvalidResult,
                $"'{cmd}' exited with status {exit} in {LinkId.Describe(Namespace)}.", Command);
        }
    }

    /// <summary>The program starts in the current PowerShell file-system location, as a native command does.</summary>
    private ToolCommand InLocation(ToolCommand command) =>
        new(command.Tool, command.Arguments, command.StandardInput) { WorkingDirectory = SessionState.Path.CurrentFileSystemLocation.ProviderPath };

    private static string[] Stringify(object[] args) =>
        args.Select(a => a is PSObject p ? p.BaseObject : a).Select(a => Convert.ToString(a, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty).ToArray();

    private void RunCommand()
    {
        var cmd = InLocation(IpCommands.NetnsExec(Namespace, Command, Stringify(ArgumentList)));
        Finish(cmd, Stream(cmd, null, line => WriteObject(line)));
    }

    private int Stream(ToolCommand cmd, System.Threading.Channels.Channel<string>? stdin, Action<string> onOutput)
    {
        using var queue = new BlockingCollection<(bool Error, string Line)>();
        var started = stdin is null
            ? Runner.StreamAsync(cmd, l => queue.Add((false, l)), l => queue.Add((true, l)), CancellationToken)
            : Runner.StreamAsync(cmd, stdin.Reader, l => queue.Add((false, l)), l => queue.Add((true, l)), CancellationToken);
        var task = started
            .ContinueWith(t => { queue.CompleteAdding(); return t; }, TaskScheduler.Default).Unwrap();
        try
        {
            foreach (var (isError, line) in queue.GetConsumingEnumerable(CancellationToken))
            {
                if (isError) WriteInformation(new HostInformationMessage { Message = line }, new[] { "PSHOST", "stderr" });
                else onOutput(line);
            }
        }
        catch (OperationCanceledException)
        {
            throw new PipelineStoppedException();
        }
        return Wait(task);
    }

    private const string Marker = "#NETNS-CLIXML-7f3a";

    /// <summary>Runs the script block in a child pwsh; <paramref name="input"/> (piped objects, or null) becomes its $input.</summary>
    private void RunScriptBlock(List<object?>? input)
    {
        var (pwsh, pre) = PwshCommand();
        var args = PSSerializer.Serialize(ArgumentList, 2);
        System.Threading.Channels.Channel<string>? stdin = null;
        if (input is not null)
        {
            stdin = System.Threading.Channels.Channel.CreateUnbounded<string>();
            stdin.Writer.TryWrite(Convert.ToBase64String(Encoding.UTF8.GetBytes(PSSerializer.Serialize(input.ToArray(), 2))));
            stdin.Writer.TryComplete();
        }
        var script = new StringBuilder()
            .Append("$ErrorActionPreference='Continue';$ProgressPreference='SilentlyContinue';")
            .Append("$__a=@([System.Management.Automation.PSSerializer]::Deserialize([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('")
            .Append(Convert.ToBase64String(Encoding.UTF8.GetBytes(args))).Append("'))));")
            .Append("$__sb=[scriptblock]::Create([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('")
            .Append(Convert.ToBase64String(Encoding.UTF8.GetBytes(ScriptBlock!.ToString()))).Append("')));")
            // Piped objects come on standard input (one base64 line of CLIXML): no argv length limit applies to them.
            .Append(input is null ? "" : "$__i=@([System.Management.Automation.PSSerializer]::Deserialize([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String([Console]::In.ReadLine()))));")
            .Append("$__o=[System.Collections.Generic.List[object]]::new();$__e=[System.Collections.Generic.List[string]]::new();")
            .Append(input is null ? "& $__sb @__a 2>&1" : "$__i | & $__sb @__a 2>&1").Append(" | ForEach-Object { if ($_ -is [System.Management.Automation.ErrorRecord]) { $__e.Add($_.ToString()) } else { $__o.Add($_) } };")
            .Append("[Console]::Out.Write(\"`n").Append(Marker).Append("`n\");")
            .Append("[Console]::Out.Write([System.Management.Automation.PSSerializer]::Serialize(@{o=$__o.ToArray();e=$__e.ToArray()},4))")
            .ToString();
        var encoded = Convert.ToBase64String(Encoding.Unicode.GetBytes(script));
        var argv = pre.Concat(new[] { "-NoProfile", "-NonInteractive", "-NoLogo", "-EncodedCommand", encoded });
        var cmd = InLocation(IpCommands.NetnsExec(Namespace, pwsh, argv));
        var output = new StringBuilder();
        var inPayload = false;
        // The marker is written after a newline of its own: the empty line that gives when the script's console output
        // already ended with one is held back, and dropped when the marker follows.
        var heldEmpty = false;
        var exit = Stream(cmd, stdin, line =>
        {
            if (inPayload) { output.AppendLine(line); return; }
            if (line == Marker) { inPayload = true; return; }
            if (heldEmpty) WriteInformation(new HostInformationMessage { Message = string.Empty }, new[] { "PSHOST" });
            heldEmpty = line.Length == 0;
            if (!heldEmpty) WriteInformation(new HostInformationMessage { Message = line }, new[] { "PSHOST" });
        });
        SessionState.PSVariable.Set("global:LASTEXITCODE", exit);
        if (!inPayload)
        {
            WriteNetNsError("ScriptBlockFailed", NetNsErrorCategory.InvalidResult, $"The script block did not complete in {LinkId.Describe(Namespace)} (child pwsh exit status {exit}).", Namespace);
            return;
        }
        var result = PSSerializer.Deserialize(output.ToString());
        if ((result is PSObject p ? p.BaseObject : result) is not IDictionary table) return;
        foreach (var o in Enumerate(table["o"])) WriteObject(o);
        foreach (var e in Enumerate(table["e"]))
            WriteError(new ErrorRecord(new RuntimeException(e?.ToString()), "ScriptBlockError", ErrorCategory.NotSpecified, Namespace));
    }

    private static IEnumerable<object?> Enumerate(object? value)
    {
        if (value is PSObject p) value = p.BaseObject;
        if (value is IEnumerable e and not string)
        {
            foreach (var x in e) yield return x;
        }
        else if (value is not null) yield return value;
    }

    /// <summary>The pwsh to start inside the namespace: this very pwsh (also when run as 'dotnet pwsh.dll').</summary>
    private static (string Program, string[] Prefix) PwshCommand()
    {
        var process = Environment.ProcessPath ?? "pwsh";
        var first = Environment.GetCommandLineArgs().FirstOrDefault() ?? string.Empty;
        if (Path.GetFileName(process) is "pwsh") return (process, Array.Empty<string>());
        if (first.EndsWith("pwsh.dll", StringComparison.Ordinal)) return (process, new[] { first });
        var dll = Path.Combine(Path.GetDirectoryName(typeof(PSObject).Assembly.Location) ?? string.Empty, "pwsh.dll");
        if (File.Exists(dll) && Path.GetFileName(process) is "dotnet") return (process, new[] { dll });
        return ("pwsh", Array.Empty<string>());
    }
}
