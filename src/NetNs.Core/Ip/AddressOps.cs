using System.Net.Sockets;
using NetNs.Core.Context;
using NetNs.Core.Errors;
using NetNs.Core.Models;
using NetNs.Core.Netlink;
using NetNs.Core.Validation;

namespace NetNs.Core.Ip;

/// <summary>
/// Addresses through the kernel seam, in process (rtnetlink in the link's namespace; the equivalent <c>ip</c> command
/// line is announced): list as <c>ip -j address show</c> does, add and delete.
/// </summary>
internal sealed class AddressOps : KernelOps
{
    /// <summary>Creates the operations over <paramref name="context"/>.</summary>
    public AddressOps(NetNsContext context) : base(context) { }

    /// <summary>
    /// Addresses in a namespace, optionally of one link: an RTM_GETLINK and an RTM_GETADDR dump, in <c>ip</c>'s order (by
    /// link, IPv4 before IPv6). Dynamic means no IFA_F_PERMANENT (a lifetime, e.g. from DHCP).
    /// </summary>
    public List<NetAddress> GetAddresses(string @namespace, string? name = null)
    {
        RequireNamespace(@namespace);
        var show = IpCommands.AddressShow(@namespace, name);
        Announce(show);
        try
        {
            using var h = Kernel.At(@namespace);
            var links = h.Links();
            if (name is not null)
            {
                links = links.Where(l => l.Name == name).ToList();
                if (links.Count == 0) throw LinkNotFound(new LinkId(@namespace, name));
            }
            var byIndex = h.Addresses().GroupBy(a => a.Index).ToDictionary(g => g.Key, g => g.OrderBy(a => a.Address.AddressFamily == AddressFamily.InterNetwork ? 0 : 1).ToList());
            return links.SelectMany(l => byIndex.GetValueOrDefault(l.Index) ?? new List<Kernel.KernelAddress>(),
                (l, a) => new NetAddress(@namespace, l.Name, a.Address.ToString(), a.PrefixLength, a.Address.AddressFamily, RtnlMessages.ScopeName(a.Scope), !a.Permanent)).ToList();
        }
        catch (RtnlException ex)
        {
            throw KernelErrors.Refused(ex, show, "GetAddressFailed", @namespace, $"Cannot list addresses in {LinkId.Describe(@namespace)}");
        }
    }

    /// <summary>
    /// Adds an address (CIDR) to a link: the RTM_NEWADDR <c>ip address add</c> sends (create, exclusive; scope as ip picks
    /// it). An IPv6 address is usable when this returns: it waits for duplicate address detection to end
    /// (<see cref="AddressDad"/>: <c>DuplicateAddress</c>, <c>DadTimeout</c>), unless <paramref name="skipDad"/> adds it with
    /// IFA_F_NODAD (<c>nodad</c>).
    /// </summary>
    public NetAddress AddAddress(string @namespace, string name, string cidr, bool skipDad = false)
    {
        var (ip, prefix) = Validate.Cidr(cidr);
        var normal = ip + "/" + prefix;
        var noDad = skipDad && ip.AddressFamily == AddressFamily.InterNetworkV6;
        var cmd = IpCommands.AddressAdd(@namespace, name, normal, noDad);
        var id = new LinkId(@namespace, name);
        Send(@namespace, cmd, h =>
        {
            h.AddAddress(name, normal, noDad);
            if (ip.AddressFamily == AddressFamily.InterNetworkV6 && !noDad) AddressDad.Wait(h, id, ip, prefix, AddressDad.DefaultTimeout, Context.Cancellation);
        }, ex => ex.Errno == 19 ? LinkNotFound(id)
            : KernelErrors.Refused(ex, cmd, "AddAddressFailed", id.Target, $"Cannot add address {normal} to link '{name}' in {id.Where}",
                (NetNsErrorCategory.ResourceExists, "AddressExists"), (NetNsErrorCategory.ObjectNotFound, "LinkNotFound")));
        return new NetAddress(@namespace, name, ip.ToString(), prefix, ip.AddressFamily, RtnlMessages.ScopeName(RtnlMessages.DefaultScope(ip)));
    }

    /// <summary>Removes an address (CIDR) from a link: the RTM_DELADDR <c>ip address del</c> sends.</summary>
    public void RemoveAddress(string @namespace, string name, string cidr)
    {
        var (ip, prefix) = Validate.Cidr(cidr);
        var normal = ip + "/" + prefix;
        var cmd = IpCommands.AddressDelete(@namespace, name, normal);
        var id = new LinkId(@namespace, name);
        Send(@namespace, cmd, h => h.DeleteAddress(name, normal), ex => ex.Errno switch
        {
            19 => LinkNotFound(id),
            99 => new NetNsException("AddressNotFound", NetNsErrorCategory.ObjectNotFound, $"Link '{name}' in {id.Where} has no address {normal}.", id.Target),
            _ => KernelErrors.Refused(ex, cmd, "RemoveAddressFailed", id.Target, $"Cannot remove address {normal} from link '{name}'", (NetNsErrorCategory.ObjectNotFound, "LinkNotFound")),
        });
    }
}
