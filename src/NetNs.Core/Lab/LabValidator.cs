using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using NetNs.Core.Errors;
using NetNs.Core.Validation;

namespace NetNs.Core.Lab;

/// <summary>What exists already on the machine (and in the OVS database), for collision checks.</summary>
public sealed class LabInventory
{
    /// <summary>Creates an inventory.</summary>
    public LabInventory(IEnumerable<string> namespaces, IEnumerable<string> rootLinks, IEnumerable<string> ovsBridges, IEnumerable<string> ovsPorts)
    {
        Namespaces = new HashSet<string>(namespaces, StringComparer.Ordinal);
        RootLinks = new HashSet<string>(rootLinks, StringComparer.Ordinal);
        OvsBridges = new HashSet<string>(ovsBridges, StringComparer.Ordinal);
        OvsPorts = new HashSet<string>(ovsPorts, StringComparer.Ordinal);
    }

    /// <summary>Names under /run/netns.</summary>
    public IReadOnlySet<string> Namespaces { get; }

    /// <summary>Interface names in the root namespace.</summary>
    public IReadOnlySet<string> RootLinks { get; }

    /// <summary>Open vSwitch bridge names.</summary>
    public IReadOnlySet<string> OvsBridges { get; }

    /// <summary>Open vSwitch port names (a bridge's own port included).</summary>
    public IReadOnlySet<string> OvsPorts { get; }
}

/// <summary>
/// Checks a <see cref="LabDefinition"/> before anything is created: names (the rules of <see cref="Validate"/>),
/// addresses, MTUs, VLAN tags and trunks (the rules of <see cref="Ovs.OvsVlan"/>, as Set-OvsVlan checks them), references,
/// duplicates, DHCP ranges, and collisions with what exists. The first problem throws one <see cref="NetNsException"/>
/// naming the object. ErrorIds: <c>InvalidLabName</c>, <c>InvalidLabDefinition</c>, <c>InvalidInterfaceName</c>, <c>InvalidNamespaceName</c>,
/// <c>InvalidAddress</c>, <c>InvalidMtu</c>, <c>InvalidVlanTag</c>, <c>InvalidTrunk</c>, <c>DuplicateTrunkVlan</c>, <c>InvalidDhcpRange</c>,
/// <c>LabReferenceNotFound</c>, <c>DuplicateLabObject</c>, <c>DuplicateAddress</c> (InvalidArgument or ObjectNotFound);
/// <c>NamespaceExists</c>, <c>LinkExists</c>, <c>BridgeExists</c>, <c>PortExists</c> (ResourceExists).
/// </summary>
public static partial class LabValidator
{
    /// <summary>Longest lab name.</summary>
    public const int MaxLabNameLength = 64;

    /// <summary>Checks a lab name: 1-64 characters of letters, digits, '.', '_' and '-', not starting with '-' or '.'.</summary>
    public static string LabName(string? name, string parameter = "Name")
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxLabNameLength || !LabNameRegex().IsMatch(name))
            throw new NetNsException("InvalidLabName", NetNsErrorCategory.InvalidArgument,
                $"Invalid lab name '{Validate.Printable(name)}' for -{parameter}: use 1-{MaxLabNameLength} letters, digits, '.', '_' or '-', not starting with '-' or '.'.", name);
        return name;
    }

    /// <summary>
    /// Checks the ovsdb socket path of a lab (-OvsSocket, already resolved to an absolute path): no control characters,
    /// at most <see cref="Ovs.OvsConnection.MaxSocketPathBytes"/> bytes (sun_path). ErrorId <c>InvalidOvsSocket</c> (InvalidArgument).
    /// </summary>
    public static string OvsSocket(string path, string parameter = "OvsSocket")
    {
        if (path.Length == 0 || path[0] != '/' || path.Any(char.IsControl) || System.Text.Encoding.UTF8.GetByteCount(path) > Ovs.OvsConnection.MaxSocketPathBytes)
            throw new NetNsException("InvalidOvsSocket", NetNsErrorCategory.InvalidArgument,
                $"Invalid Open vSwitch socket '{Validate.Printable(path)}' for -{parameter}: give the path of ovsdb-server's unix socket (at most {Ovs.OvsConnection.MaxSocketPathBytes} bytes), without control characters.", path);
        return path;
    }

    /// <summary>Checks a lab name filter: a lab name that may also hold the wildcards '*', '?', '[' and ']'.</summary>
    public static string LabNamePattern(string? pattern, string parameter = "Name")
    {
        if (string.IsNullOrEmpty(pattern) || pattern.Length > MaxLabNameLength || !LabPatternRegex().IsMatch(pattern))
            throw new NetNsException("InvalidLabName", NetNsErrorCategory.InvalidArgument,
                $"Invalid lab name filter '{Validate.Printable(pattern)}' for -{parameter}: use 1-{MaxLabNameLength} letters, digits, '.', '_', '-' and the wildcards * ? [ ], not starting with '-' or '.'.", pattern);
        return pattern;
    }

    /// <summary>Checks the definition on its own (no machine state).</summary>
    public static void Check(LabDefinition d)
    {
        LabName(d.Name);
        var namespaces = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < d.Namespaces.Count; i++)
        {
            var n = d.Namespaces[i].Name;
            Validate.NamespaceName(n, $"Namespaces[{i}]");
            if (!namespaces.Add(n)) throw Duplicate($"namespace '{n}' is defined twice (Namespaces[{i}]).", n);
        }
        var bridges = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < d.Bridges.Count; i++)
        {
            var b = d.Bridges[i].Name;
            Validate.InterfaceName(b, $"Bridges[{i}]");
            if (!bridges.Add(b)) throw Duplicate($"bridge '{b}' is defined twice (Bridges[{i}]).", b);
        }
        var ends = new HashSet<(string, string)>();
        var rootNames = new HashSet<string>(bridges, StringComparer.Ordinal);
        var addresses = new Dictionary<IPAddress, string>();
        for (var i = 0; i < d.Links.Count; i++)
        {
            var l = d.Links[i];
            var p = $"Links[{i}]";
            Validate.NamespaceName(l.Namespace, p + ".Namespace");
            Validate.InterfaceName(l.Name, p + ".Name");
            Validate.InterfaceName(l.PeerName, p + ".PeerName");
            if (!namespaces.Contains(l.Namespace)) throw Missing($"{p} ({l.Name}) refers to namespace '{l.Namespace}', which the lab does not define.", l.Namespace);
            if ((l.Bridge is null) == (l.PeerNamespace is null))
                throw Invalid(p, $"link '{l.Name}' needs exactly one of PeerNamespace (a namespace-to-namespace link) or Bridge (a bridge port).", l.Name);
            if (l.Mtu is { } mtu) Validate.Mtu(mtu, p + ".Mtu");
            if (l.Name == "lo" || (l.PeerNamespace is not null && l.PeerName == "lo"))
                throw Invalid(p, "'lo' is the loopback interface every namespace already has; choose another name.", "lo");
            if (!ends.Add((l.Namespace, l.Name))) throw Duplicate($"interface '{l.Name}' in namespace '{l.Namespace}' is defined twice ({p}).", l.Name);
            if (l.Bridge is not null)
            {
                if (!bridges.Contains(l.Bridge)) throw Missing($"{p} ({l.Name}) refers to bridge '{l.Bridge}', which the lab does not define.", l.Bridge);
                if (!rootNames.Add(l.PeerName)) throw Duplicate($"root-namespace interface '{l.PeerName}' ({p}.PeerName) is used twice or clashes with a bridge name.", l.PeerName);
                if (l.PeerAddresses.Count > 0) throw Invalid(p + ".PeerAddress", $"link '{l.Name}': a bridge port carries no address; put addresses on the namespace end.", l.Name);
                if (l.Tag is not null && l.Trunk.Count > 0)
                    throw Invalid(p, $"port '{l.PeerName}' has both Tag and Trunk; an access port has a Tag, a trunk port a Trunk list.", l.PeerName);
                // The rules of Set-OvsVlan (OvsVlan), with the place in the definition added to the message.
                try { LabOvs.Vlan(l); }
                catch (NetNsException e) { throw new NetNsException(e.ErrorId, e.Category, $"Invalid lab definition at {p} (port '{l.PeerName}'): {e.Message}", l.PeerName); }
            }
            else
            {
                Validate.NamespaceName(l.PeerNamespace, p + ".PeerNamespace");
                if (!namespaces.Contains(l.PeerNamespace!)) throw Missing($"{p} ({l.Name}) refers to namespace '{l.PeerNamespace}', which the lab does not define.", l.PeerNamespace);
                if (!ends.Add((l.PeerNamespace!, l.PeerName))) throw Duplicate($"interface '{l.PeerName}' in namespace '{l.PeerNamespace}' is defined twice ({p}.PeerName).", l.PeerName);
                if (l.Tag is not null || l.Trunk.Count > 0) throw Invalid(p, $"link '{l.Name}' joins two namespaces; Tag and Trunk apply to bridge ports only.", l.Name);
            }
            foreach (var (list, key) in new[] { (l.Addresses, "Address"), (l.PeerAddresses, "PeerAddress") })
            {
                for (var j = 0; j < list.Count; j++)
                {
                    var (ip, _) = Validate.Cidr(list[j], $"{p}.{key}[{j}]");
                    if (addresses.TryGetValue(ip, out var other))
                        throw new NetNsException("DuplicateAddress", NetNsErrorCategory.InvalidArgument, $"Address {ip} at {p}.{key} is also given to {other}.", list[j]);
                    addresses[ip] = $"{p}.{key}";
                }
            }
        }
        CheckRoutes(d, ends);
        var served = new HashSet<(string, string)>();
        for (var i = 0; i < d.Dhcp.Count; i++)
        {
            var s = d.Dhcp[i];
            var p = $"Dhcp[{i}]";
            if (!ends.Contains((s.Namespace, s.Interface))) throw Missing($"{p} serves interface '{s.Interface}' in namespace '{s.Namespace}', which the lab does not define.", s.Interface);
            if (!served.Add((s.Namespace, s.Interface))) throw Duplicate($"{p}: a second DHCP server on '{s.Namespace}/{s.Interface}'.", s.Interface);
            var start = Validate.IpAddress(s.RangeStart, p + ".RangeStart");
            var end = Validate.IpAddress(s.RangeEnd, p + ".RangeEnd");
            if (start.AddressFamily != AddressFamily.InterNetwork || end.AddressFamily != AddressFamily.InterNetwork)
                throw Range(p, "the range must be IPv4.", s.Interface);
            if (ToUInt(start) > ToUInt(end)) throw Range(p, $"the range {start}-{end} is reversed.", s.Interface);
            if (s.LeaseTimeSeconds < 120) throw Range(p, $"LeaseTime {s.LeaseTimeSeconds} s is below dnsmasq's minimum of 120 seconds.", s.Interface);
            if (s.Router is not null) Validate.IpAddress(s.Router, p + ".Router");
            foreach (var dns in s.DnsServers) Validate.IpAddress(dns, p + ".DnsServer");
            var ifAddrs = AddressesOf(d, s.Namespace, s.Interface).Select(a => Validate.Cidr(a)).Where(a => a.Address.AddressFamily == AddressFamily.InterNetwork).ToList();
            if (ifAddrs.Count == 0) throw Range(p, $"interface '{s.Interface}' has no IPv4 address in the lab; a DHCP server needs one.", s.Interface);
            if (!ifAddrs.Any(a => InSubnet(start, a.Address, a.PrefixLength) && InSubnet(end, a.Address, a.PrefixLength)))
                throw Range(p, $"the range {start}-{end} is not inside the subnet of '{s.Interface}' ({string.Join(", ", ifAddrs.Select(a => a.Address + "/" + a.PrefixLength))}).", s.Interface);
        }
    }

    /// <summary>Checks that nothing the lab would create exists already.</summary>
    public static void CheckCollisions(LabDefinition d, LabInventory live)
    {
        foreach (var n in d.Namespaces)
            if (live.Namespaces.Contains(n.Name))
                throw new NetNsException("NamespaceExists", NetNsErrorCategory.ResourceExists, $"Lab '{d.Name}': namespace '{n.Name}' already exists; nothing was created.", n.Name);
        foreach (var b in d.Bridges)
        {
            if (live.OvsBridges.Contains(b.Name))
                throw new NetNsException("BridgeExists", NetNsErrorCategory.ResourceExists, $"Lab '{d.Name}': bridge '{b.Name}' already exists in Open vSwitch; nothing was created.", b.Name);
            if (live.RootLinks.Contains(b.Name) || live.OvsPorts.Contains(b.Name))
                throw new NetNsException("LinkExists", NetNsErrorCategory.ResourceExists, $"Lab '{d.Name}': bridge name '{b.Name}' is already taken by an interface or port; nothing was created.", b.Name);
        }
        foreach (var l in d.Links.Where(l => l.IsBridgeLink))
        {
            if (live.RootLinks.Contains(l.PeerName))
                throw new NetNsException("LinkExists", NetNsErrorCategory.ResourceExists, $"Lab '{d.Name}': interface '{l.PeerName}' already exists in the root namespace; nothing was created.", l.PeerName);
            if (live.OvsPorts.Contains(l.PeerName))
                throw new NetNsException("PortExists", NetNsErrorCategory.ResourceExists, $"Lab '{d.Name}': Open vSwitch port '{l.PeerName}' already exists; nothing was created.", l.PeerName);
        }
    }

    /// <summary>All addresses the definition gives to (namespace, interface).</summary>
    public static IEnumerable<string> AddressesOf(LabDefinition d, string @namespace, string name)
    {
        foreach (var l in d.Links)
        {
            if (l.Namespace == @namespace && l.Name == name) foreach (var a in l.Addresses) yield return a;
            if (l.PeerNamespace == @namespace && l.PeerName == name) foreach (var a in l.PeerAddresses) yield return a;
        }
    }

    /// <summary>True when <paramref name="ip"/> is inside network/prefix.</summary>
    public static bool InSubnet(IPAddress ip, IPAddress network, int prefix)
    {
        var a = ip.GetAddressBytes();
        var b = network.GetAddressBytes();
        if (a.Length != b.Length) return false;
        for (var i = 0; i < a.Length; i++)
        {
            var bits = Math.Clamp(prefix - i * 8, 0, 8);
            var mask = (byte)(0xFF << (8 - bits));
            if ((a[i] & mask) != (b[i] & mask)) return false;
        }
        return true;
    }

    private static uint ToUInt(IPAddress ip)
    {
        var b = ip.GetAddressBytes();
        return (uint)(b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]);
    }

    /// <summary>
    /// Checks each namespace's routes: the syntax as Add-NetNsRoute checks it (the ErrorIds of <see cref="Routes.RouteSpec"/>,
    /// the message naming the place, e.g. <c>Namespaces[2].Routes[1].Gateway</c>), the interface one of the namespace's lab
    /// links, and the gateway on a subnet of the namespace's own lab addresses (<c>GatewayUnreachable</c>); no two routes
    /// alike (<c>DuplicateLabObject</c>).
    /// </summary>
    private static void CheckRoutes(LabDefinition d, HashSet<(string, string)> ends)
    {
        for (var i = 0; i < d.Namespaces.Count; i++)
        {
            var n = d.Namespaces[i];
            if (n.Routes.Count == 0 && !n.Nat) continue;
            var own = d.Links.SelectMany(l => (l.Namespace == n.Name ? l.Addresses : Array.Empty<string>()).Concat(l.PeerNamespace == n.Name ? l.PeerAddresses : Array.Empty<string>()))
                .Select(a => Validate.Cidr(a)).ToList();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            if (n.Nat && ends.Contains((n.Name, Nat.NatOps.LabInterface)))
                throw Duplicate($"Namespaces[{i}].Nat: namespace '{n.Name}' has a lab link named '{Nat.NatOps.LabInterface}', the name of its NAT link.", n.Name);
            for (var j = 0; j < n.Routes.Count; j++)
            {
                var r = n.Routes[j];
                var p = $"Namespaces[{i}].Routes[{j}]";
                Routes.RouteSpec spec;
                try
                {
                    if (r.Metric is < 0) throw new NetNsException("InvalidRouteDestination", NetNsErrorCategory.InvalidArgument, $"Metric {r.Metric} must be 0 or more.", r.Metric);
                    spec = Routes.RouteSpec.Create(r.Destination, r.Gateway, r.Interface, r.Metric is { } m ? (uint)m : null, null, null, requireNextHop: true);
                }
                catch (NetNsException ex) when (ex.Category == NetNsErrorCategory.InvalidArgument)
                {
                    var field = ex.ErrorId switch { "InvalidGateway" => ".Gateway", "InvalidInterfaceName" => ".Interface", "NextHopRequired" => "", _ => ".Destination" };
                    throw new NetNsException(ex.ErrorId, ex.Category, $"Invalid lab definition at {p}{field} (namespace '{n.Name}'): {ex.Message}", ex.Target);
                }
                if (spec.Interface is not null && !ends.Contains((n.Name, spec.Interface)))
                    throw Missing($"{p}.Interface names '{spec.Interface}', which is not a lab link of namespace '{n.Name}'.", spec.Interface);
                if (spec.Gateway is { } gw && !gw.IsIPv6LinkLocal && !own.Any(a => a.Address.AddressFamily == gw.AddressFamily && InSubnet(gw, a.Address, a.PrefixLength)))
                    throw new NetNsException("GatewayUnreachable", NetNsErrorCategory.InvalidArgument,
                        $"Invalid lab definition at {p}.Gateway: the gateway {gw} of the route to {spec.DestinationText} in namespace '{n.Name}' is on no subnet of that namespace's lab addresses ({(own.Count == 0 ? "it has none" : string.Join(", ", own.Select(a => a.Address + "/" + a.PrefixLength)))}).", r.Gateway);
                if (n.Nat && spec.PrefixLength == 0 && spec.Family == AddressFamily.InterNetwork)
                    throw new NetNsException("InvalidLabDefinition", NetNsErrorCategory.InvalidArgument,
                        $"Invalid lab definition at {p}: namespace '{n.Name}' has Nat, which gives it its IPv4 default route (via the host); remove this one.", r.Destination);
                if (!seen.Add(spec.FamilyName + " " + spec.DestinationText + " " + spec.Metric))
                    throw Duplicate($"{p}: namespace '{n.Name}' has a second route to {spec.DestinationText} with the same metric.", r.Destination);
            }
        }
    }

    private static NetNsException Duplicate(string message, object? target) => new("DuplicateLabObject", NetNsErrorCategory.InvalidArgument, "Invalid lab definition: " + message, target);
    private static NetNsException Missing(string message, object? target) => new("LabReferenceNotFound", NetNsErrorCategory.ObjectNotFound, "Invalid lab definition: " + message, target);
    private static NetNsException Invalid(string path, string message, object? target) => new("InvalidLabDefinition", NetNsErrorCategory.InvalidArgument, $"Invalid lab definition at {path}: {message}", target);
    private static NetNsException Range(string path, string message, object? target) => new("InvalidDhcpRange", NetNsErrorCategory.InvalidArgument, $"Invalid DHCP server at {path}: {message}", target);

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]*\\z")]
    private static partial Regex LabNameRegex();

    [GeneratedRegex("^[A-Za-z0-9_*?\\[\\]][A-Za-z0-9_.*?\\[\\]-]*\\z")]
    private static partial Regex LabPatternRegex();
}
