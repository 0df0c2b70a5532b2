using System.Net;
using NetNs.Core.Context;
using NetNs.Core.Dhcp;
using NetNs.Core.Errors;
using NetNs.Core.Kernel;
using NetNs.Core.Lab;
using NetNs.Core.Netlink;
using NetNs.Core.Ovs;

namespace NetNs.Tests;

/// <summary>Contexts for tests: a recording fake kernel, a recording DHCP service, a scripted runner; the trace kept.</summary>
internal static class Fakes
{
    public static NetNsContext Context(FakeRunner? runner = null, FakeKernel? kernel = null, FakeDhcp? dhcp = null, List<string>? trace = null, FakeOvsDb? ovsDb = null) =>
        new(runner ?? FakeRunner.Refusing(), new OvsConnection("unix:/nonexistent/db.sock", 1), CancellationToken.None, trace is null ? null : trace.Add)
        {
            Kernel = kernel ?? new FakeKernel(),
            OvsDb = ovsDb ?? new FakeOvsDb(),
            Dhcp = dhcp ?? new FakeDhcp(),
        };
}

/// <summary>A DHCP service that records what it is asked.</summary>
internal sealed class FakeDhcp : IDhcpService
{
    public List<string> Calls { get; } = new();
    public void StopIn(IReadOnlyCollection<string> namespaces) => Calls.Add("stop-in " + string.Join(",", namespaces));
    public void StartLabServer(LabDhcpServer server) => Calls.Add($"start {server.Namespace}/{server.Interface}");
    public void StopLabServer(LabDhcpServer server) => Calls.Add($"stop {server.Namespace}/{server.Interface}");
}

/// <summary>
/// An in-memory kernel: namespaces with links (veth pairs point at each other across namespaces, netns ids assigned when
/// a pair crosses, as the kernel does) and addresses. Refuses what the kernel refuses with the same errno. Every change
/// is recorded in <see cref="Calls"/> ("ns: what"); a namespace not in /run/netns (a container's) can be made with
/// <see cref="AddForeign"/>.
/// </summary>
internal sealed class FakeKernel : IKernel
{
    internal sealed class Ns
    {
        public Ns(string name) => Name = name;
        public string Name { get; }
        public int NextIndex { get; set; } = 1;
        public List<FLink> Links { get; } = new();
        public List<KernelAddress> Addresses { get; } = new();
        public List<(int Index, System.Net.IPAddress Address)> Neighbours { get; } = new();
        public Dictionary<Ns, int> Ids { get; } = new();
        public List<KernelRoute> Routes { get; } = new();
        public Dictionary<string, string> Sysctls { get; } = new(StringComparer.Ordinal)
        {
            ["net/ipv4/ip_forward"] = "0",
            ["net/ipv6/conf/all/forwarding"] = "0",
        };
        public int IdOf(Ns other)
        {
            if (!Ids.TryGetValue(other, out var id)) Ids[other] = id = Ids.Count;
            return id;
        }
    }

    internal sealed class FLink
    {
        public required Ns Home { get; set; }
        public int Index { get; set; }
        public required string Name { get; set; }
        public string? Kind { get; init; }
        public uint Flags { get; set; } = 0x1002; // BROADCAST, MULTICAST
        public ushort Type { get; init; } = 1;
        public int Mtu { get; set; } = 1500;
        public string? Alias { get; set; }
        public byte[] Mac { get; set; } = { 2, 0, 0, 0, 0, 1 };
        public FLink? Peer { get; set; }
    }

    private readonly Ns _root = new("");
    private readonly Dictionary<string, Ns> _named = new(StringComparer.Ordinal);

    public FakeKernel()
    {
        AddLo(_root);
    }

    public List<string> Calls { get; } = new();

    public Dictionary<string, List<int>> Pids { get; } = new(StringComparer.Ordinal);

    /// <summary>IPv6 addresses another host on the link already holds: adding one fails DAD (IFA_F_DADFAILED).</summary>
    public HashSet<IPAddress> Duplicates { get; } = new();

    public Dictionary<string, string?[]> ReadSysctls(IReadOnlyCollection<string> namespaces, IReadOnlyList<string> keys) =>
        namespaces.ToDictionary(n => n, n => keys.Select(k => (n.Length == 0 ? _root : _named.GetValueOrDefault(n))?.Sysctls.GetValueOrDefault(k)).ToArray(), StringComparer.Ordinal);

    public List<int> Stopped { get; } = new();

    private static void AddLo(Ns ns) => ns.Links.Add(new FLink { Home = ns, Index = ns.NextIndex++, Name = "lo", Type = 772, Flags = 0x8, Mtu = 65536, Mac = new byte[6] });

    public Ns Get(string name) => name.Length == 0 ? _root : _named[name];

    public FakeKernel WithNamespace(string name)
    {
        var ns = new Ns(name);
        AddLo(ns);
        _named[name] = ns;
        return this;
    }

    /// <summary>A namespace no file names (e.g. a container's).</summary>
    public Ns AddForeign()
    {
        var ns = new Ns("<foreign>");
        AddLo(ns);
        return ns;
    }

    public FLink AddLink(Ns ns, string name, string? kind = null)
    {
        var l = new FLink { Home = ns, Index = ns.NextIndex++, Name = name, Kind = kind };
        ns.Links.Add(l);
        return l;
    }

    public (FLink A, FLink B) AddVethPair(Ns a, string name, Ns b, string peerName)
    {
        var x = AddLink(a, name, "veth");
        var y = AddLink(b, peerName, "veth");
        x.Peer = y;
        y.Peer = x;
        return (x, y);
    }

    public List<string> NamespaceNames() => _named.Keys.Concat(Stale).Order(StringComparer.Ordinal).ToList();

    public bool NamespaceExists(string name) => _named.ContainsKey(name) || Stale.Contains(name);

    /// <summary>Names under the fake /run/netns that hold no namespace.</summary>
    public HashSet<string> Stale { get; } = new(StringComparer.Ordinal);

    public bool IsStale(string name) => Stale.Contains(name);

    public Dictionary<string, List<int>> ProcessesIn(IEnumerable<string> namespaces) =>
        namespaces.ToDictionary(n => n, n => Pids.GetValueOrDefault(n) ?? new List<int>(), StringComparer.Ordinal);

    public void StopProcesses(IReadOnlyCollection<int> pids, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Stopped.AddRange(pids);
        foreach (var list in Pids.Values) list.RemoveAll(pids.Contains);
    }

    public void CreateNamespace(string name)
    {
        if (_named.ContainsKey(name)) throw new NetNsException("NamespaceExists", NetNsErrorCategory.ResourceExists, $"Cannot create namespace '{name}': File exists", name);
        Calls.Add("netns add " + name);
        WithNamespace(name);
    }

    public void DeleteNamespace(string name)
    {
        if (Stale.Remove(name))
        {
            Calls.Add("netns del " + name + " (stale)");
            return;
        }
        if (!_named.Remove(name, out var ns)) throw new NetNsException("NamespaceNotFound", NetNsErrorCategory.ObjectNotFound, $"Cannot remove namespace '{name}': No such file or directory", name);
        Calls.Add("netns del " + name);
        // The kernel deletes what is left inside, and veth peers elsewhere with it.
        foreach (var l in ns.Links.ToList()) Delete(l);
    }

    private void Delete(FLink l)
    {
        l.Home.Links.Remove(l);
        l.Home.Addresses.RemoveAll(a => a.Index == l.Index);
        if (l.Peer is { } p)
        {
            p.Home.Links.Remove(p);
            p.Home.Addresses.RemoveAll(a => a.Index == p.Index);
        }
    }

    public List<(T Item, Exception Error)> InEach<T>(IEnumerable<T> items, Func<T, string> namespaceOf, Action<T, IKernelHandle> work)
    {
        var failures = new List<(T Item, Exception Error)>();
        foreach (var item in items)
        {
            try
            {
                using var h = At(namespaceOf(item));
                work(item, h);
            }
            catch (Exception ex) { failures.Add((item, ex)); }
        }
        return failures;
    }

    public IKernelHandle At(string @namespace)
    {
        if (@namespace.Length > 0 && !_named.ContainsKey(@namespace))
            throw new NetNsException("NamespaceNotFound", NetNsErrorCategory.ObjectNotFound, $"Cannot open namespace '{@namespace}': No such file or directory", @namespace);
        return new Handle(this, Get(@namespace));
    }

    private sealed class Handle : IKernelHandle
    {
        private readonly FakeKernel _k;
        private readonly Ns _ns;

        public Handle(FakeKernel k, Ns ns)
        {
            _k = k;
            _ns = ns;
        }

        public string Namespace => _ns.Name;

        private void Record(string what) => _k.Calls.Add((_ns.Name.Length == 0 ? "root" : _ns.Name) + ": " + what);

        private KernelLink View(FLink l) => new(l.Index, l.Name, l.Kind, l.Flags | ((l.Flags & 1) != 0 ? 0x10040u : 0), l.Peer?.Index,
            l.Peer is null || l.Peer.Home == _ns ? null : _ns.IdOf(l.Peer.Home))
        {
            Type = l.Type, Mtu = l.Mtu, Alias = l.Alias, Address = l.Mac, OperState = (byte)((l.Flags & 1) != 0 ? 6 : 2),
        };

        private FLink Find(string name) => _ns.Links.FirstOrDefault(x => x.Name == name) ?? throw new RtnlException(19, null);

        public List<KernelLink> Links() => _ns.Links.Select(View).ToList();

        public KernelLink? Link(string name) => _ns.Links.FirstOrDefault(x => x.Name == name) is { } l ? View(l) : null;

        public KernelLink? Link(int index) => _ns.Links.FirstOrDefault(x => x.Index == index) is { } l ? View(l) : null;

        public void AddVeth(string name, string @namespace, string peerName, string peerNamespace, int? mtu)
        {
            var a = @namespace.Length == 0 ? _ns : _k._named.GetValueOrDefault(@namespace) ?? throw new FileNotFoundException(@namespace);
            var b = peerNamespace.Length == 0 ? _ns : _k._named.GetValueOrDefault(peerNamespace) ?? throw new FileNotFoundException(peerNamespace);
            if (a.Links.Any(x => x.Name == name) || b.Links.Any(x => x.Name == peerName)) throw new RtnlException(17, null);
            Record($"veth add {name}@{a.Name} {peerName}@{b.Name} mtu {mtu?.ToString() ?? "-"}");
            var (x, y) = _k.AddVethPair(a, name, b, peerName);
            if (mtu is { } m) x.Mtu = y.Mtu = m;
        }

        public void SetLink(string name, bool? up, int? mtu, byte[]? mac, string? newName, string? alias)
        {
            var l = Find(name);
            if (newName is not null && _ns.Links.Any(x => x.Name == newName)) throw new RtnlException(17, null);
            Record($"link set {name} up={up?.ToString() ?? "-"} mtu={mtu?.ToString() ?? "-"} name={newName ?? "-"} alias={alias ?? "-"}");
            if (up is { } u) l.Flags = u ? l.Flags | 1 : l.Flags & ~1u;
            if (mtu is { } m) l.Mtu = m;
            if (mac is not null) l.Mac = mac;
            if (newName is not null) l.Name = newName;
            if (alias is not null) l.Alias = alias;
        }

        public void MoveLink(string name, string destination)
        {
            var l = Find(name);
            var dest = _k.Get(destination);
            if (dest.Links.Any(x => x.Name == name)) throw new RtnlException(17, null);
            Record($"link move {name} to {(destination.Length == 0 ? "root" : destination)}");
            _ns.Links.Remove(l);
            _ns.Addresses.RemoveAll(a => a.Index == l.Index);
            l.Home = dest;
            l.Index = dest.NextIndex++;
            l.Flags &= ~1u;
            dest.Links.Add(l);
        }

        public void DeleteLink(string name)
        {
            var l = Find(name);
            Record("link del " + name);
            _k.Delete(l);
        }

        public void DeleteLink(int index)
        {
            var l = _ns.Links.FirstOrDefault(x => x.Index == index) ?? throw new RtnlException(19, null);
            Record("link del #" + index);
            _k.Delete(l);
        }

        public List<KernelAddress> Addresses() => _ns.Addresses.ToList();

        public List<(int Index, System.Net.IPAddress Address)> Neighbours() => _ns.Neighbours.ToList();

        public void DeleteNeighbour(int index, System.Net.IPAddress address)
        {
            Record($"neigh del {address} dev #{index}");
            if (_ns.Neighbours.RemoveAll(n => n.Index == index && n.Address.Equals(address)) == 0) throw new RtnlException(2, null);
        }

        public System.Net.Sockets.Socket OpenIcmpSocket() => throw new NotSupportedException("The fake kernel has no sockets: the ICMP probe is tested on the real kernel.");

        public void AddAddress(string name, string cidr, bool noDad = false)
        {
            var l = Find(name);
            var (ip, prefix) = NetNs.Core.Validation.Validate.Cidr(cidr);
            if (_ns.Addresses.Any(a => a.Index == l.Index && a.Address.Equals(ip))) throw new RtnlException(17, null);
            Record($"addr add {cidr} dev {name}{(noDad ? " nodad" : "")}");
            var flags = 0x80u | (!noDad && _k.Duplicates.Contains(ip) ? RtnlMessages.IfaFDadFailed | RtnlMessages.IfaFTentative : 0);
            _ns.Addresses.Add(new KernelAddress(l.Index, ip, prefix, RtnlMessages.DefaultScope(ip), true, flags));
        }

        public List<KernelRoute> Routes(System.Net.Sockets.AddressFamily? family) =>
            _ns.Routes.Where(r => family is null || r.Family == RtnlMessages.FamilyByte(family.Value)).ToList();

        private static bool Same(KernelRoute r, NetNs.Core.Routes.RouteSpec s) =>
            r.Family == RtnlMessages.FamilyByte(s.Family) && r.DestinationLength == s.PrefixLength && r.Table == s.Table
            && (s.PrefixLength == 0 || s.Destination.Equals(r.Destination));

        public void AddRoute(NetNs.Core.Routes.RouteSpec route)
        {
            int? oif = route.Interface is null ? null : Find(route.Interface).Index;
            if (_ns.Routes.Any(r => Same(r, route) && (r.Priority ?? 0) == (route.Metric ?? 0))) throw new RtnlException(17, null);
            if (route.Gateway is { } gw)
            {
                var onLink = _ns.Addresses.FirstOrDefault(a => a.Address.AddressFamily == gw.AddressFamily
                    && NetNs.Core.Routes.RouteSpec.Network(a.Address, a.PrefixLength).Equals(NetNs.Core.Routes.RouteSpec.Network(gw, a.PrefixLength)));
                if (onLink is null) throw new RtnlException(101, null);
                oif ??= onLink.Index;
            }
            Record(string.Join(' ', route.IpArguments("add")));
            _ns.Routes.Add(new KernelRoute
            {
                Family = RtnlMessages.FamilyByte(route.Family), DestinationLength = (byte)route.PrefixLength, Table = route.Table,
                Protocol = RtnlMessages.ProtocolBoot, Scope = route.Gateway is null ? RtnlMessages.ScopeLink : RtnlMessages.ScopeGlobal, Type = 1,
                Destination = route.PrefixLength == 0 ? null : route.Destination, Gateway = route.Gateway, OutputIndex = oif, Priority = route.Metric,
            });
        }

        public void DeleteRoute(NetNs.Core.Routes.RouteSpec route)
        {
            int? oif = route.Interface is null ? null : Find(route.Interface).Index;
            var r = _ns.Routes.FirstOrDefault(r => Same(r, route) && (route.Gateway is null || route.Gateway.Equals(r.Gateway))
                && (oif is null || r.OutputIndex == oif) && (route.Metric is null || (r.Priority ?? 0) == route.Metric)) ?? throw new RtnlException(3, null);
            Record(string.Join(' ', route.IpArguments("del")));
            _ns.Routes.Remove(r);
        }

        public string? ReadSysctl(string key) => _ns.Sysctls.GetValueOrDefault(key);

        public void SetAddrGenModeNone(string name)
        {
            Find(name);
            Record("link set " + name + " addrgenmode none");
        }

        public void WriteSysctl(string key, string value)
        {
            Record($"sysctl {key}={value}");
            _ns.Sysctls[key] = value;
        }

        public void DeleteAddress(string name, string cidr)
        {
            var l = Find(name);
            var (ip, prefix) = NetNs.Core.Validation.Validate.Cidr(cidr);
            if (_ns.Addresses.RemoveAll(a => a.Index == l.Index && a.Address.Equals(ip) && a.PrefixLength == prefix) == 0) throw new RtnlException(99, null);
            Record($"addr del {cidr} dev {name}");
        }

        public int? NsIdOf(string @namespace)
        {
            var other = @namespace.Length == 0 ? _k._root : _k._named.GetValueOrDefault(@namespace);
            return other is not null && _ns.Ids.TryGetValue(other, out var id) ? id : null;
        }

        public int? AssignNsId(string @namespace)
        {
            var other = @namespace.Length == 0 ? _k._root : _k._named.GetValueOrDefault(@namespace);
            if (other is null) return null;
            Record("netns set " + @namespace + " auto");
            return _ns.IdOf(other);
        }

        public void Dispose() { }
    }
}

/// <summary>Builds an address for tests.</summary>
internal static class Addr
{
    public static IPAddress Of(string text) => IPAddress.Parse(text);
}
