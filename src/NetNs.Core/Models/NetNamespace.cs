namespace NetNs.Core.Models;

/// <summary>
/// A named network namespace (<c>ip netns</c>): a bind mount under /run/netns holding its own
/// interfaces, addresses, routes and firewall.
/// </summary>
public sealed class NetNamespace
{
    /// <summary>Creates the object.</summary>
    public NetNamespace(string name, int? id, IReadOnlyList<int> processIds, bool exists = true, bool stale = false, bool? ipv4Forwarding = null, bool? ipv6Forwarding = null)
    {
        Name = name;
        Id = id;
        ProcessIds = processIds;
        Exists = exists;
        State = stale ? NetNamespaceState.Stale : NetNamespaceState.Active;
        IPv4Forwarding = ipv4Forwarding;
        IPv6Forwarding = ipv6Forwarding;
    }

    /// <summary>The namespace name (a file name under /run/netns).</summary>
    public string Name { get; }

    /// <summary>Same as <see cref="Name"/>; lets the object bind to the -Namespace parameter of other cmdlets.</summary>
    public string Namespace => Name;

    /// <summary>The netns id the root namespace assigned to it (<c>ip netns list-id</c>), or null when none is assigned.</summary>
    public int? Id { get; }

    /// <summary>Ids of the processes running inside (as <c>ip netns pids</c>).</summary>
    public IReadOnlyList<int> ProcessIds { get; }

    /// <summary>The bind-mount path: /run/netns/NAME.</summary>
    public string Path => Native.NetnsFiles.PathOf(Name);

    /// <summary>False only for the object a creating cmdlet passes on under -WhatIf (nothing was created).</summary>
    public bool Exists { get; }

    /// <summary>
    /// Active, or Stale: /run/netns/NAME exists but holds no namespace (not a namespace mount, left by a crash or a
    /// half-done <c>ip netns add</c>). Other cmdlets refuse a stale entry (NamespaceStale); Remove-NetNamespace removes it.
    /// </summary>
    public NetNamespaceState State { get; }

    /// <summary>The same namespace with its forwarding switches.</summary>
    public NetNamespace WithForwarding(bool? ipv4, bool? ipv6) => new(Name, Id, ProcessIds, Exists, State == NetNamespaceState.Stale, ipv4, ipv6);

    /// <summary>True when the namespace forwards IPv4 packets between its links (its own net.ipv4.ip_forward): a router; null when it cannot be read (not root).</summary>
    public bool? IPv4Forwarding { get; }

    /// <summary>True when the namespace forwards IPv6 packets (its own net.ipv6.conf.all.forwarding); null when it cannot be read.</summary>
    public bool? IPv6Forwarding { get; }

    /// <inheritdoc />
    public override string ToString() => Name;
}

/// <summary>Whether a namespace entry under /run/netns holds a namespace.</summary>
public enum NetNamespaceState
{
    /// <summary>A namespace mount: usable.</summary>
    Active,
    /// <summary>A file without a namespace behind it (no NSFS mount): cannot be entered; Remove-NetNamespace removes it.</summary>
    Stale,
}
