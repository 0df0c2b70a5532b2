using NetNs.Core.Context;
using NetNs.Core.Native;
using NetNs.Core.Process;

namespace NetNs.Core.Ip;

/// <summary>
/// IPv4 and IPv6 forwarding of a namespace (a router forwards packets between its links): the namespace's own
/// net.ipv4.ip_forward and net.ipv6.conf.all.forwarding, written and read back through the kernel seam (in process, on a
/// thread inside the namespace); each write is announced as <c>ip netns exec NS sysctl -w KEY=VALUE</c>.
/// </summary>
internal sealed class ForwardingOps : KernelOps
{
    /// <summary>Creates the operations over <paramref name="context"/>.</summary>
    public ForwardingOps(NetNsContext context) : base(context) { }

    /// <summary>The keys read for the two families, in the order of <see cref="Read"/>'s values.</summary>
    public static readonly IReadOnlyList<string> Keys = new[] { NamespaceSysctl.Ipv4Forwarding, NamespaceSysctl.Ipv6Forwarding };

    /// <summary>The sysctl writes that set forwarding (null leaves a family as it is).</summary>
    public static List<(string Key, string Value)> Writes(bool? ipv4, bool? ipv6)
    {
        var writes = new List<(string, string)>();
        if (ipv4 is not null) writes.Add((NamespaceSysctl.Ipv4Forwarding, ipv4.Value ? "1" : "0"));
        if (ipv6 is not null) writes.Add((NamespaceSysctl.Ipv6Forwarding, ipv6.Value ? "1" : "0"));
        return writes;
    }

    /// <summary>The forwarding switches of each namespace (one thread visits them all); null where unknown (not root).</summary>
    public Dictionary<string, (bool? IPv4, bool? IPv6)> Read(IReadOnlyCollection<string> namespaces) =>
        Kernel.ReadSysctls(namespaces, Keys).ToDictionary(kv => kv.Key, kv => (NamespaceSysctl.Flag(kv.Value[0]), NamespaceSysctl.Flag(kv.Value[1])), StringComparer.Ordinal);

    /// <summary>Turns forwarding on or off in a namespace ("" = root) and returns the switches as read back.</summary>
    /// <exception cref="Errors.NetNsException"><c>NamespaceNotFound</c>, <c>SetnsFailed</c>, <c>SetSysctlFailed</c>.</exception>
    public (bool? IPv4, bool? IPv6) Set(string @namespace, bool? ipv4, bool? ipv6)
    {
        RequireNamespace(@namespace, "Name");
        using var h = Kernel.At(@namespace);
        foreach (var (key, value) in Writes(ipv4, ipv6))
        {
            Announce(NamespaceSysctl.WriteCommand(@namespace, key, value), InProcess.Sysctl);
            h.WriteSysctl(key, value);
        }
        return (NamespaceSysctl.Flag(h.ReadSysctl(Keys[0])), NamespaceSysctl.Flag(h.ReadSysctl(Keys[1])));
    }
}
