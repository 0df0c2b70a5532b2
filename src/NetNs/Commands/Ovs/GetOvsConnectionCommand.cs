using System.Management.Automation;
using NetNs.Core.Ovs;

namespace NetNs.Commands.Ovs;

/// <summary>
/// <para type="synopsis">Shows which Open vSwitch database and timeout (seconds) the OVS cmdlets use (Set-OvsConnection changes it).</para>
/// <para type="description">With -Test, also checks that the database answers (reads the Open_vSwitch row in process over OVSDB
/// JSON-RPC, what 'ovs-vsctl list Open_vSwitch' shows) and writes its
/// OVS version to -Verbose; an unreachable database is the terminating error OvsUnreachable (ConnectionError).</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "OvsConnection")]
[OutputType(typeof(OvsConnection))]
public sealed class GetOvsConnectionCommand : OvsCmdlet
{
    /// <summary>Contact the database and fail when it does not answer.</summary>
    [Parameter]
    public SwitchParameter Test { get; set; }

    /// <inheritdoc />
    protected override bool RequiresPrivileges => false;

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        Try(() =>
        {
            if (Test) WriteVerbose($"Open vSwitch at {Ovs.Connection.EffectiveDatabase} answers (ovs_version: {Ovs.GetVersion() ?? "not recorded"}).");
            WriteObject(Ovs.Connection);
        });
    }
}
