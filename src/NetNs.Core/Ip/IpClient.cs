using NetNs.Core.Errors;
using NetNs.Core.Models;
using NetNs.Core.Native;
using NetNs.Core.Netlink;
using NetNs.Core.Process;
using NetNs.Core.Validation;

namespace NetNs.Core.Ip;

/// <summary>
/// Namespace, link and address operations on the real kernel through <c>ip</c>. Every method
/// validates its input before it runs anything and throws <see cref="NetNsException"/> on failure.
/// The namespace "" is the root namespace.
/// </summary>
public sealed class IpClient
{
    private readonly IToolRunner _runner;
    private readonly CancellationToken _ct;

    /// <summary>Creates a client.</summary>
    public IpClient(IToolRunner runner, CancellationToken cancellationToken = default)
    {
        _runner = runner;
        _ct = cancellationToken;
    }

    /// <summary>
    /// Hooks run before namespaces are removed (e.g. stopping DHCP servers inside). Receives the names, all at once when
    /// many are removed together (a lab), so a hook can read its state once.
    /// </summary>
    public static event Action<IReadOnlyCollection<string>, IToolRunner, CancellationToken>? NamespacesRemoving;

    /// <summary>
    /// Runs the <see cref="NamespacesRemoving"/> hooks for namespaces about to be deleted by other means than
    /// <see cref="RemoveNamespace"/> (e.g. a lab's teardown), so NetNs's DHCP servers and clients inside are stopped first.
    /// </summary>
    public static void NotifyNamespacesRemoving(IReadOnlyCollection<string> namespaces, IToolRunner runner, CancellationToken cancellationToken)
    {
        if (namespaces.Count > 0) NamespacesRemoving?.Invoke(namespaces, runner, cancellationToken);
    }

    private ToolResult Run(ToolCommand c) => _runner.Run(c, _ct);

    /// <summary>Appended to a command line shown in -Verbose when NetNs made the same change in process (rtnetlink) instead of running it.</summary>
    public const string InProcessMark = "   (in process: rtnetlink)";

    /// <summary>Announces (like the runner does before a process starts) the equivalent command of a change made in process.</summary>
    private void Announce(ToolCommand c, string mark = InProcessMark) => _runner.CommandStarting?.Invoke(c + mark);

    /// <summary>Maps a refused rtnetlink request like <see cref="ToolResult.ThrowIfFailed"/> maps an ip failure: the category from the kernel's text, the ErrorId from <paramref name="ids"/>.</summary>
    private static NetNsException Refused(RtnlException ex, ToolCommand equivalent, string fallbackId, object? target, string action, params (NetNsErrorCategory Category, string ErrorId)[] ids)
    {
        var category = ex.Category;
        return new NetNsException(KernelErrors.IdFor(category, fallbackId, ids), category, $"{action}: {ex.Message} (in process, as: {equivalent})", target, ex);
    }

    /// <summary>Named namespaces other than <paramref name="except"/> that hold a link called <paramref name="name"/> (in process; for error messages).</summary>
    public static List<string> NamespacesHoldingLink(string name, string except = "") => IfIndex.NamespacesHolding(name, except);

    /// <summary>True when /run/netns/NAME exists.</summary>
    public static bool NamespaceExists(string name) => File.Exists(Path.Combine(NetnsPids.RunDirectory, name));

    /// <summary>Throws <c>NamespaceNotFound</c> (ObjectNotFound) unless <paramref name="namespace"/> is "" or exists.</summary>
    public static void RequireNamespace(string @namespace, string parameter = "Namespace")
    {
        if (string.IsNullOrEmpty(@namespace)) return;
        Validate.NamespaceName(@namespace, parameter);
        if (!NamespaceExists(@namespace))
            throw new NetNsException("NamespaceNotFound", NetNsErrorCategory.ObjectNotFound,
                $"Namespace '{@namespace}' (-{parameter}) does not exist. Create it with New-NetNamespace, or list namespaces with Get-NetNamespace.", @namespace);
    }

    /// <summary>All named namespaces with their ids and pids.</summary>
    public List<NetNamespace> GetNamespaces()
    {
        var names = NetnsPids.ListNames();
        if (names.Count == 0) return new List<NetNamespace>();
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var r = Run(IpCommands.NetnsListId());
        if (r.Succeeded)
        {
            foreach (var (id, name) in IpJson.ParseNetnsIds(r.StandardOutput))
                if (name is not null) ids[name] = id;
        }
        var pids = NetnsPids.Scan(names);
        return names.Select(n => new NetNamespace(n, ids.TryGetValue(n, out var id) ? id : null, pids[n])).ToList();
    }

    /// <summary>
    /// Creates a namespace as <c>ip netns add</c> does, in process when /run/netns is already a shared mount point (else by
    /// running ip, which sets that up), and gives it a netns id. Throws <c>NamespaceExists</c> when it exists.
    /// </summary>
    public NetNamespace CreateNamespace(string name)
    {
        Validate.NamespaceName(name);
        if (NamespaceExists(name))
            throw new NetNsException("NamespaceExists", NetNsErrorCategory.ResourceExists, $"Namespace '{name}' already exists.", name);
        // In process (unshare on a thread, bind mount) once ip has made /run/netns a shared mount point; else ip netns add.
        if (NetnsCreate.CanCreate(NetnsPids.RunDirectory))
        {
            Announce(IpCommands.NetnsAdd(name), "   (in process: unshare, bind mount)");
            NetnsCreate.Create(NetnsPids.RunDirectory, name);
        }
        else
        {
            // The first 'ip netns add' on a host turns /run/netns into a shared bind mount of itself. Two of them at once (e.g.
            // ForEach-Object -Parallel) can both do it and stack two mounts, hiding the namespace mounted by the other one.
            // Let only one run in this process until the mount point exists.
            ToolResult r;
            lock (FirstMountGate) r = Run(IpCommands.NetnsAdd(name));
            r.ThrowIfFailed("NewNamespaceFailed", name, $"Cannot create namespace '{name}'", (NetNsErrorCategory.ResourceExists, "NamespaceExists"));
        }
        // Give it a netns id in the root namespace right away (the kernel otherwise assigns one only when a
        // veth crosses), so that Get-NetNamespace always shows one: RTM_NEWNSID and RTM_GETNSID in process.
        Announce(IpCommands.NetnsSetId(name));
        var id = AssignNsId(name);
        return new NetNamespace(name, id, Array.Empty<int>());
    }

    private static readonly object FirstMountGate = new();

    /// <summary>
    /// Gives namespace <paramref name="name"/> a netns id in the root namespace when it has none (what <c>ip netns set NAME
    /// auto</c> does) and returns its id; null when it cannot be read. In process (rtnetlink), never throws.
    /// </summary>
    public static int? AssignNsId(string name)
    {
        try
        {
            using var h = Rtnl.OpenNamespace(name);
            var fd = (int)h.DangerousGetHandle();
            return Rtnl.In("", s =>
            {
                try { s.Request(RtnlMessages.NewNsId(s.NextSeq(), fd)); }
                catch (RtnlException) { /* it has one already */ }
                return RtnlMessages.ParseNsId(s.Query(RtnlMessages.GetNsId(s.NextSeq(), fd), RtnlMessages.RtmNewNsId));
            });
        }
        catch (Exception ex) when (ex is RtnlException or IOException or UnauthorizedAccessException or NetNsException)
        {
            return null;
        }
    }

    /// <summary>
    /// Removes a namespace so that it is really gone: refuses (<c>NamespaceInUse</c>, ResourceUnavailable) while
    /// processes run inside unless <paramref name="force"/>, which stops them (SIGTERM, then SIGKILL after
    /// <paramref name="killTimeout"/>). Deletes its veth pairs first, so their peers in other namespaces vanish
    /// before this returns. With the real runner no process is started (rtnetlink and umount/unlink in process, the
    /// equivalent <c>ip</c> command lines announced); a scripted runner is given the <c>ip</c> commands.
    /// </summary>
    public void RemoveNamespace(string name, bool force, TimeSpan? killTimeout = null)
    {
        RequireNamespace(name, "Name");
        NotifyNamespacesRemoving(new[] { name }, _runner, _ct);
        var pids = NetnsPids.Scan(new[] { name })[name];
        // A process only passing through (e.g. another tool's 'ip -n NAME …', which enters the namespace for a few
        // milliseconds) does not make the namespace in use: only pids still inside after a short wait count.
        for (var i = 0; i < 10 && pids.Count > 0; i++)
        {
            _ct.ThrowIfCancellationRequested();
            Thread.Sleep(20);
            var again = NetnsPids.Scan(new[] { name })[name];
            pids = pids.Intersect(again).ToList();
        }
        if (pids.Count > 0)
        {
            if (!force)
                throw new NetNsException("NamespaceInUse", NetNsErrorCategory.ResourceUnavailable,
                    $"Namespace '{name}' still has processes running inside (pids {string.Join(", ", pids)}). Stop them, or use -Force to stop them and remove the namespace.", name);
            Signals.Stop(pids, killTimeout ?? TimeSpan.FromSeconds(5), _ct);
        }
        // In process with the real runner (a scripted runner sees every command): nothing it does needs a process.
        if (_runner is CliWrapToolRunner) RemoveInProcess(name);
        else
        {
            var veths = GetRawLinks(name).Where(l => l.Kind == "veth").Select(l => l.Name).ToList();
            if (veths.Count > 0)
                Run(IpCommands.Batch(name, veths.Select(v => new[] { "link", "del", "dev", v }), force: true));
            Run(IpCommands.NetnsDelete(name)).ThrowIfFailed("RemoveNamespaceFailed", name, $"Cannot remove namespace '{name}'",
                (NetNsErrorCategory.ObjectNotFound, "NamespaceNotFound"));
        }
        Dns.NamespaceDns.Remove(name);
    }

    /// <summary>
    /// The kernel part of <see cref="RemoveNamespace"/> without a process: on one thread inside the namespace, an RTM_GETLINK
    /// dump (what <c>ip -j -d -n NAME link show</c> reads) and an RTM_DELLINK of each veth (what <c>ip -n NAME link del dev
    /// V</c> sends; the error for one already gone with its peer, and any other, is ignored as <c>ip -force -batch</c> did:
    /// deleting the namespace takes it anyway, only later); then what <c>ip netns del NAME</c> does (umount2 MNT_DETACH,
    /// unlink). The equivalent command lines are announced; the link deletions once the thread is back, as -Verbose can only
    /// be written from the caller's thread.
    /// </summary>
    private void RemoveInProcess(string name)
    {
        var show = IpCommands.LinkShow(name);
        Announce(show);
        List<string> deleted;
        try
        {
            deleted = Rtnl.In(name, s =>
            {
                var veths = s.Dump(RtnlMessages.GetLinks(s.NextSeq()), RtnlMessages.RtmNewLink)
                    .Select(m => RtnlMessages.ParseLink(m))
                    .Where(l => l is not null && l.Kind == "veth")
                    .Select(l => l!)
                    .ToList();
                foreach (var v in veths)
                {
                    _ct.ThrowIfCancellationRequested();
                    try { s.Request(RtnlMessages.DeleteLink(s.NextSeq(), v.Index)); }
                    catch (RtnlException) { /* ENODEV: gone with its peer; anything else: the namespace's deletion takes it */ }
                }
                return veths.Select(v => v.Name).ToList();
            });
        }
        catch (RtnlException ex)
        {
            throw Refused(ex, show, "GetLinkFailed", name, $"Cannot list links in {Describe(name)}", (NetNsErrorCategory.ObjectNotFound, "NamespaceNotFound"));
        }
        foreach (var v in deleted) Announce(IpCommands.LinkDelete(name, v));
        Announce(IpCommands.NetnsDelete(name), NetnsDeleteMark);
        NetnsCreate.Delete(NetnsPids.RunDirectory, name);
    }

    /// <summary>Appended to <c>ip netns del NAME</c> in -Verbose when NetNs deleted the namespace in process.</summary>
    private const string NetnsDeleteMark = "   (in process: umount, unlink)";

    /// <summary>The links of a namespace as parsed from <c>ip -j -d link show</c>, peers unresolved.</summary>
    public List<RawLink> GetRawLinks(string @namespace, string? name = null)
    {
        var r = Run(IpCommands.LinkShow(@namespace, name));
        if (!r.Succeeded)
        {
            if (name is not null && KernelErrors.Classify(r.StandardError) == NetNsErrorCategory.ObjectNotFound && (string.IsNullOrEmpty(@namespace) || NamespaceExists(@namespace)))
                throw LinkNotFound(@namespace, name);
            r.ThrowIfFailed("GetLinkFailed", name ?? @namespace, $"Cannot list links in {Describe(@namespace)}",
                (NetNsErrorCategory.ObjectNotFound, "NamespaceNotFound"));
        }
        return IpJson.ParseLinks(r.StandardOutput);
    }

    /// <summary>
    /// The links of a namespace, veth peers resolved to (name, namespace, ifindex). A peer in the same namespace
    /// is named by <c>ip</c> itself; a peer elsewhere is found through the link-netnsid: a named namespace by its
    /// name, an unnamed one (seen from inside a namespace) is tried as the root namespace. A candidate peer counts
    /// only when it is a veth pointing back at this link, so a peer in a foreign (e.g. container) namespace stays
    /// unresolved (null) instead of being reported wrongly.
    /// </summary>
    public List<NetLink> GetLinks(string @namespace, string? name = null)
    {
        RequireNamespace(@namespace);
        var raw = GetRawLinks(@namespace, name);
        Dictionary<int, string?>? nsids = null;
        var cache = new Dictionary<string, List<RawLink>>(StringComparer.Ordinal);
        // Peer names per peer namespace, for this call only (the client may be shared by parallel calls).
        var peerNames = new Dictionary<string, Dictionary<int, string?>?>(StringComparer.Ordinal);
        if (name is null) cache[@namespace] = raw;
        List<RawLink> LinksOf(string ns)
        {
            if (!cache.TryGetValue(ns, out var list))
            {
                list = TryRawLinks(ns);
                cache[ns] = list;
            }
            return list;
        }
        var result = new List<NetLink>(raw.Count);
        foreach (var l in raw)
        {
            string? peerName = null, peerNs = null;
            int? peerIndex = null;
            if (l.Kind == "veth")
            {
                if (l.LinkNetnsId is { } nsid && l.LinkIndex is { } index)
                {
                    nsids ??= ParseIds(@namespace);
                    var candidates = new List<string>();
                    if (nsids.TryGetValue(nsid, out var n) && n is not null)
                    {
                        // A named peer namespace: look the index up in process (no ip process per namespace).
                        if (!peerNames.TryGetValue(n, out var names)) peerNames[n] = names = NamesIn(n, raw, nsid);
                        if (names is not null && names.TryGetValue(index, out var inProcess) && inProcess is not null)
                        {
                            peerName = inProcess;
                            peerNs = n;
                            peerIndex = index;
                        }
                        else candidates.Add(n);
                    }
                    else if (!string.IsNullOrEmpty(@namespace)) candidates.Add(string.Empty);
                    foreach (var c in candidates)
                    {
                        var peer = LinksOf(c).FirstOrDefault(x => x.IfIndex == index);
                        if (peer is null || peer.Kind != "veth" || peer.LinkNetnsId is null || (peer.LinkIndex is { } back && back != l.IfIndex)) continue;
                        peerName = peer.Name;
                        peerNs = c;
                        peerIndex = index;
                        break;
                    }
                }
                else
                {
                    // Both ends in this namespace: ip -j names the peer ("link") instead of giving its index.
                    var local = LinksOf(@namespace);
                    var peer = l.LinkName is { } ln ? local.FirstOrDefault(x => x.Name == ln)
                        : l.LinkIndex is { } li ? local.FirstOrDefault(x => x.IfIndex == li) : null;
                    if (peer is not null)
                    {
                        peerName = peer.Name;
                        peerNs = @namespace;
                        peerIndex = peer.IfIndex;
                    }
                }
            }
            var admin = l.Flags.Contains("UP") ? "UP" : "DOWN";
            result.Add(new NetLink(@namespace, l.Name, l.IfIndex, l.Kind, admin, l.OperState, l.MacAddress, l.Mtu,
                peerName, peerNs, peerIndex, l.Master, l.Flags, l.Alias));
        }
        return result;
    }

    /// <summary>Names, in peer namespace <paramref name="peerNamespace"/>, of the peers of all veth in <paramref name="raw"/> whose netns id is <paramref name="nsid"/>.</summary>
    private static Dictionary<int, string?>? NamesIn(string peerNamespace, List<RawLink> raw, int nsid) =>
        IfIndex.NamesIn(peerNamespace, raw.Where(x => x.Kind == "veth" && x.LinkNetnsId == nsid && x.LinkIndex is not null).Select(x => x.LinkIndex!.Value));

    private Dictionary<int, string?> ParseIds(string @namespace)
    {
        var r = Run(IpCommands.NetnsListId(@namespace));
        return r.Succeeded ? IpJson.ParseNetnsIds(r.StandardOutput) : new Dictionary<int, string?>();
    }

    private List<RawLink> TryRawLinks(string @namespace)
    {
        var r = Run(IpCommands.LinkShow(@namespace));
        return r.Succeeded ? IpJson.ParseLinks(r.StandardOutput) : new List<RawLink>();
    }

    /// <summary>One link, or throws <c>LinkNotFound</c> (ObjectNotFound).</summary>
    public NetLink GetLink(string @namespace, string name, string parameter = "Name")
    {
        Validate.InterfaceName(name, parameter);
        return GetLinks(@namespace, name).FirstOrDefault() ?? throw LinkNotFound(@namespace, name);
    }

    /// <summary>True when the link exists in the namespace.</summary>
    public bool LinkExists(string @namespace, string name) => Run(IpCommands.LinkShow(@namespace, name)).Succeeded;

    /// <summary>The error for a missing link.</summary>
    public static NetNsException LinkNotFound(string @namespace, string name) =>
        new("LinkNotFound", NetNsErrorCategory.ObjectNotFound, $"Link '{name}' does not exist in {Describe(@namespace)}. List links with Get-NetLink{(string.IsNullOrEmpty(@namespace) ? "" : " -Namespace " + @namespace)}.", Target(@namespace, name));

    /// <summary>"namespace 'x'" or "the root namespace".</summary>
    public static string Describe(string @namespace) => string.IsNullOrEmpty(@namespace) ? "the root namespace" : $"namespace '{@namespace}'";

    /// <summary>A display target "ns/name" or "name".</summary>
    public static string Target(string @namespace, string name) => string.IsNullOrEmpty(@namespace) ? name : @namespace + "/" + name;

    /// <summary>
    /// Creates a veth pair with each end directly in its namespace, in one kernel call (the RTM_NEWLINK <c>ip link add … type
    /// veth peer …</c> sends, made in process; the equivalent command line is announced); the MTU, when given, is set on both
    /// ends. Checks names, MTU and namespaces first, so a failure leaves nothing behind.
    /// </summary>
    public VethPair AddVeth(string name, string @namespace, string peerName, string peerNamespace, int? mtu)
    {
        ValidateVeth(name, @namespace, peerName, peerNamespace, mtu);
        var cmd = IpCommands.VethAdd(name, @namespace, peerName, peerNamespace, mtu);
        Announce(cmd);
        Microsoft.Win32.SafeHandles.SafeFileHandle? nsFile = null, peerFile = null;
        try
        {
            try
            {
                if (@namespace.Length > 0) nsFile = Rtnl.OpenNamespace(@namespace);
                if (peerNamespace.Length > 0) peerFile = Rtnl.OpenNamespace(peerNamespace);
            }
            catch (IOException)
            {
                RequireNamespace(@namespace, "Namespace");
                RequireNamespace(peerNamespace, "PeerNamespace");
                throw;
            }
            int? Fd(Microsoft.Win32.SafeHandles.SafeFileHandle? h) => h is null ? null : (int)h.DangerousGetHandle();
            Rtnl.In("", s =>
            {
                s.Request(RtnlMessages.AddVeth(s.NextSeq(), name, Fd(nsFile), peerName, Fd(peerFile), mtu));
                return 0;
            });
        }
        catch (RtnlException ex)
        {
            throw Refused(ex, cmd, "AddVethFailed", Target(@namespace, name), $"Cannot create veth pair '{name}'/'{peerName}'", (NetNsErrorCategory.ResourceExists, "LinkExists"));
        }
        finally
        {
            nsFile?.Dispose();
            peerFile?.Dispose();
        }
        return new VethPair(name, @namespace, peerName, peerNamespace, mtu);
    }

    /// <summary>The checks <see cref="AddVeth"/> makes before touching the kernel.</summary>
    public static void ValidateVeth(string name, string @namespace, string peerName, string peerNamespace, int? mtu)
    {
        Validate.InterfaceName(name, "Name");
        Validate.InterfaceName(peerName, "PeerName");
        if (mtu is not null) Validate.Mtu(mtu.Value);
        if (name == peerName && @namespace == peerNamespace)
            throw new NetNsException("InvalidPeerName", NetNsErrorCategory.InvalidArgument,
                $"-Name and -PeerName are both '{name}' in the same namespace; the two ends of a veth pair need different names.", name);
        RequireNamespace(@namespace, "Namespace");
        RequireNamespace(peerNamespace, "PeerNamespace");
    }

    /// <summary>Moves a link to another namespace (it arrives DOWN, without addresses).</summary>
    public NetLink MoveLink(string @namespace, string name, string destination)
    {
        Validate.InterfaceName(name);
        RequireNamespace(@namespace);
        RequireNamespace(destination, "Destination");
        if (@namespace == destination)
            throw new NetNsException("SameNamespace", NetNsErrorCategory.InvalidArgument, $"Link '{name}' is already in {Describe(destination)}.", Target(@namespace, name));
        if (!LinkExists(@namespace, name)) throw LinkNotFound(@namespace, name);
        if (LinkExists(destination, name))
            throw new NetNsException("LinkExists", NetNsErrorCategory.ResourceExists, $"A link named '{name}' already exists in {Describe(destination)}.", Target(destination, name));
        Run(IpCommands.LinkMove(@namespace, name, destination, Environment.ProcessId)).ThrowIfFailed("MoveLinkFailed", Target(@namespace, name),
            $"Cannot move link '{name}' to {Describe(destination)}", (NetNsErrorCategory.ResourceExists, "LinkExists"), (NetNsErrorCategory.ObjectNotFound, "LinkNotFound"));
        return GetLink(destination, name);
    }

    /// <summary>
    /// Changes state, MTU, MAC address, name or alias of a link in one request: the RTM_NEWLINK <c>ip link set</c> sends,
    /// made in process (rtnetlink, on a thread inside the namespace); the equivalent command line is announced.
    /// </summary>
    public void SetLink(string @namespace, string name, bool? up, int? mtu, string? mac, string? newName, string? alias = null)
    {
        var cmd = IpCommands.LinkSet(@namespace, name, up, mtu, mac, newName, alias);
        Announce(cmd);
        var macBytes = mac is null ? null : Convert.FromHexString(mac.Replace(":", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal));
        try
        {
            Rtnl.In(@namespace, s =>
            {
                var index = 0;
                if (newName is not null && (index = Rtnl.IndexOf(name)) == 0) throw new RtnlException(19, null);
                s.Request(RtnlMessages.SetLink(s.NextSeq(), index, name, up, mtu, macBytes, newName, alias));
                return 0;
            });
        }
        catch (RtnlException ex)
        {
            throw Refused(ex, cmd, "SetLinkFailed", Target(@namespace, name), $"Cannot change link '{name}' in {Describe(@namespace)}",
                (NetNsErrorCategory.ObjectNotFound, "LinkNotFound"), (NetNsErrorCategory.ResourceExists, "LinkExists"));
        }
    }

    /// <summary>Deletes a link; for a veth, both ends go.</summary>
    public void RemoveLink(string @namespace, string name)
    {
        Run(IpCommands.LinkDelete(@namespace, name)).ThrowIfFailed("RemoveLinkFailed", Target(@namespace, name),
            $"Cannot remove link '{name}' from {Describe(@namespace)}", (NetNsErrorCategory.ObjectNotFound, "LinkNotFound"));
    }

    /// <summary>Addresses in a namespace, optionally of one link.</summary>
    public List<NetAddress> GetAddresses(string @namespace, string? name = null)
    {
        RequireNamespace(@namespace);
        var r = Run(IpCommands.AddressShow(@namespace, name));
        if (!r.Succeeded)
        {
            if (name is not null) throw LinkNotFound(@namespace, name);
            r.ThrowIfFailed("GetAddressFailed", @namespace, $"Cannot list addresses in {Describe(@namespace)}");
        }
        return IpJson.ParseAddresses(r.StandardOutput, @namespace);
    }

    /// <summary>
    /// Adds an address (CIDR) to a link: the RTM_NEWADDR <c>ip address add</c> sends (create, exclusive; scope as ip picks
    /// it), made in process (rtnetlink, on a thread inside the namespace); the equivalent command line is announced. An
    /// IPv6 address is usable when this returns: it waits for duplicate address detection to end (<see cref="AddressDad"/>:
    /// <c>DuplicateAddress</c>, <c>DadTimeout</c>), unless <paramref name="skipDad"/> adds it with IFA_F_NODAD (<c>nodad</c>).
    /// </summary>
    public NetAddress AddAddress(string @namespace, string name, string cidr, bool skipDad = false)
    {
        var (ip, prefix) = Validate.Cidr(cidr);
        var normal = ip + "/" + prefix;
        var noDad = skipDad && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
        var cmd = IpCommands.AddressAdd(@namespace, name, normal, noDad);
        Announce(cmd);
        try
        {
            Rtnl.In(@namespace, s =>
            {
                var index = Rtnl.IndexOf(name);
                if (index == 0) throw new RtnlException(19, null);
                s.Request(RtnlMessages.AddAddress(s.NextSeq(), (uint)index, normal, noDad));
                if (!noDad) AddressDad.Wait(s, @namespace, name, index, ip, prefix, AddressDad.DefaultTimeout, _ct);
                return 0;
            });
        }
        catch (RtnlException ex)
        {
            if (ex.Errno == 19) throw LinkNotFound(@namespace, name);
            throw Refused(ex, cmd, "AddAddressFailed", Target(@namespace, name), $"Cannot add address {normal} to link '{name}' in {Describe(@namespace)}",
                (NetNsErrorCategory.ResourceExists, "AddressExists"), (NetNsErrorCategory.ObjectNotFound, "LinkNotFound"));
        }
        return new NetAddress(@namespace, name, ip.ToString(), prefix, ip.AddressFamily, RtnlMessages.ScopeName(RtnlMessages.DefaultScope(ip)));
    }

    /// <summary>Removes an address (CIDR) from a link.</summary>
    public void RemoveAddress(string @namespace, string name, string cidr)
    {
        var (ip, prefix) = Validate.Cidr(cidr);
        var normal = ip + "/" + prefix;
        var r = Run(IpCommands.AddressDelete(@namespace, name, normal));
        if (r.Succeeded) return;
        if (r.StandardError.Contains("Cannot assign requested address", StringComparison.Ordinal)
            || r.StandardError.Contains("address not found", StringComparison.OrdinalIgnoreCase))
            throw new NetNsException("AddressNotFound", NetNsErrorCategory.ObjectNotFound, $"Link '{name}' in {Describe(@namespace)} has no address {normal}.", Target(@namespace, name));
        r.ThrowIfFailed("RemoveAddressFailed", Target(@namespace, name), $"Cannot remove address {normal} from link '{name}'",
            (NetNsErrorCategory.ObjectNotFound, "LinkNotFound"));
    }

    /// <summary>Pings from inside a namespace. Never throws for an unreachable target: the result says so.</summary>
    public PingResult Ping(string @namespace, string target, int count, double timeoutSeconds, double intervalSeconds)
    {
        RequireNamespace(@namespace);
        var r = Run(IpCommands.Ping(@namespace, target, count, timeoutSeconds, intervalSeconds));
        return PingParser.Parse(@namespace, target, count, r.StandardOutput, r.StandardError);
    }
}
