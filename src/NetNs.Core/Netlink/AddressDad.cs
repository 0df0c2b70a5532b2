using System.Net;
using NetNs.Core.Errors;
using NetNs.Core.Ip;
using NetNs.Core.Kernel;

namespace NetNs.Core.Netlink;

/// <summary>
/// Waits for IPv6 duplicate address detection (RFC 4862) to finish on an address just added, so that it is usable when
/// the cmdlet returns: until DAD ends the kernel marks the address IFA_F_TENTATIVE and refuses to send from it ("Cannot
/// assign requested address"). Polls the namespace's addresses (the RTM_GETADDR dump <c>ip address show</c> reads) every
/// 50 ms. A link that is down or has no carrier does not run DAD yet (it starts when the link comes up), so there is
/// nothing to wait for.
/// </summary>
internal static class AddressDad
{
    private const uint IffUp = 0x1, IffRunning = 0x40;

    /// <summary>How long to wait at most: DAD takes dad_transmits × retrans_time (1 × 1 s by default) after a random delay of up to 1 s.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Waits on handle <paramref name="h"/> until address <paramref name="ip"/> of link <paramref name="link"/> is no longer
    /// tentative. When DAD finds a duplicate the address is removed again (nothing half-added) and <c>DuplicateAddress</c>
    /// (ResourceExists) is thrown; after <paramref name="timeout"/>, <c>DadTimeout</c> (OperationTimeout), the address
    /// left in place.
    /// </summary>
    public static void Wait(IKernelHandle h, LinkId link, IPAddress ip, int prefix, TimeSpan timeout, CancellationToken ct)
    {
        var l = h.Link(link.Name);
        if (l is null || (l.Flags & IffUp) == 0 || (l.Flags & IffRunning) == 0) return;
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var state = h.Addresses().FirstOrDefault(a => a.Index == l.Index && ip.Equals(a.Address));
            if (state is null || !state.Tentative && !state.DadFailed) return;
            if (state.DadFailed)
            {
                try { h.DeleteAddress(link.Name, ip + "/" + prefix); }
                catch (RtnlException) { /* already gone */ }
                throw new NetNsException("DuplicateAddress", NetNsErrorCategory.ResourceExists,
                    $"Duplicate address detection found {ip} already in use on the link of '{link.Name}' in {link.Where} (another host answered for it); the address was removed again. Pick an unused address, or add it with -SkipDad to skip the check.",
                    link.Target);
            }
            if (DateTime.UtcNow >= deadline)
                throw new NetNsException("DadTimeout", NetNsErrorCategory.OperationTimeout,
                    $"Address {ip}/{prefix} on '{link.Name}' in {link.Where} is still tentative after {timeout.TotalSeconds:0} s (duplicate address detection has not finished); it stays in place and becomes usable when DAD ends.",
                    link.Target);
            Thread.Sleep(50);
        }
    }
}
