using Microsoft.Win32.SafeHandles;
using NetNs.Core.Native;
using NetNs.Core.Netlink;

namespace NetNs.Core.Kernel;

/// <summary>
/// The production kernel seam: namespace files and /proc in process, and for each namespace an rtnetlink socket opened
/// by a thread that joined it with setns(2). A netlink socket stays bound to the namespace it was opened in, so the
/// handle's requests are then sent from the caller's thread (which keeps -Verbose on the pipeline thread).
/// </summary>
internal sealed class RtnlKernel : IKernel
{
    /// <inheritdoc />
    public List<string> NamespaceNames() => NetnsFiles.ListNames();

    /// <inheritdoc />
    public bool NamespaceExists(string name) => NetnsFiles.Exists(name);

    /// <inheritdoc />
    public bool IsStale(string name) => NetnsFiles.IsStale(name);

    /// <inheritdoc />
    public Dictionary<string, List<int>> ProcessesIn(IEnumerable<string> namespaces) => NetnsFiles.Pids(namespaces);

    /// <inheritdoc />
    public void StopProcesses(IReadOnlyCollection<int> pids, TimeSpan timeout, CancellationToken cancellationToken) => Signals.Stop(pids, timeout, cancellationToken);

    /// <inheritdoc />
    public void CreateNamespace(string name) => NetnsCreate.Create(name);

    /// <inheritdoc />
    public void DeleteNamespace(string name) => NetnsCreate.Delete(name);

    /// <inheritdoc />
    public Dictionary<string, string?[]> ReadSysctls(IReadOnlyCollection<string> namespaces, IReadOnlyList<string> keys) => NamespaceSysctl.ReadEach(namespaces, keys);

    /// <inheritdoc />
    public List<(T Item, Exception Error)> InEach<T>(IEnumerable<T> items, Func<T, string> namespaceOf, Action<T, IKernelHandle> work) =>
        NetnsThread.RunEach(items, namespaceOf, item =>
        {
            using var h = new RtnlHandle(namespaceOf(item) ?? string.Empty, RtnlSocket.Open(), onNamespaceThread: true);
            work(item, h);
        });

    /// <inheritdoc />
    public IKernelHandle At(string @namespace) => new RtnlHandle(@namespace, NetnsThread.Run(@namespace, RtnlSocket.Open));
}

/// <summary>The production <see cref="IKernelHandle"/>: an rtnetlink socket in one namespace.</summary>
internal sealed class RtnlHandle : IKernelHandle
{
    private readonly RtnlSocket _s;
    private readonly bool _onNamespaceThread;

    /// <summary>A handle on <paramref name="socket"/>, opened in <paramref name="namespace"/>; <paramref name="onNamespaceThread"/>
    /// when the caller's thread is in that namespace (IKernel.InEach), so new sockets can be opened right there.</summary>
    public RtnlHandle(string @namespace, RtnlSocket socket, bool onNamespaceThread = false)
    {
        Namespace = @namespace;
        _s = socket;
        _onNamespaceThread = onNamespaceThread;
    }

    public string Namespace { get; }

    public List<KernelLink> Links() =>
        _s.Dump(RtnlMessages.GetLinks(_s.NextSeq()), RtnlMessages.RtmNewLink).Select(m => RtnlMessages.ParseLink(m)).OfType<KernelLink>().ToList();

    public KernelLink? Link(string name) => Query(RtnlMessages.GetLink(_s.NextSeq(), name));

    public KernelLink? Link(int index) => Query(RtnlMessages.GetLink(_s.NextSeq(), index));

    private KernelLink? Query(byte[] request)
    {
        try { return RtnlMessages.ParseLink(_s.Query(request, RtnlMessages.RtmNewLink)); }
        catch (RtnlException ex) when (ex.Errno == Libc.ENoDev) { return null; }
    }

    private int IndexOf(string name) => Link(name)?.Index ?? throw new RtnlException(Libc.ENoDev, null);

    public void AddVeth(string name, string @namespace, string peerName, string peerNamespace, int? mtu)
    {
        SafeFileHandle? nsFile = null, peerFile = null;
        try
        {
            nsFile = OpenNamespace(@namespace);
            peerFile = OpenNamespace(peerNamespace);
            _s.Request(RtnlMessages.AddVeth(_s.NextSeq(), name, Fd(nsFile), peerName, Fd(peerFile), mtu));
        }
        finally
        {
            nsFile?.Dispose();
            peerFile?.Dispose();
        }
    }

    public void SetLink(string name, bool? up, int? mtu, byte[]? mac, string? newName, string? alias)
    {
        var index = newName is null ? 0 : IndexOf(name);
        _s.Request(RtnlMessages.SetLink(_s.NextSeq(), index, name, up, mtu, mac, newName, alias));
    }

    public void MoveLink(string name, string destination)
    {
        var index = IndexOf(name);
        using var dest = OpenNamespace(destination) ?? File.OpenHandle("/proc/self/ns/net");
        _s.Request(RtnlMessages.MoveLink(_s.NextSeq(), index, (int)dest.DangerousGetHandle()));
    }

    public void DeleteLink(string name) => _s.Request(RtnlMessages.DeleteLink(_s.NextSeq(), name));

    public void DeleteLink(int index) => _s.Request(RtnlMessages.DeleteLink(_s.NextSeq(), index));

    public List<KernelAddress> Addresses() =>
        _s.Dump(RtnlMessages.GetAddresses(_s.NextSeq()), RtnlMessages.RtmNewAddr).Select(m => RtnlMessages.ParseAddress(m)).OfType<KernelAddress>().ToList();

    public void AddAddress(string name, string cidr, bool noDad = false) => _s.Request(RtnlMessages.AddAddress(_s.NextSeq(), (uint)IndexOf(name), cidr, noDad));

    public List<KernelRoute> Routes(System.Net.Sockets.AddressFamily? family) =>
        _s.Dump(RtnlMessages.GetRoutes(_s.NextSeq(), family), RtnlMessages.RtmNewRoute).Select(m => RtnlMessages.ParseRoute(m)).OfType<KernelRoute>().ToList();

    public void SetAddrGenModeNone(string name) => _s.Request(RtnlMessages.SetAddrGenMode(_s.NextSeq(), name));

    public void AddRoute(Routes.RouteSpec route) => _s.Request(RtnlMessages.NewRoute(_s.NextSeq(), route, route.Interface is null ? null : IndexOf(route.Interface)));

    public void DeleteRoute(Routes.RouteSpec route) => _s.Request(RtnlMessages.DeleteRoute(_s.NextSeq(), route, route.Interface is null ? null : IndexOf(route.Interface)));

    // /proc/sys/net is resolved in the namespace of the thread that opens the file: a setns thread (none for the root).
    public string? ReadSysctl(string key) => NetnsThread.Run(Namespace, () => NamespaceSysctl.Read(key));

    public void WriteSysctl(string key, string value) => NetnsThread.Run(Namespace, () =>
    {
        NamespaceSysctl.Write(Namespace, key, value);
        return 0;
    });

    public void DeleteAddress(string name, string cidr) => _s.Request(RtnlMessages.DeleteAddress(_s.NextSeq(), (uint)IndexOf(name), cidr));

    public int? NsIdOf(string @namespace)
    {
        try
        {
            using var h = @namespace.Length == 0 ? File.OpenHandle("/proc/self/ns/net") : File.OpenHandle(NetnsFiles.PathOf(@namespace));
            return RtnlMessages.ParseNsId(_s.Query(RtnlMessages.GetNsId(_s.NextSeq(), Fd(h)!.Value), RtnlMessages.RtmNewNsId));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or RtnlException) { return null; }
    }

    public int? AssignNsId(string @namespace)
    {
        try
        {
            using var h = OpenNamespace(@namespace) ?? File.OpenHandle("/proc/self/ns/net");
            try { _s.Request(RtnlMessages.NewNsId(_s.NextSeq(), Fd(h)!.Value)); }
            catch (RtnlException) { /* it has one already */ }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return null; }
        return NsIdOf(@namespace);
    }

    public List<(int Index, System.Net.IPAddress Address)> Neighbours() =>
        _s.Dump(RtnlMessages.GetNeighbours(_s.NextSeq(), System.Net.Sockets.AddressFamily.InterNetwork), RtnlMessages.RtmNewNeigh)
            .Select(m => RtnlMessages.ParseNeighbour(m)).Where(n => n is { Dynamic: true }).Select(n => (n!.Value.Index, n.Value.Address)).ToList();

    public void DeleteNeighbour(int index, System.Net.IPAddress address) => _s.Request(RtnlMessages.DeleteNeighbour(_s.NextSeq(), index, address));

    public System.Net.Sockets.Socket OpenIcmpSocket()
    {
        // socket(2) binds the socket to the namespace of the calling thread.
        static System.Net.Sockets.Socket Open() =>
            new(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Raw, System.Net.Sockets.ProtocolType.Icmp) { Blocking = false };
        return _onNamespaceThread ? Open() : NetnsThread.Run(Namespace, Open);
    }

    private static SafeFileHandle? OpenNamespace(string @namespace) => @namespace.Length == 0 ? null : File.OpenHandle(NetnsFiles.PathOf(@namespace));

    private static int? Fd(SafeFileHandle? h) => h is null ? null : (int)h.DangerousGetHandle();

    public void Dispose() => _s.Dispose();
}
