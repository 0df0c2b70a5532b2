using System.Text;

namespace NetNs.Core.Process;

/// <summary>
/// One external command: a tool name resolved on PATH (e.g. <c>ip</c>, <c>ovs-vsctl</c>) and
/// its argv. Never a shell string: every argument reaches the tool unchanged.
/// </summary>
public sealed class ToolCommand
{
    /// <summary>Creates a command.</summary>
    /// <param name="tool">Program name, looked up on PATH, /usr/sbin and /sbin.</param>
    /// <param name="arguments">The argv after the program name.</param>
    /// <param name="standardInput">Text written to the tool's stdin (e.g. for <c>ip -batch -</c>), or null.</param>
    public ToolCommand(string tool, IEnumerable<string> arguments, string? standardInput = null)
    {
        Tool = tool;
        Arguments = arguments.ToArray();
        StandardInput = standardInput;
    }

    /// <summary>Program name.</summary>
    public string Tool { get; }

    /// <summary>The argv after the program name.</summary>
    public IReadOnlyList<string> Arguments { get; }

    /// <summary>Text sent to stdin, or null for none.</summary>
    public string? StandardInput { get; }

    /// <summary>
    /// The directory the program starts in; null for "/". NetNs's own tools never depend on it, and "/" works whoever runs
    /// them and wherever pwsh was started (a directory the user cannot enter would make every start fail). Programs the user
    /// runs (Invoke-InNamespace) get the current PowerShell location, as native commands do.
    /// </summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>The command as a POSIX shell would show it (for -Verbose and -WhatIf only; never executed).</summary>
    public override string ToString()
    {
        var text = CommandLine.Format(Tool, Arguments);
        if (StandardInput is null) return text;
        var lines = StandardInput.TrimEnd('\n').Split('\n');
        return text + " <<EOF" + Environment.NewLine + string.Join(Environment.NewLine, lines) + Environment.NewLine + "EOF";
    }
}

/// <summary>Formats argv for display, quoting like a POSIX shell.</summary>
public static class CommandLine
{
    /// <summary>Joins a program and its argv, single-quoting what a shell would split or expand.</summary>
    public static string Format(string tool, IEnumerable<string> arguments)
    {
        var sb = new StringBuilder(Quote(tool));
        foreach (var a in arguments) sb.Append(' ').Append(Quote(a));
        return sb.ToString();
    }

    /// <summary>Quotes one argument for display.</summary>
    public static string Quote(string arg)
    {
        if (arg.Length > 0 && arg.All(c => char.IsLetterOrDigit(c) || "-_./:=,@%+".Contains(c))) return arg;
        return "'" + arg.Replace("'", "'\\''") + "'";
    }
}
