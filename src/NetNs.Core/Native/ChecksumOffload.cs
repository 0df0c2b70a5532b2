using NetNs.Core.Errors;
using NetNs.Core.Ip;

namespace NetNs.Core.Native;

/// <summary>
/// Turns tx checksum offload off on veth ends, like <c>ethtool -K DEV tx off</c>, without starting a process per
/// device: one thread enters each namespace in turn (setns(2) with CLONE_NEWNET) and sends the ethtool ioctl
/// ETHTOOL_STXCSUM (SIOCETHTOOL, data 0, see <see cref="Ethtool"/>) per device, which clears every tx-checksum feature
/// (the kernel then also drops TSO, which depends on it). Needed on Open vSwitch userspace-datapath (netdev) bridges,
/// where UDP (DHCP) otherwise leaves with partial checksums. ErrorId <c>ChecksumOffloadFailed</c> (InvalidResult).
/// </summary>
internal static class ChecksumOffload
{
    /// <summary>Turns tx checksum offload off on each (namespace, interface); "" is the root namespace. Stops at the first failure.</summary>
    /// <returns>The number of devices changed.</returns>
    /// <exception cref="NetNsException"><c>ChecksumOffloadFailed</c>, naming the device.</exception>
    public static int Disable(IEnumerable<(string Namespace, string Name)> devices)
    {
        var failures = Run(devices, set: true, stopAtFirst: true, out var states);
        if (failures.Count > 0) throw failures[0];
        return states.Count;
    }

    /// <summary>Like <see cref="Disable"/>, but goes on after a device that fails and returns the failures.</summary>
    public static List<NetNsException> DisableAll(IEnumerable<(string Namespace, string Name)> devices)
        => Run(devices, set: true, stopAtFirst: false, out _);

    /// <summary>Reads whether tx checksum offload is on for each device (true = on); devices that cannot be read are left out.</summary>
    public static Dictionary<(string Namespace, string Name), bool> Read(IEnumerable<(string Namespace, string Name)> devices)
    {
        Run(devices, set: false, stopAtFirst: false, out var states);
        return states;
    }

    private static List<NetNsException> Run(IEnumerable<(string Namespace, string Name)> devices, bool set, bool stopAtFirst,
        out Dictionary<(string Namespace, string Name), bool> states)
    {
        var groups = devices.Distinct().GroupBy(d => d.Namespace ?? string.Empty).ToList();
        var result = new Dictionary<(string Namespace, string Name), bool>();
        var failures = new List<NetNsException>();
        states = result;
        // One thread visits every namespace in turn (NetnsThread.RunEach).
        var entering = NetnsThread.RunEach(groups, g => g.Key, g =>
        {
            if (stopAtFirst && failures.Count > 0) return;
            foreach (var (ns, dev) in g)
            {
                if (set)
                {
                    var error = Ethtool.SetTxChecksum(dev, on: false);
                    if (error is null) result[(ns, dev)] = false;
                    else
                    {
                        failures.Add(Fail(ns, dev, $"the ethtool ioctl failed ({error})"));
                        if (stopAtFirst) return;
                    }
                }
                else if (Ethtool.TxChecksum(dev) is { } on) result[(ns, dev)] = on;
            }
        }, stopAtFirst);
        failures.AddRange(entering.Select(f => Fail(f.Item.Key, "", f.Error.Message)));
        return failures;
    }

    private static NetNsException Fail(string ns, string dev, string why) =>
        new("ChecksumOffloadFailed", NetNsErrorCategory.InvalidResult,
            $"Cannot turn tx checksum offload off on {(dev.Length > 0 ? $"'{dev}' in " : "")}{IpClient.Describe(ns)}: {why}.", IpClient.Target(ns, dev));
}
