using NetNs.Core.Models;
using NetNs.Core.Native;
using NetNs.Core.Netlink;
using NetNs.Core.Ovs;

namespace NetNs;

/// <summary>
/// Base of the Open vSwitch cmdlets: an OVS client of the module-wide connection (Set-OvsConnection) on the production
/// context (this cmdlet's -Verbose and cancellation), and the helpers the port cmdlets share: the owner check of named
/// ports and the completion of port objects.
/// </summary>
public abstract class OvsCmdlet : NetNsCmdlet
{
    private OvsClient? _ovs;

    /// <summary>Open vSwitch operations against the module-wide connection, in process (OVSDB JSON-RPC).</summary>
    private protected OvsClient Ovs => _ovs ??= new OvsClient(Context);

    /// <summary>
    /// The bridge of each named port (as -Bridge restricts it), for the cmdlets that change ports by name: <c>PortNotFound</c>
    /// for a port no bridge (or not that bridge) has, and <paramref name="internalPort"/> for a bridge's own internal port,
    /// each written as an error of that port. Under -WhatIf a port previewed by Connect-OvsPort -WhatIf earlier in this
    /// pipeline or script counts as existing. Duplicates are dropped.
    /// </summary>
    private protected List<(string Bridge, string Port)> OwnersOf(IEnumerable<(string Name, string? Bridge)> ports, OvsState state, Func<string, string, Core.Errors.NetNsException> internalPort)
    {
        var whatIf = IsWhatIf;
        var owners = new List<(string Bridge, string Port)>();
        foreach (var (name, bridge) in ports)
        {
            Try(() =>
            {
                var owner = state.BridgeOfPort(name) ?? (whatIf ? WhatIfPlan.Find(MyInvocation, "port", name) : null);
                if (owner is null || (bridge is not null && owner != bridge)) throw Ovs.PortNotFound(name, bridge);
                if (owner == name) throw internalPort(name, owner);
                if (!owners.Contains((owner, name))) owners.Add((owner, name));
            });
        }
        return owners;
    }

    /// <summary>
    /// Adds what OVS does not know to port objects: the tx checksum offload state of each interface (in the switch namespace,
    /// ETHTOOL_GTXCSUM, all read on one thread), an error for a system device that no longer exists, and, for veth ends, the
    /// peer's name and namespace from <paramref name="links"/> (null: unknown, no error is added then).
    /// </summary>
    private protected List<OvsPort> Complete(IReadOnlyCollection<OvsPort> ports, IReadOnlyDictionary<string, NetLink>? links)
    {
        var sw = Ovs.Connection.SwitchNamespace;
        var offload = ChecksumOffload.Read(ports.Select(p => (sw, p.Interface)));
        return ports.Select(port =>
        {
            NetLink? link = null;
            links?.TryGetValue(port.Interface, out link);
            var gone = links is not null && link is null && port.InterfaceType.Length == 0
                ? $"network device {port.Interface} does not exist in {Core.Ip.LinkId.Describe(sw)} (it vanished after it was connected; OVS keeps the port)"
                : null;
            return port.With(offload.TryGetValue((sw, port.Interface), out var on) ? on : null, link?.PeerName, link?.PeerNamespace, gone);
        }).ToList();
    }

    /// <summary>
    /// The links named <paramref name="interfaces"/> in the namespace ovs-vswitchd runs in (the root namespace unless
    /// Set-OvsConnection -SwitchNamespace says otherwise), veth peers resolved, looked up in process (rtnetlink); null when
    /// they cannot be read.
    /// </summary>
    private protected IReadOnlyDictionary<string, NetLink>? SwitchLinks(IReadOnlyCollection<string> interfaces)
    {
        try
        {
            return Links.Find(Ovs.Connection.SwitchNamespace, interfaces);
        }
        catch (Core.Errors.NetNsException)
        {
            return null;
        }
    }
}
