using System.Diagnostics;
using System.Management.Automation;
using NetNs.Core.Ip;
using NetNs.Core.Process;

namespace NetNs.Commands.Namespaces;

/// <summary>
/// <para type="synopsis">Starts an interactive shell inside a network namespace; exit the shell to come back.</para>
/// <para type="description">Runs 'ip netns exec NAME SHELL' attached to the terminal. The shell is $SHELL, or /bin/bash,
/// or the one given with -Shell. The variable NETNS holds the namespace name inside.
/// Errors: NamespaceNotFound (ObjectNotFound).</para>
/// </summary>
[Cmdlet(VerbsCommon.Enter, "NetNamespace", SupportsShouldProcess = false)]
[OutputType(typeof(void))]
public sealed class EnterNetNamespaceCommand : NetNsCmdlet
{
    /// <summary>The namespace to enter.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    [Alias("Namespace")]
    public string Name { get; set; } = string.Empty;

    /// <summary>The shell program to start (default: $SHELL, else /bin/bash).</summary>
    [Parameter(Position = 1)]
    public string? Shell { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        Try(() =>
        {
            if (Shell is not null) Core.Validation.Validate.Program(Shell, "Shell");
            Namespaces.RequireNamespace(Name, "Name");
            var shell = Shell ?? Environment.GetEnvironmentVariable("SHELL");
            if (string.IsNullOrEmpty(shell)) shell = "/bin/bash";
            // Interactive: the shell needs this terminal, which CliWrap (always piped) cannot hand over.
            // The shell starts in the current PowerShell location, as a native command would.
            var psi = new ProcessStartInfo(ToolLocator.Resolve("ip")) { UseShellExecute = false, WorkingDirectory = SessionState.Path.CurrentFileSystemLocation.ProviderPath };
            foreach (var a in new[] { "netns", "exec", Name, shell }) psi.ArgumentList.Add(a);
            psi.Environment["NETNS"] = Name;
            WriteVerbose(CommandLine.Format("ip", psi.ArgumentList));
            Host.UI.WriteLine($"Entering network namespace '{Name}'. Type 'exit' to return.");
            using var p = Process.Start(psi)!;
            p.WaitForExit();
            Host.UI.WriteLine($"Left network namespace '{Name}'.");
        });
    }
}
