using System.Management.Automation;
using NetNs.Core.Context;
using NetNs.Core.Validation;
using NetNs.Core.Errors;
using NetNs.Core.Ip;
using NetNs.Core.Native;
using NetNs.Core.Process;

namespace NetNs;

/// <summary>
/// Base of every NetNs cmdlet: creates the context once per cmdlet (the production seams, the runner, the trace that
/// writes each command line to -Verbose on the pipeline thread, the cancellation Ctrl+C triggers) and passes it to the
/// core operations; checks privileges once and turns <see cref="NetNsException"/> into ErrorRecords.
/// </summary>
public abstract class NetNsCmdlet : PSCmdlet
{
    private readonly CancellationTokenSource _cts = new();
    private int _pipelineThread;
    private NetNsContext? _context;

    /// <summary>Cancelled when the user presses Ctrl+C.</summary>
    protected CancellationToken CancellationToken => _cts.Token;

    /// <summary>False for cmdlets that only read state and may run without root.</summary>
    protected virtual bool RequiresPrivileges => true;

    /// <summary>The context every core operation of this cmdlet is given (created once, with the production seams).</summary>
    private protected NetNsContext Context => _context ??= NetNsContext.Production(OvsSetting.Current, CancellationToken, Trace);

    /// <summary>The runner all external tools go through (the context's).</summary>
    protected IToolRunner Runner => Context.Runner;

    /// <summary>Namespace operations over this cmdlet's context.</summary>
    private protected NamespaceOps Namespaces => new(Context);

    /// <summary>Link operations over this cmdlet's context.</summary>
    private protected LinkOps Links => new(Context);

    /// <summary>Address operations over this cmdlet's context.</summary>
    private protected AddressOps Addresses => new(Context);

    /// <summary>Route operations over this cmdlet's context.</summary>
    private protected Core.Routes.RouteOps Routes => new(Context);

    /// <summary>Forwarding (router) operations over this cmdlet's context.</summary>
    private protected ForwardingOps ForwardingOps => new(Context);

    // Trace lines of worker threads (a lab's OVSDB transaction runs beside its kernel part): -Verbose can only be written
    // from the pipeline thread, so they wait here until it writes the next line or the operation returns.
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _laterTrace = new();

    /// <summary>Writes a trace line (a command line, or an in-process request's equivalent) to -Verbose.</summary>
    private void Trace(string line)
    {
        if (Environment.CurrentManagedThreadId != _pipelineThread)
        {
            _laterTrace.Enqueue(line);
            return;
        }
        FlushTrace();
        // Not while stopping (Ctrl+C): the pipeline refuses output then, and clean-up commands must still run.
        if (!Stopping) WriteVerbose(line);
    }

    /// <summary>Writes the trace lines worker threads left (on the pipeline thread only).</summary>
    private protected void FlushTrace()
    {
        if (Environment.CurrentManagedThreadId != _pipelineThread) return;
        while (_laterTrace.TryDequeue(out var line))
            if (!Stopping) WriteVerbose(line);
    }

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        _pipelineThread = Environment.CurrentManagedThreadId;
        if (RequiresPrivileges && !Privileges.CanManageNamespaces())
        {
            ThrowTerminatingError(new ErrorRecord(
                new UnauthorizedAccessException($"{MyInvocation.MyCommand.Name} needs root or the capabilities CAP_NET_ADMIN and CAP_SYS_ADMIN to manage network namespaces, links and switches. Run pwsh as root (e.g. 'sudo pwsh').") ,
                "NotRoot", ErrorCategory.PermissionDenied, Environment.UserName));
        }
    }

    /// <inheritdoc />
    protected override void StopProcessing() => _cts.Cancel();

    private readonly System.Diagnostics.Stopwatch _progressClock = System.Diagnostics.Stopwatch.StartNew();
    private bool _progressShown;

    /// <summary>The id of the progress record NetNs cmdlets write.</summary>
    protected const int ProgressActivityId = 0x4e4e;

    /// <summary>
    /// Writes progress for work on many items, but only once the cmdlet has run for more than a second (quick runs show nothing).
    /// <paramref name="total"/> may be null when the number of items is not known (pipeline input).
    /// </summary>
    protected void ReportProgress(string activity, string item, int done, int? total, bool force = false)
    {
        if (!force && _progressClock.ElapsedMilliseconds < 1000) return;
        var record = new ProgressRecord(ProgressActivityId, activity,
            total is { } t ? $"{item} ({done + 1} of {t})" : done > 0 ? $"{item} ({done} done)" : item);
        if (total is { } n && n > 0) record.PercentComplete = Math.Min(100, 100 * done / n);
        WriteProgress(record);
        _progressShown = true;
    }

    /// <summary>Closes the progress bar written by <see cref="ReportProgress"/>, if any.</summary>
    protected void CompleteProgress(string activity)
    {
        if (!_progressShown) return;
        WriteProgress(new ProgressRecord(ProgressActivityId, activity, "Done") { RecordType = ProgressRecordType.Completed });
        _progressShown = false;
    }

    /// <summary>Maps a NetNs failure to an ErrorRecord.</summary>
    protected static ErrorRecord ToErrorRecord(NetNsException ex)
    {
        var category = Enum.TryParse<ErrorCategory>(ex.Category.ToString(), out var c) ? c : ErrorCategory.NotSpecified;
        var record = new ErrorRecord(ex, ex.ErrorId, category, ex.Target);
        if (ex.ErrorId == "ToolNotFound" && ex.Target is string tool && ToolLocator.PackageOf(tool) is { } pkg)
            record.ErrorDetails = new ErrorDetails(ex.Message) { RecommendedAction = $"apt-get install {pkg}" };
        return record;
    }

    /// <summary>Writes a non-terminating error, or a terminating one when nothing else can work.</summary>
    protected void WriteNetNsError(NetNsException ex)
    {
        if (ex.IsFatal) ThrowTerminatingError(ToErrorRecord(ex));
        WriteError(ToErrorRecord(ex));
    }

    /// <summary>Writes an error built from its parts.</summary>
    protected void WriteNetNsError(string errorId, NetNsErrorCategory category, string message, object? target)
        => WriteNetNsError(new NetNsException(errorId, category, message, target));

    /// <summary>
    /// Runs <paramref name="action"/> for one item: a <see cref="NetNsException"/> becomes an error for
    /// that item and processing goes on with the next. Returns false when it failed.
    /// </summary>
    protected bool Try(Action action)
    {
        try
        {
            action();
            return true;
        }
        catch (NetNsException ex)
        {
            FlushTrace();
            WriteNetNsError(ex);
            return false;
        }
        catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        finally
        {
            FlushTrace();
        }
    }

    /// <summary>True when -WhatIf is in force (the cmdlet passes on objects that describe, but do not exist).</summary>
    protected bool IsWhatIf =>
        MyInvocation.BoundParameters.TryGetValue("WhatIf", out var w) && w is SwitchParameter s ? s.IsPresent
        : SessionState.PSVariable.GetValue("WhatIfPreference") is { } pref && LanguagePrimitives.IsTrue(pref);

    /// <summary>
    /// The -Namespace filter of a Get- cmdlet that lists what NetNs started (DHCP servers, leases, clients): null (every
    /// namespace) when -Namespace was not given, else the namespace ("" = root). The module's rule: an omitted -Namespace is
    /// the root namespace for cmdlets that read or change the kernel's objects (as ip without -n), and every namespace for
    /// these listings.
    /// </summary>
    protected string? NamespaceFilter => MyInvocation.BoundParameters.ContainsKey("Namespace")
        ? NormalizeNamespace(MyInvocation.BoundParameters["Namespace"] as string) : null;

    /// <summary>Normalises a namespace argument: null and whitespace mean the root namespace ("").</summary>
    protected static string NormalizeNamespace(string? ns) => string.IsNullOrWhiteSpace(ns) ? string.Empty : ns;

    /// <summary>
    /// Writes the items whose namespace matches <paramref name="namespacePattern"/> (only when -Namespace was given; ""
    /// = root namespace) and whose interface matches <paramref name="interfacePattern"/> (when not empty); wildcards
    /// allowed in both. An invalid pattern is an InvalidArgument error and writes nothing.
    /// </summary>
    protected void WriteMatching<T>(IEnumerable<T> items, string? namespacePattern, string? interfacePattern, Func<T, string> namespaceOf, Func<T, string> interfaceOf)
    {
        if (!string.IsNullOrEmpty(namespacePattern) && !Try(() => Validate.NamespacePattern(namespacePattern, "Namespace"))) return;
        if (!string.IsNullOrEmpty(interfacePattern) && !Try(() => Validate.InterfacePattern(interfacePattern, "Interface"))) return;
        var ns = MyInvocation.BoundParameters.ContainsKey("Namespace") ? new WildcardPattern(NormalizeNamespace(namespacePattern)) : null;
        var ifp = string.IsNullOrEmpty(interfacePattern) ? null : new WildcardPattern(interfacePattern);
        foreach (var item in items)
        {
            if (ns is not null && !ns.IsMatch(namespaceOf(item))) continue;
            if (ifp is not null && !ifp.IsMatch(interfaceOf(item))) continue;
            WriteObject(item);
        }
    }

    /// <summary>
    /// The one name filter of the Get- cmdlets: the items whose name matches one of <paramref name="names"/> (all items
    /// when none are given; wildcards allowed), name by name in order (each item once with <paramref name="distinct"/>).
    /// Each pattern is checked by <paramref name="validate"/> first (a bad one is an error for that name; the others
    /// still count); a name without wildcards that matches nothing is the error <paramref name="notFound"/> makes.
    /// </summary>
    private protected List<T> SelectByName<T>(IReadOnlyCollection<T> items, string[]? names, Func<T, string> nameOf,
        Func<string, NetNsException>? notFound, Action<string>? validate = null, bool distinct = false)
    {
        if (names is null || names.Length == 0) return items.ToList();
        var result = new List<T>();
        foreach (var n in names)
        {
            if (validate is not null && !Try(() => validate(n))) continue;
            var pattern = new WildcardPattern(n);
            var matches = items.Where(x => pattern.IsMatch(nameOf(x))).ToList();
            if (matches.Count == 0 && notFound is not null && !WildcardPattern.ContainsWildcardCharacters(n)) WriteNetNsError(notFound(n));
            result.AddRange(distinct ? matches.Where(m => !result.Contains(m)) : matches);
        }
        return result;
    }

    /// <summary>Writes what <see cref="SelectByName"/> selects.</summary>
    private protected void WriteByName<T>(IReadOnlyCollection<T> items, string[]? names, Func<T, string> nameOf, Func<string, NetNsException>? notFound, Action<string>? validate = null)
        => WriteObject(SelectByName(items, names, nameOf, notFound, validate), enumerateCollection: true);
}
