using System.Management.Automation;
using NetNs.Core.Ovs;

namespace NetNs.Commands.Ovs;

/// <summary>
/// <para type="synopsis">Chooses the Open vSwitch database (ovsdb-server socket) and timeout every OVS cmdlet of this session uses.</para>
/// <para type="description">Module-wide setting (every runspace of this process): -Database 'unix:/path/db.sock' (or the bare absolute
/// path, or 'tcp:HOST:PORT') makes every OVS cmdlet send its OVSDB JSON-RPC requests to that ovsdb-server (the equivalent
/// ovs-vsctl lines in -Verbose and -WhatIf carry --db=...); -Default goes back to the system socket (unix:$OVS_RUNDIR/db.sock, default
/// /var/run/openvswitch/db.sock). -TimeoutSeconds bounds each request and the wait for ovs-vswitchd (seconds, default 10; --timeout in
/// the equivalent lines). An ssl: remote is accepted but cannot be reached (NetNs configures no certificates). -SwitchNamespace names the network
/// namespace ovs-vswitchd runs in (default: root), whose links Connect-OvsPort connects. Nothing is contacted here.
/// Errors: InvalidOvsDatabase, InvalidOvsTimeout, InvalidNamespaceName (InvalidArgument).</para>
/// </summary>
[Cmdlet(VerbsCommon.Set, "OvsConnection", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = ByDatabase)]
[OutputType(typeof(OvsConnection))]
public sealed class SetOvsConnectionCommand : OvsCmdlet
{
    /// <summary>Parameter set of an explicit database.</summary>
    public const string ByDatabase = "ByDatabase";

    /// <summary>Parameter set of the system default.</summary>
    public const string ToDefault = "Default";

    /// <summary>The ovsdb remote: unix:/path/db.sock (or /path/db.sock), tcp:HOST:PORT or ssl:HOST:PORT. Bound from a piped OvsConnection.</summary>
    [Parameter(Position = 0, ParameterSetName = ByDatabase, ValueFromPipelineByPropertyName = true)]
    public string? Database { get; set; }

    /// <summary>Use the system database socket again.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ToDefault)]
    public SwitchParameter Default { get; set; }

    /// <summary>Seconds a request and the wait for ovs-vswitchd may take (ovs-vsctl's --timeout), 1–3600; default: unchanged (initially 10).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public int? TimeoutSeconds { get; set; }

    /// <summary>
    /// The network namespace ovs-vswitchd runs in ("" = the root namespace, the default): Connect-OvsPort then connects links
    /// of that namespace. Default: unchanged (-Default resets it to the root namespace).
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString, AllowNull]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public string? SwitchNamespace { get; set; }

    /// <summary>Emit the new setting.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override bool RequiresPrivileges => false;

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        Try(() =>
        {
            var current = OvsSetting.Current;
            var db = Default ? null : MyInvocation.BoundParameters.ContainsKey(nameof(Database)) ? Database : current.Database;
            var sw = Default ? null : MyInvocation.BoundParameters.ContainsKey(nameof(SwitchNamespace)) ? NormalizeNamespace(SwitchNamespace) : current.SwitchNamespace;
            var next = new OvsConnection(db, TimeoutSeconds ?? (Default ? OvsConnection.DefaultTimeoutSeconds : current.TimeoutSeconds), sw);
            if (!ShouldProcess("Open vSwitch connection", $"Use {next.EffectiveDatabase} with --timeout={next.TimeoutSeconds}" + (next.SwitchNamespace.Length == 0 ? "" : $", ovs-vswitchd in namespace '{next.SwitchNamespace}'"))) return;
            OvsSetting.Current = next;
            if (PassThru) WriteObject(next);
        });
    }
}
