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

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        Try(() =>
        {
            if (ParameterSetName == CommandSet) Core.Validation.Validate.Program(Command, "Command");
            IpClient.RequireNamespace(Namespace);
            if (ParameterSetName == ScriptBlockSet) RunScriptBlock();
            else RunCommand();
        });
    }

    private static string[] Stringify(object[] args) =>
        args.Select(a => a is PSObject p ? p.BaseObject : a).Select(a => Convert.ToString(a, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty).ToArray();

    private void RunCommand()
    {
        var cmd = IpCommands.NetnsExec(Namespace, Command, Stringify(ArgumentList));
        var exit = Stream(cmd, line => WriteObject(line));
        SessionState.PSVariable.Set("global:LASTEXITCODE", exit);
        if (exit != 0 && !IgnoreExitCode)
        {
            WriteNetNsError("NativeCommandFailed", NetNsErrorCategory.InvalidResult,
                $"'{cmd}' exited with status {exit} in {IpClient.Describe(Namespace)}.", Command);
        }
    }

    private int Stream(ToolCommand cmd, Action<string> onOutput)
    {
        using var queue = new BlockingCollection<(bool Error, string Line)>();
        var task = Runner.StreamAsync(cmd, l => queue.Add((false, l)), l => queue.Add((true, l)), CancellationToken)
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
        try
        {
            return task.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            throw new PipelineStoppedException();
        }
    }

    private const string Marker = "#NETNS-CLIXML-7f3a";

    private void RunScriptBlock()
    {
        var (pwsh, pre) = PwshCommand();
        var args = PSSerializer.Serialize(ArgumentList, 2);
        var script = new StringBuilder()
            .Append("$ErrorActionPreference='Continue';$ProgressPreference='SilentlyContinue';")
            .Append("$__a=@([System.Management.Automation.PSSerializer]::Deserialize([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('")
            .Append(Convert.ToBase64String(Encoding.UTF8.GetBytes(args))).Append("'))));")
            .Append("$__sb=[scriptblock]::Create([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('")
            .Append(Convert.ToBase64String(Encoding.UTF8.GetBytes(ScriptBlock!.ToString()))).Append("')));")
            .Append("$__o=[System.Collections.Generic.List[object]]::new();$__e=[System.Collections.Generic.List[string]]::new();")
            .Append("& $__sb @__a 2>&1 | ForEach-Object { if ($_ -is [System.Management.Automation.ErrorRecord]) { $__e.Add($_.ToString()) } else { $__o.Add($_) } };")
            .Append("[Console]::Out.Write(\"`n").Append(Marker).Append("`n\");")
            .Append("[Console]::Out.Write([System.Management.Automation.PSSerializer]::Serialize(@{o=$__o.ToArray();e=$__e.ToArray()},4))")
            .ToString();
        var encoded = Convert.ToBase64String(Encoding.Unicode.GetBytes(script));
        var argv = pre.Concat(new[] { "-NoProfile", "-NonInteractive", "-NoLogo", "-EncodedCommand", encoded });
        var cmd = IpCommands.NetnsExec(Namespace, pwsh, argv);
        var output = new StringBuilder();
        var inPayload = false;
        var exit = Stream(cmd, line =>
        {
            if (inPayload) { output.AppendLine(line); return; }
            if (line == Marker) { inPayload = true; return; }
            WriteInformation(new HostInformationMessage { Message = line }, new[] { "PSHOST" });
        });
        SessionState.PSVariable.Set("global:LASTEXITCODE", exit);
        if (!inPayload)
        {
            WriteNetNsError("ScriptBlockFailed", NetNsErrorCategory.InvalidResult, $"The script block did not complete in {IpClient.Describe(Namespace)} (child pwsh exit status {exit}).", Namespace);
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
