using NetNs.Core.Models;
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
    /// Adds what OVS does not know to port objects: the tx checksum offload state of the interface (in the switch namespace,
    /// ETHTOOL_GTXCSUM), an error for a system device that no longer exists, and, for veth ends, the peer's name and namespace from <paramref name="links"/>.
    /// </summary>
    protected OvsPort Complete(OvsPort port, IReadOnlyDictionary<string, NetLink>? links)
    {
        var sw = Ovs.Connection.SwitchNamespace;
        NetLink? link = null;
        links?.TryGetValue(port.Interface, out link);
        var gone = links is not null && link is null && port.InterfaceType.Length == 0
            ? $"network device {port.Interface} does not exist in {Core.Ip.IpClient.Describe(sw)} (it vanished after it was connected; OVS keeps the port)"
            : null;
        return port.With(OvsClient.TxChecksumOffload(sw, port.Interface), link?.PeerName, link?.PeerNamespace, gone);
    }

    /// <summary>
    /// The links of the namespace ovs-vswitchd runs in (the root namespace unless Set-OvsConnection -SwitchNamespace says
    /// otherwise) by name, veth peers resolved, or null when they cannot be read.
    /// </summary>
    protected IReadOnlyDictionary<string, NetLink>? RootLinks()
    {
        try
        {
            return Ip.GetLinks(Ovs.Connection.SwitchNamespace).GroupBy(l => l.Name).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        }
        catch (Core.Errors.NetNsException)
        {
            return null;
        }
    }
}
