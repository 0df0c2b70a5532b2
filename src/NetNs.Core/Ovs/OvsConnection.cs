using System.Globalization;
using NetNs.Core.Errors;

namespace NetNs.Core.Ovs;

/// <summary>
/// Where Open vSwitch lives: the <c>ovsdb-server</c> remote NetNs talks OVSDB JSON-RPC to (the one <c>ovs-vsctl --db</c>
/// would use), how long (seconds) a request and the wait for ovs-vswitchd may take, and the namespace ovs-vswitchd runs in.
/// Immutable; the cmdlet layer keeps the module-wide setting (Set-OvsConnection) and passes it in the context.
/// </summary>
public sealed class OvsConnection
{
    /// <summary>Default <see cref="TimeoutSeconds"/>: 10 seconds.</summary>
    public const int DefaultTimeoutSeconds = 10;

    /// <summary>The script that starts the system daemons without systemd.</summary>
    public const string OvsCtl = "/usr/share/openvswitch/scripts/ovs-ctl";

    /// <summary>Creates a setting.</summary>
    /// <param name="database">An ovsdb remote such as <c>unix:/run/ovs/db.sock</c> (a bare absolute path gets <c>unix:</c>), or null for the system default.</param>
    /// <param name="timeoutSeconds">Seconds a request and the wait for ovs-vswitchd may take (ovs-vsctl's <c>--timeout</c>), 1–3600.</param>
    /// <param name="switchNamespace">The network namespace <c>ovs-vswitchd</c> runs in ("" or null = the root namespace): the namespace whose links can become ports.</param>
    /// <exception cref="NetNsException"><c>InvalidOvsDatabase</c>, <c>InvalidOvsTimeout</c> or <c>InvalidNamespaceName</c> (InvalidArgument).</exception>
    public OvsConnection(string? database, int timeoutSeconds = DefaultTimeoutSeconds, string? switchNamespace = null)
    {
        SwitchNamespace = string.IsNullOrWhiteSpace(switchNamespace) ? string.Empty : switchNamespace;
        if (SwitchNamespace.Length > 0) Validation.Validate.NamespaceName(SwitchNamespace, "SwitchNamespace");
        Database = NormalizeDatabase(database);
        if (timeoutSeconds < 1 || timeoutSeconds > 3600)
            throw new NetNsException("InvalidOvsTimeout", NetNsErrorCategory.InvalidArgument,
                $"-TimeoutSeconds must be between 1 and 3600 seconds, not {timeoutSeconds}.", timeoutSeconds);
        TimeoutSeconds = timeoutSeconds;
    }

    /// <summary>The system default: the system socket, 10 seconds, ovs-vswitchd in the root namespace.</summary>
    public static OvsConnection Default { get; } = new(null, DefaultTimeoutSeconds);

    /// <summary>The ovsdb remote (<c>--db=</c> in the equivalent ovs-vsctl command lines), or null for the system socket.</summary>
    public string? Database { get; }

    /// <summary>
    /// The network namespace ovs-vswitchd runs in ("" = the root namespace). Ports are links of this namespace: a private
    /// instance with a userspace datapath runs in a namespace of its own, since two of them collide in one namespace.
    /// </summary>
    public string SwitchNamespace { get; }

    /// <summary>Seconds NetNs waits for the database and for ovs-vswitchd (ovs-vsctl's <c>--timeout=N</c> in the equivalent command lines).</summary>
    public int TimeoutSeconds { get; }

    /// <summary>True when the system default socket is used.</summary>
    public bool IsDefault => Database is null;

    /// <summary>The remote actually used: <see cref="Database"/>, or <c>unix:$OVS_RUNDIR/db.sock</c> (default <c>/var/run/openvswitch</c>).</summary>
    public string EffectiveDatabase => Database ?? "unix:" + Path.Combine(DefaultRunDirectory, "db.sock");

    /// <summary>The run directory of the system socket, as ovs-vsctl finds it: <c>$OVS_RUNDIR</c> or <c>/var/run/openvswitch</c>.</summary>
    public static string DefaultRunDirectory =>
        Environment.GetEnvironmentVariable("OVS_RUNDIR") is { Length: > 0 } d ? d : "/var/run/openvswitch";

    /// <summary>The global ovs-vsctl options of this setting in the equivalent command lines: <c>--timeout=N</c> and, for a non-default socket, <c>--db=REMOTE</c>.</summary>
    public IReadOnlyList<string> GlobalOptions
    {
        get
        {
            var a = new List<string> { "--timeout=" + TimeoutSeconds.ToString(CultureInfo.InvariantCulture) };
            if (Database is not null) a.Add("--db=" + Database);
            return a;
        }
    }

    /// <summary>Longest unix socket path in bytes: sun_path (108) minus the terminating NUL.</summary>
    public const int MaxSocketPathBytes = 107;

    /// <summary>Checks and normalises a database remote: <c>unix:PATH</c>, <c>tcp:HOST:PORT</c>, <c>ssl:HOST:PORT</c>, or an absolute socket path.</summary>
    public static string? NormalizeDatabase(string? database)
    {
        if (string.IsNullOrEmpty(database) || (database.Trim(' ').Length == 0)) return null;
        var d = database.Trim(' ');
        if (d.StartsWith('/')) d = "unix:" + d;
        var ok = (d.StartsWith("unix:/", StringComparison.Ordinal) && d.Length > 6 && System.Text.Encoding.UTF8.GetByteCount(d) - 5 <= MaxSocketPathBytes)
                 || ((d.StartsWith("tcp:", StringComparison.Ordinal) || d.StartsWith("ssl:", StringComparison.Ordinal)) && d.Length <= 300);
        // Newlines, tabs and other control characters are refused, never trimmed away: the value is shown in command lines and opened as a socket.
        if (!ok || d.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            throw new NetNsException("InvalidOvsDatabase", NetNsErrorCategory.InvalidArgument,
                $"Invalid Open vSwitch database '{NetNs.Core.Validation.Validate.Printable(database)}' for -Database: give 'unix:/path/to/db.sock' (or the absolute socket path, at most {MaxSocketPathBytes} bytes), 'tcp:HOST:PORT' or 'ssl:HOST:PORT', without control characters or whitespace.", database);
        return d;
    }

    /// <inheritdoc />
    public override string ToString() => SwitchNamespace.Length == 0 ? EffectiveDatabase : $"{EffectiveDatabase} (ovs-vswitchd in namespace '{SwitchNamespace}')";
}
