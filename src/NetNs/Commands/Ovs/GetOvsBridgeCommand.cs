using System.Management.Automation;
using NetNs.Core.Models;

namespace NetNs.Commands.Ovs;

/// <summary>
/// <para type="synopsis">Lists Open vSwitch bridges: name, datapath type, ports and fail mode (one read, in process over OVSDB JSON-RPC).</para>
/// <para type="description">Without -Name lists every bridge of the database set with Set-OvsConnection. Errors: BridgeNotFound
/// (ObjectNotFound) for a name without wildcards that matches nothing; OvsUnreachable (ConnectionError, terminating).</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "OvsBridge")]
[OutputType(typeof(OvsBridge))]
public sealed class GetOvsBridgeCommand : OvsCmdlet
{
    /// <summary>Bridge names; wildcards allowed.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(OvsBridgeNameCompleter))]
    public string[]? Name { get; set; }

    /// <inheritdoc />
    protected override bool RequiresPrivileges => false;

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        Try(() =>
        {
            var bridges = Ovs.GetState().Bridges();
            if (Name is null)
            {
                WriteObject(bridges, enumerateCollection: true);
                return;
            }
            foreach (var n in Name) Core.Validation.Validate.InterfacePattern(n, "Name");
            foreach (var n in Name)
            {
                var p = new WildcardPattern(n);
                var m = bridges.Where(b => p.IsMatch(b.Name)).ToList();
                if (m.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(n))
                    WriteNetNsError(Ovs.BridgeNotFound(n, "Name"));
                WriteObject(m, enumerateCollection: true);
            }
        });
    }
}
