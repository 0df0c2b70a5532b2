using System.Management.Automation;
using NetNs.Core.Lab;

namespace NetNs.Commands.Lab;

/// <summary>
/// <para type="synopsis">Builds a whole lab (namespaces, veth links, addresses, MTUs, Open vSwitch bridges, ports and VLANs) from a definition, all or nothing.</para>
/// <para type="description">The definition is a .psd1, .json or .yaml file, a hashtable, or a LabDefinition (New-NetLabDefinition).
/// Everything is checked first (names, addresses, MTUs in bytes, VLAN tags 1-4094, trunks, references, duplicates, and
/// collisions with existing namespaces, links, bridges and ports). Then the namespaces and veth pairs (each end directly in
/// its namespace) are created in process, what one 'ip -batch -' does; then, from one thread entering each namespace in turn, rtnetlink requests
/// (the ones 'ip -n NS -batch -' would send) bring lo and the ends up, mark them
/// and add the addresses, while ONE OVSDB transaction (in process, JSON-RPC; shown as its 'ovs-vsctl' line) creates the bridges, ports, tags and trunks; on
/// userspace-datapath (netdev) bridges tx checksum offload is turned off on both veth ends (as 'ethtool -K DEV tx off').
/// Every object carries the owner mark netns-lab:NAME (link alias, OVS external_ids) and the lab is recorded in
/// /run/netns-ps/labs/NAME.json with the creating pid. If anything fails, everything built so far is removed.
/// Errors: InvalidLabDefinition, InvalidLabName, InvalidInterfaceName, InvalidNamespaceName, InvalidAddress, InvalidMtu,
/// InvalidVlanTag, InvalidTrunk, InvalidDhcpRange, DuplicateLabObject, DuplicateAddress (InvalidArgument);
/// InvalidOvsSocket; LabReferenceNotFound, LabDefinitionNotFound (ObjectNotFound); LabRecordCorrupt (InvalidResult); LabExists, NamespaceExists, LinkExists, BridgeExists,
/// PortExists (ResourceExists); LabBuildFailed (the failing tool's category);
/// OvsUnreachable (ConnectionError, terminating).</para>
/// </summary>
[Cmdlet(VerbsCommon.New, "NetLab", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(NetLab), typeof(LabDefinition))]
public sealed class NewNetLabCommand : LabCmdlet
{
    /// <summary>A path to a .psd1/.json/.yaml definition, a hashtable, or a LabDefinition object.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    public object Definition { get; set; } = null!;

    /// <summary>Lab name; overrides the definition's Name.</summary>
    [Parameter]
    public string? Name { get; set; }

    /// <summary>The ovsdb socket of the Open vSwitch to use (ovs-vsctl --db=unix:PATH); default: the system one.</summary>
    [Parameter]
    public string? OvsSocket { get; set; }

    /// <summary>The namespace ovs-vswitchd runs in (the bridge-port veth ends are created there); default: the root namespace.</summary>
    [Parameter]
    [AllowEmptyString, AllowNull]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public string? SwitchNamespace { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        Try(() =>
        {
            var d = ReadDefinition(Definition, Name);
            var options = new LabOptions { OvsSocket = string.IsNullOrEmpty(OvsSocket) ? null : LabValidator.OvsSocket(OvsSocket.Any(char.IsControl) ? OvsSocket : GetUnresolvedProviderPathFromPSPath(OvsSocket)), SwitchNamespace = NormalizeNamespace(SwitchNamespace) };
            var builder = new LabBuilder(Context);
            var datapaths = builder.Check(d, options);
            var commands = new List<string> { LabCommands.RootBatch(d, options.SwitchNamespace).ToString() };
            commands.Add("# the following per-namespace changes are sent as rtnetlink requests from this process (the same requests these batches send):");
            if (options.SwitchNamespace.Length > 0 && LabCommands.SwitchBatchLines(d).Count > 0)
                commands.Add(LabCommands.Batch(options.SwitchNamespace, LabCommands.SwitchBatchLines(d).Select(x => x.Line)).ToString());
            commands.AddRange(d.Namespaces.Select(n => LabCommands.NamespaceBatch(d, n.Name).ToString()));
            if (LabCommands.OvsBuild(d, datapaths, options.OvsSocket) is { } ovs) commands.Add(ovs.ToString());
            foreach (var n in d.Namespaces.Where(n => n.Forwarding))
                foreach (var key in new[] { Core.Native.NamespaceSysctl.Ipv4Forwarding, Core.Native.NamespaceSysctl.Ipv6Forwarding })
                    commands.Add(Core.Native.NamespaceSysctl.WriteCommand(n.Name, key, "1") + "   (in process: " + Core.Process.InProcess.Sysctl + ")");
            foreach (var n in d.Namespaces.Where(n => n.Nat))
                commands.Add($"# NAT for {n.Name}, as Enable-NetNamespaceNat {n.Name} does:" + Environment.NewLine
                    + string.Join(Environment.NewLine, Core.Nat.NatOps.Plan(n.Name, Core.Nat.NatOps.LabInterface, "nsnatXXXXXX", System.Net.IPNetwork.Parse("100.127.0.0/30"))));
            if (!ShouldProcess($"lab '{d.Name}' ({d.Namespaces.Count} namespaces, {d.Bridges.Count} bridges, {d.Links.Count} links)", string.Join(Environment.NewLine, commands)))
            {
                if (IsWhatIf) WriteObject(d);
                return;
            }
            WriteObject(builder.Build(d, options));
        });
    }
}
