using NetNs.Core.Models;
using NetNs.Core.Native;
using NetNs.Core.Netlink;
using NetNs.Core.Ovs;

namespace NetNs;

/// <summary>
/// Base of the Open vSwitch cmdlets: an <see cref="OvsClient"/> bound to the module-wide connection
/// (Set-OvsConnection), this cmdlet's runner and cancellation, and helpers to complete port objects.
/// </summary>
public abstract class OvsCmdlet : NetNsCmdlet
{
    private OvsClient? _ovs;

    /// <summary>Open vSwitch operations against <see cref="OvsConnection.Current"/>.</summary>
    protected OvsClient Ovs => _ovs ??= new OvsClient(Runner, OvsConnection.Current, CancellationToken);

    /// <summary>
    /// Adds what OVS does not know to port objects: the tx checksum offload state of each interface (in the switch namespace,
    /// ETHTOOL_GTXCSUM, all read on one thread), an error for a system device that no longer exists, and, for veth ends, the
    /// peer's name and namespace from <paramref name="links"/> (null: unknown, no error is added then).
    /// </summary>
    protected List<OvsPort> Complete(IReadOnlyCollection<OvsPort> ports, IReadOnlyDictionary<string, ResolvedLink>? links)
    {
        var sw = Ovs.Connection.SwitchNamespace;
        var offload = ChecksumOffload.Read(ports.Select(p => (sw, p.Interface)));
        return ports.Select(port =>
        {
            ResolvedLink? link = null;
            links?.TryGetValue(port.Interface, out link);
            var gone = links is not null && link is null && port.InterfaceType.Length == 0
                ? $"network device {port.Interface} does not exist in {Core.Ip.IpClient.Describe(sw)} (it vanished after it was connected; OVS keeps the port)"
                : null;
            return port.With(offload.TryGetValue((sw, port.Interface), out var on) ? on : null, link?.PeerName, link?.PeerNamespace, gone);
        }).ToList();
    }

    /// <summary>
    /// The links named <paramref name="interfaces"/> in the namespace ovs-vswitchd runs in (the root namespace unless
    /// Set-OvsConnection -SwitchNamespace says otherwise), veth peers resolved, looked up in process (rtnetlink); null when
    /// they cannot be read.
    /// </summary>
    protected IReadOnlyDictionary<string, ResolvedLink>? SwitchLinks(IReadOnlyCollection<string> interfaces)
    {
        try
        {
            return LinkResolver.Resolve(Ovs.Connection.SwitchNamespace, interfaces);
        }
        catch (Core.Errors.NetNsException)
        {
            return null;
        }
    }
}
