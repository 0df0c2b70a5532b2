using System.Management.Automation;
using NetNs.Core.Errors;
using NetNs.Core.Ip;
using NetNs.Core.Models;
using NetNs.Core.Netlink;
using NetNs.Core.Ovs;
using NetNs.Core.Validation;

namespace NetNs.Commands.Ovs;

/// <summary>
/// <para type="synopsis">Adds links of the root namespace (or of the namespace ovs-vswitchd runs in) as ports of an Open vSwitch bridge (what ovs-vsctl add-port does, in process), many in ONE transaction.</para>
/// <para type="description">Takes link names, or from the pipeline VethPair objects (the end in the switch namespace is connected: the root
/// namespace unless Set-OvsConnection -SwitchNamespace names the one ovs-vswitchd runs in), NetLink objects or strings. All links are collected
/// and added in EndProcessing in ONE transaction, atomically, the one 'ovs-vsctl add-port BR A -- add-port BR B …' sends (shown so in -Verbose):
/// it is done in process (OVSDB JSON-RPC, RFC 7047), waiting like ovs-vsctl until ovs-vswitchd has applied it (cur_cfg).
/// Only the links being connected are looked up (rtnetlink), so connecting a port starts no process.
/// Optional -Tag (access VLAN 1-4094) or -Trunk (with -NativeVlan), IEEE 802.1Q. On a 'netdev' (userspace) bridge, tx checksum offload is
/// turned off on both ends of each veth (what 'ethtool -K DEV tx off' does, in process with the SIOCETHTOOL ioctl), so that UDP (DHCP) and TCP
/// work; TxChecksumOffload on the output shows it (-KeepTxChecksumOffload skips this). Every link is checked before OVS is touched. Errors: LinkNotFound (ObjectNotFound),
/// LinkNotInRootNamespace, UnsupportedInputObject, InvalidInterfaceName, InvalidVlanTag, InvalidTrunk, DuplicateTrunkVlan,
/// NativeVlanNotInTrunk, NativeVlanWithoutTrunk, ConflictingVlanParameters (InvalidArgument); BridgeNotFound (ObjectNotFound);
/// PortExists (ResourceExists; with -Force a port already on that bridge is returned as it is); OvsUnreachable (ConnectionError)
/// and OvsTimeout (OperationTimeout) are terminating. ethtool failures are warnings. Ctrl+C while the transaction runs takes the new
/// ports out again; the ethtool step is not interrupted. Connecting many links shows progress.</para>
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "OvsPort", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = ByName)]
[OutputType(typeof(OvsPort))]
public sealed class ConnectOvsPortCommand : OvsCmdlet
{
    /// <summary>Parameter set of link names.</summary>
    public const string ByName = "ByName";

    /// <summary>Parameter set of piped objects.</summary>
    public const string ByInputObject = "ByInputObject";

    private readonly List<string> _names = new();
    private readonly HashSet<string> _likely = new(StringComparer.Ordinal);

    // Links that piped -WhatIf objects (Exists = $false) describe: they would exist by now, so -WhatIf previews connecting them.
    private readonly Dictionary<string, (string Kind, string? PeerName, string? PeerNamespace)> _previewed = new(StringComparer.Ordinal);

    /// <summary>The bridge to add the ports to.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ArgumentCompleter(typeof(OvsBridgeNameCompleter))]
    public string Bridge { get; set; } = string.Empty;

    /// <summary>Names of links in the root namespace.</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = ByName)]
    [ArgumentCompleter(typeof(OvsPortCandidateCompleter))]
    public string[] Name { get; set; } = Array.Empty<string>();

    /// <summary>A VethPair (its root-namespace end is connected), a NetLink of the root namespace, or a link name.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ByInputObject)]
    public object? InputObject { get; set; }

    /// <summary>Make the new ports access ports of this VLAN (1–4094).</summary>
    [Parameter]
    public int? Tag { get; set; }

    /// <summary>Make the new ports trunks of these VLANs (each 1–4094, no duplicates).</summary>
    [Parameter]
    public int[]? Trunk { get; set; }

    /// <summary>With -Trunk: the VLAN sent and received untagged (must be in the trunk list).</summary>
    [Parameter]
    public int? NativeVlan { get; set; }

    /// <summary>A link that is already a port of this bridge is returned as it is instead of an error.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>
    /// Leave tx checksum offload as it is on a netdev bridge (saves two ethtool runs per veth, each about 30 ms of kernel time;
    /// ping still works, but UDP such as DHCP and TCP across the userspace datapath will not).
    /// </summary>
    [Parameter]
    public SwitchParameter KeepTxChecksumOffload { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (ParameterSetName == ByName)
        {
            foreach (var n in Name) Add(n);
            return;
        }
        var o = InputObject is PSObject p ? p.BaseObject : InputObject;
        var sw = Ovs.Connection.SwitchNamespace;
        var where = LinkId.Describe(sw);
        switch (o)
        {
            case VethPair pair when (pair.PeerNamespace == sw ? pair.PeerName : pair.Namespace == sw ? pair.Name : null) is { } end:
                if (!pair.Exists && IsWhatIf)
                    _previewed[end] = ("veth", end == pair.Name ? pair.PeerName : pair.Name, end == pair.Name ? pair.PeerNamespace : pair.Namespace);
                Add(end);
                // The other end's namespace is where its peer is looked for first.
                _likely.Add(pair.PeerNamespace == sw ? pair.Namespace : pair.PeerNamespace);
                break;
            case VethPair pair:
                WriteNetNsError("LinkNotInRootNamespace", NetNsErrorCategory.InvalidArgument,
                    $"Neither end of veth pair {pair} is in {where}; Open vSwitch can only add links of {where}{SwitchHint(sw)}. Move one end with Move-NetLink.", pair);
                break;
            case NetLink link when link.Namespace != sw:
                WriteNetNsError("LinkNotInRootNamespace", NetNsErrorCategory.InvalidArgument,
                    $"Link '{link.Name}' is in {LinkId.Describe(link.Namespace)}; Open vSwitch can only add links of {where}{SwitchHint(sw)}. Move it with Move-NetLink, or connect its peer{(link.PeerName is null ? "" : " '" + link.PeerName + "'")}.", link);
                break;
            case NetLink link:
                Add(link.Name);
                break;
            case string s:
                Add(s);
                break;
            default:
                WriteNetNsError("UnsupportedInputObject", NetNsErrorCategory.InvalidArgument,
                    $"Connect-OvsPort takes link names, VethPair or NetLink objects, not {o?.GetType().Name ?? "null"}.", o);
                break;
        }
    }

    /// <summary>LinkNotFound, or LinkNotInRootNamespace naming the namespace that holds a link of that name (the wrong veth end).</summary>
    private NetNsException NotHere(string sw, string name)
    {
        var elsewhere = Links.NamespacesHolding(name, sw);
        if (elsewhere.Count == 0) return KernelOps.LinkNotFound(new LinkId(sw, name));
        return new NetNsException("LinkNotInRootNamespace", NetNsErrorCategory.InvalidArgument,
            $"Link '{name}' is not in {LinkId.Describe(sw)} but in namespace '{string.Join("', '", elsewhere)}'; Open vSwitch can only add links of {LinkId.Describe(sw)}{SwitchHint(sw)}. Connect the other end of its veth pair instead (Get-NetLink -Namespace {elsewhere[0]} {name} shows it as the peer), or move it with Move-NetLink.", name);
    }

    private static string SwitchHint(string sw) => sw.Length == 0 ? "" : " (the namespace ovs-vswitchd runs in, Set-OvsConnection -SwitchNamespace)";

    private void Add(string name)
    {
        Try(() =>
        {
            Validate.InterfaceName(name, "Name");
            if (!_names.Contains(name)) _names.Add(name);
        });
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        Try(Connect);
    }

    private void Connect()
    {
        var vlan = OvsVlan.Create(Tag, Trunk, NativeVlan, untagged: false, Bridge);
        Validate.InterfaceName(Bridge, "Bridge");
        if (_names.Count == 0) return;
        var sw = Ovs.Connection.SwitchNamespace;
        // Only this bridge and the named ports are read (in process), not the whole database.
        var state = Ovs.GetState(Bridge, _names);
        var whatIf = IsWhatIf;
        // Under -WhatIf a bridge previewed by New-OvsBridge -WhatIf earlier in this pipeline or script counts as existing.
        var datapath = state.FindBridge(Bridge)?.DatapathType
            ?? (whatIf ? WhatIfPlan.Find(MyInvocation, "bridge", Bridge) : null)
            ?? throw Ovs.BridgeNotFound(Bridge);
        // Only the links being connected are looked up, in process (RTM_GETLINK; veth peers through their netns id).
        Namespaces.RequireNamespace(sw, "SwitchNamespace");
        var links = Links.Find(sw, _names, _likely);
        var info = links.ToDictionary(l => l.Key, l => (l.Value.Kind, l.Value.PeerName, l.Value.PeerNamespace), StringComparer.Ordinal);
        if (whatIf)
            foreach (var p in _previewed) if (!info.ContainsKey(p.Key)) info[p.Key] = p.Value;
        OvsState? after = null;
        var add = new List<string>();
        var keep = new List<string>();
        foreach (var n in _names)
        {
            Try(() =>
            {
                var owner = state.BridgeOfPort(n);
                if (owner == Bridge)
                {
                    if (!Force)
                        throw new NetNsException("PortExists", NetNsErrorCategory.ResourceExists,
                            $"'{n}' is already a port of bridge '{Bridge}'. Use -Force to accept it as it is.", n);
                    keep.Add(n);
                    return;
                }
                if (owner is not null)
                    throw new NetNsException("PortExists", NetNsErrorCategory.ResourceExists,
                        $"'{n}' is already a port of bridge '{owner}'; disconnect it first (Disconnect-OvsPort {n}).", n);
                if (!info.ContainsKey(n)) throw NotHere(sw, n);
                add.Add(n);
            });
        }
        var netdev = datapath == "netdev" && !KeepTxChecksumOffload;
        var offload = new List<(string Namespace, string Device)>();
        if (netdev)
        {
            foreach (var n in add)
            {
                if (info[n].Kind != "veth") continue;
                offload.Add((sw, n));
                if (info[n].PeerName is { } peer && info[n].PeerNamespace is { } peerNs) offload.Add((peerNs, peer));
            }
        }
        if (add.Count > 0)
        {
            var cmd = OvsCommands.AddPorts(Ovs.Connection, Bridge, add, vlan);
            var action = cmd.ToString();
            if (offload.Count > 0)
                action += Environment.NewLine + string.Join(Environment.NewLine, offload.Select(d => OvsCommands.TxOffloadOff(d.Namespace, d.Device).ToString()));
            if (!ShouldProcess($"bridge {Bridge}: {string.Join(", ", add)}", action))
            {
                if (whatIf)
                {
                    foreach (var n in add)
                    {
                        WhatIfPlan.Add(MyInvocation, "port", n, Bridge);
                        WriteObject(new OvsPort(Bridge, n, n, "", null, vlan?.Mode, vlan?.Tag, vlan?.Trunks.OrderBy(t => t).ToList() ?? new List<int>(), null,
                            netdev && info[n].Kind == "veth" ? false : null, info[n].PeerName, info[n].PeerNamespace, exists: false));
                    }
                }
                add.Clear();
            }
            else
            {
                const string activity = "Connecting links to Open vSwitch";
                // The transaction is one step; the ethtool runs (about 30 ms each, 8 at a time) are what takes time with many links.
                ReportProgress(activity, $"Adding {add.Count} port(s) to bridge {Bridge} in one transaction", 0, null, force: add.Count >= 50);
                try
                {
                    after = Ovs.AddPorts(Bridge, add, vlan);
                }
                catch (OperationCanceledException)
                {
                    // Ctrl+C while the port was added: the transaction may have committed. Take the ports out again (not cancellable,
                    // one quick transaction), so that a stopped Connect-OvsPort leaves no port behind, and none without its offload setting.
                    // It waits at most --timeout seconds for ovs-vswitchd; the removal is stored in the database either way.
                    try
                    {
                        Ovs.Uncancellable().RemoveIfExist(Array.Empty<string>(), add);
                    }
                    catch (NetNsException)
                    {
                    }
                    throw;
                }
                if (offload.Count > 0)
                {
                    ReportProgress(activity, $"Turning tx checksum offload off on {offload.Count} veth ends", 0, null, force: offload.Count >= 50);
                    DisableOffload(offload);
                }
                CompleteProgress(activity);
            }
        }
        if (add.Count + keep.Count == 0) return;
        var wanted = new HashSet<string>(add.Concat(keep), StringComparer.Ordinal);
        var ports = (after ?? Ovs.GetState(Bridge, add.Concat(keep).ToList())).Ports().Where(p => p.Bridge == Bridge && wanted.Contains(p.Name)).ToDictionary(p => p.Name);
        WriteObject(Complete(_names.Where(n => wanted.Contains(n) && ports.ContainsKey(n)).Select(n => ports[n]).ToList(), links), enumerateCollection: true);
    }

    private void DisableOffload(List<(string Namespace, string Device)> devices)
    {
        // Done in process (SIOCETHTOOL, setns for namespaced ends); the equivalent ethtool command lines go to -Verbose.
        // Nothing is written while the pipeline is stopping (Ctrl+C): that would throw before the offload is done.
        if (!Stopping)
            foreach (var d in devices) WriteVerbose(OvsCommands.TxOffloadOff(d.Namespace, d.Device) + "   (in process: SIOCETHTOOL)");
        foreach (var f in Core.Native.ChecksumOffload.DisableAll(devices).Select(ex => ex.Message))
            if (!Stopping) WriteWarning($"Could not turn tx checksum offload off ({f}); UDP and TCP over the userspace datapath may fail on that link.");
    }
}
