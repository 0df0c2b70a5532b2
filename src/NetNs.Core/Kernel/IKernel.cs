namespace NetNs.Core.Kernel;

/// <summary>
/// The kernel seam: what NetNs asks of the Linux network stack. Namespace-wide operations live here; everything that
/// happens inside one namespace goes through a handle opened on it (<see cref="At"/>, in the style of vishvananda/netlink's
/// <c>NewHandleAt(ns)</c>). The production implementation (rtnetlink sockets opened in the namespace, setns threads, the
/// namespace files, /proc) is chosen in <see cref="Context.NetNsContext.Production"/>; xunit uses a recording fake. New
/// kernel operations (routes, qdiscs, sysctls) are added to <see cref="IKernelHandle"/> and both implementations.
/// Kernel refusals are thrown as <see cref="Netlink.RtnlException"/> (errno and text); the core operations map them to
/// ErrorIds. The namespace "" is the root namespace (this process's).
/// </summary>
internal interface IKernel
{
    /// <summary>The named namespaces (/run/netns), sorted.</summary>
    List<string> NamespaceNames();

    /// <summary>True when the named namespace exists.</summary>
    bool NamespaceExists(string name);

    /// <summary>True when /run/netns/NAME exists but is no namespace mount (a stale entry a crash left; it cannot be entered).</summary>
    bool IsStale(string name);

    /// <summary>The pids running in each of <paramref name="namespaces"/>.</summary>
    Dictionary<string, List<int>> ProcessesIn(IEnumerable<string> namespaces);

    /// <summary>Stops processes (SIGTERM, then SIGKILL after <paramref name="timeout"/>).</summary>
    void StopProcesses(IReadOnlyCollection<int> pids, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Creates a named namespace as <c>ip netns add</c> does.</summary>
    /// <exception cref="Errors.NetNsException"><c>NamespaceExists</c> or <c>NewNamespaceFailed</c>.</exception>
    void CreateNamespace(string name);

    /// <summary>Deletes a named namespace's file as <c>ip netns del</c> does (umount, unlink).</summary>
    /// <exception cref="Errors.NetNsException"><c>NamespaceNotFound</c> or <c>RemoveNamespaceFailed</c>.</exception>
    void DeleteNamespace(string name);

    /// <summary>
    /// Reads sysctls (keys such as net.ipv4.ip_forward) in each of <paramref name="namespaces"/> ("" = root), values in the
    /// order of <paramref name="keys"/>; null where one cannot be read (no such key, namespace gone, not allowed to enter).
    /// </summary>
    Dictionary<string, string?[]> ReadSysctls(IReadOnlyCollection<string> namespaces, IReadOnlyList<string> keys);

    /// <summary>
    /// Runs <paramref name="work"/> for each item with a handle on the item's namespace, for many namespaces at the cost
    /// of few (production: one thread visiting each namespace in turn). Goes on after a failure; returns the items that
    /// failed with their exception (entering a namespace fails with <c>NamespaceNotFound</c> or <c>SetnsFailed</c>).
    /// </summary>
    List<(T Item, Exception Error)> InEach<T>(IEnumerable<T> items, Func<T, string> namespaceOf, Action<T, IKernelHandle> work);

    /// <summary>Opens a handle on <paramref name="namespace"/> ("" = root).</summary>
    /// <exception cref="Errors.NetNsException"><c>NamespaceNotFound</c> or <c>SetnsFailed</c>.</exception>
    IKernelHandle At(string @namespace);
}

/// <summary>
/// Requests made inside one namespace (rtnetlink there). Usable from any thread; not for concurrent use. Disposing it
/// closes its socket.
/// </summary>
internal interface IKernelHandle : IDisposable
{
    /// <summary>The namespace this handle works in ("" = root).</summary>
    string Namespace { get; }

    /// <summary>Every link (RTM_GETLINK dump), in the kernel's order.</summary>
    List<KernelLink> Links();

    /// <summary>One link by name; null when there is none.</summary>
    KernelLink? Link(string name);

    /// <summary>One link by index; null when there is none.</summary>
    KernelLink? Link(int index);

    /// <summary>Creates a veth pair, end <paramref name="name"/> in <paramref name="namespace"/> and <paramref name="peerName"/> in <paramref name="peerNamespace"/>.</summary>
    void AddVeth(string name, string @namespace, string peerName, string peerNamespace, int? mtu);

    /// <summary>Changes state, MTU, MAC address, name or alias of a link in one request.</summary>
    void SetLink(string name, bool? up, int? mtu, byte[]? mac, string? newName, string? alias);

    /// <summary>Moves a link into namespace <paramref name="destination"/>.</summary>
    void MoveLink(string name, string destination);

    /// <summary>Deletes a link by name.</summary>
    void DeleteLink(string name);

    /// <summary>Deletes a link by index.</summary>
    void DeleteLink(int index);

    /// <summary>Every address (RTM_GETADDR dump of all families), in the kernel's order.</summary>
    List<KernelAddress> Addresses();

    /// <summary>Adds an address (CIDR) to link <paramref name="name"/> (create, exclusive); <paramref name="noDad"/> sets IFA_F_NODAD.</summary>
    void AddAddress(string name, string cidr, bool noDad = false);

    /// <summary>Deletes an address (CIDR) from link <paramref name="name"/>.</summary>
    void DeleteAddress(string name, string cidr);

    /// <summary>Every route of every table (RTM_GETROUTE dump) of one family, or both when <paramref name="family"/> is null.</summary>
    List<Netlink.KernelRoute> Routes(System.Net.Sockets.AddressFamily? family);

    /// <summary>Adds a route (create, exclusive); its interface, when named, is looked up here (ENODEV when missing).</summary>
    void AddRoute(Routes.RouteSpec route);

    /// <summary>Deletes the first route of the table matching what <paramref name="route"/> names.</summary>
    void DeleteRoute(Routes.RouteSpec route);

    /// <summary>Reads a sysctl of this namespace (e.g. net.ipv4.ip_forward), trimmed; null when it cannot be read.</summary>
    string? ReadSysctl(string key);

    /// <summary>Sets addrgenmode none on link <paramref name="name"/> (IFLA_INET6_ADDR_GEN_MODE): no IPv6 link-local address when it goes up.</summary>
    void SetAddrGenModeNone(string name);

    /// <summary>Writes a sysctl of this namespace.</summary>
    /// <exception cref="Errors.NetNsException"><c>SetSysctlFailed</c>.</exception>
    void WriteSysctl(string key, string value);

    /// <summary>The netns id this namespace gives namespace <paramref name="namespace"/> ("" = the root); null when it has none or cannot be read.</summary>
    int? NsIdOf(string @namespace);

    /// <summary>Gives namespace <paramref name="namespace"/> a netns id here when it has none (<c>ip netns set NAME auto</c>) and returns it; null when it cannot be read.</summary>
    int? AssignNsId(string @namespace);

    /// <summary>
    /// The IPv4 neighbour (ARP) entries the kernel made itself (RTM_GETNEIGH dump, what <c>ip -4 neigh show</c> reads; not
    /// permanent, not NOARP): (ifindex, address).
    /// </summary>
    List<(int Index, System.Net.IPAddress Address)> Neighbours();

    /// <summary>Deletes one neighbour entry (RTM_DELNEIGH, what <c>ip neigh del ADDR dev DEV</c> sends).</summary>
    void DeleteNeighbour(int index, System.Net.IPAddress address);

    /// <summary>A non-blocking raw ICMP (IPv4) socket bound to this namespace: what ping sends its echo requests from.</summary>
    System.Net.Sockets.Socket OpenIcmpSocket();
}
