using System.Net;
using System.Net.Sockets;
using NetNs.Core.Errors;
using NetNs.Core.Ip;

namespace NetNs.Core.Netlink;

/// <summary>
/// Waits for IPv6 duplicate address detection (RFC 4862) to finish on an address just added, so that it is usable when
/// the cmdlet returns: until DAD ends the kernel marks the address IFA_F_TENTATIVE and refuses to send from it ("Cannot
/// assign requested address"). Polls the RTM_GETADDR dump of the namespace (what <c>ip -6 address show</c> reads) every
/// 50 ms. A link that is down or has no carrier does not run DAD yet (it starts when the link comes up), so there is
/// nothing to wait for.
/// </summary>
internal static class AddressDad
{
    private const uint IffUp = 0x1, IffRunning = 0x40;

    /// <summary>How long to wait at most: DAD takes dad_transmits × retrans_time (1 × 1 s by default) after a random delay of up to 1 s.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Waits on <paramref name="s"/> (a socket of the namespace) until address <paramref name="ip"/> on link
    /// <paramref name="index"/> is no longer tentative. When DAD finds a duplicate the address is removed again (nothing
    /// half-added) and <c>DuplicateAddress</c> (ResourceExists) is thrown; after <paramref name="timeout"/>,
    /// <c>DadTimeout</c> (OperationTimeout) with the address left in place.
    /// </summary>
    public static void Wait(RtnlSocket s, string @namespace, string name, int index, IPAddress ip, int prefix, TimeSpan timeout, CancellationToken ct)
    {
        if (ip.AddressFamily != AddressFamily.InterNetworkV6) return;
        var link = RtnlMessages.ParseLink(s.Query(RtnlMessages.GetLink(s.NextSeq(), name), RtnlMessages.RtmNewLink));
        if (link is null || (link.Flags & IffUp) == 0 || (link.Flags & IffRunning) == 0) return;
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var state = s.Dump(RtnlMessages.GetAddresses(s.NextSeq(), AddressFamily.InterNetworkV6), RtnlMessages.RtmNewAddr)
                .Select(m => RtnlMessages.ParseAddressState(m))
                .FirstOrDefault(a => a is not null && a.Index == index && ip.Equals(a.Address));
            if (state is null || !state.Tentative && !state.DadFailed) return;
            if (state.DadFailed)
            {
                try { s.Request(RtnlMessages.DeleteAddress(s.NextSeq(), (uint)index, ip, prefix)); }
                catch (RtnlException) { /* already gone */ }
                throw new NetNsException("DuplicateAddress", NetNsErrorCategory.ResourceExists,
                    $"Duplicate address detection found {ip} already in use on the link of '{name}' in {IpClient.Describe(@namespace)} (another host answered for it); the address was removed again. Pick an unused address, or add it with -SkipDad to skip the check.",
                    IpClient.Target(@namespace, name));
            }
            if (DateTime.UtcNow >= deadline)
                throw new NetNsException("DadTimeout", NetNsErrorCategory.OperationTimeout,
                    $"Address {ip}/{prefix} on '{name}' in {IpClient.Describe(@namespace)} is still tentative after {timeout.TotalSeconds:0} s (duplicate address detection has not finished); it stays in place and becomes usable when DAD ends.",
                    IpClient.Target(@namespace, name));
            Thread.Sleep(50);
        }
    }
}
