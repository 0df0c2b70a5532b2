using System.Net;
using System.Text.Json;
using NetNs.Core.Context;
using NetNs.Core.Errors;
using NetNs.Core.Ip;
using NetNs.Core.Models;
using NetNs.Core.Native;
using NetNs.Core.Process;
using NetNs.Core.Routes;
using NetNs.Core.Validation;

namespace NetNs.Core.Nat;

/// <summary>
/// NAT to the outside for a namespace, as Mininet's --nat gives: a veth pair from the namespace to the root namespace
/// with a /30 (100.127.x.y by default), a default route in the namespace via the root's end, and source NAT (masquerade)
/// in the root namespace for what comes in over that link and leaves by any other, in NetNs's own nftables table
/// (<see cref="NftBatch"/>); inside the namespace a masquerade on its NAT link, so that the hosts it routes for are
/// translated too. The root namespace's net.ipv4.ip_forward is turned on when it is off, recorded, and restored when the
/// last NAT goes. State: /run/netns-ps/nat/NS.json per NAT, /run/netns-ps/nat/host-ip_forward for the setting it changed.
/// ErrorIds: <c>NatExists</c>, <c>DefaultRouteExists</c>, <c>NatTableNotOwned</c> (ResourceExists); <c>NatNotFound</c>,
/// <c>NamespaceNotFound</c> (ObjectNotFound); <c>InvalidNatSubnet</c>, <c>InvalidInterfaceName</c> (InvalidArgument);
/// <c>NftFailed</c> with nft's message.
/// </summary>
internal sealed class NatOps : KernelOps
{
    /// <summary>Creates the operations over <paramref name="context"/>.</summary>
    public NatOps(NetNsContext context) : base(context) { }

    private sealed record Record(string Namespace, string Interface, string Address, string HostInterface, string Gateway);

    private const string HostForwardFile = "host-ip_forward";

    /// <summary>The name of a lab namespace's end of its NAT link.</summary>
    public const string LabInterface = "nat0";

    /// <summary>Removes the NATs whose namespace is gone (Clear-NetLab): their host-side rule, link and record.</summary>
    public void SweepGone()
    {
        foreach (var r in Records().Where(r => !Kernel.NamespaceExists(r.Namespace))) Undo(r);
    }

    /// <summary>The NATs NetNs set up, from their records.</summary>
    public List<NetNamespaceNat> Get() => Records().Select(r => new NetNamespaceNat(r.Namespace, r.Interface, r.Address, r.HostInterface, r.Gateway)).ToList();

    private static List<Record> Records()
    {
        var dir = RunDirectory.PathOf("nat");
        if (!Directory.Exists(dir)) return new List<Record>();
        return Directory.GetFiles(dir, "*.json").Order(StringComparer.Ordinal)
            .Select(f => RunDirectory.ReadFile(f) is { } text ? JsonSerializer.Deserialize<Record>(text) : null)
            .OfType<Record>().ToList();
    }

    private static string RecordPath(string @namespace) => RunDirectory.PathOf("nat", @namespace + ".json");

    /// <summary>The /30 a new NAT gets: the first of 100.127.0.0/16 that no NAT and no root-namespace address uses.</summary>
    private IPNetwork PickSubnet(List<Record> records)
    {
        using var root = Kernel.At("");
        var used = root.Addresses().Where(a => a.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
            .Select(a => new IPNetwork(RouteSpec.Network(a.Address, a.PrefixLength), a.PrefixLength)).ToList();
        used.AddRange(records.Select(r => IPNetwork.Parse(RouteSpec.Network(IPAddress.Parse(r.Gateway), 30) + "/30")));
        for (var i = 0; i < 16384; i++)
        {
            var candidate = new IPNetwork(new IPAddress(new byte[] { 100, 127, (byte)(i * 4 / 256), (byte)(i * 4 % 256) }), 30);
            if (!used.Any(u => u.Contains(candidate.BaseAddress) || candidate.Contains(u.BaseAddress))) return candidate;
        }
        throw new NetNsException("InvalidNatSubnet", NetNsErrorCategory.ResourceUnavailable, "No free /30 is left in 100.127.0.0/16 for a NAT link; give one with -Subnet.", null);
    }

    /// <summary>The commands <see cref="Enable"/> runs, for -WhatIf (the addresses as they would be picked).</summary>
    public static List<string> Plan(string @namespace, string @interface, string hostInterface, IPNetwork subnet)
    {
        var (gw, addr) = Hosts(subnet);
        var lines = new List<string>
        {
            IpCommands.VethAdd(hostInterface, "", @interface, @namespace, null).ToString(),
            $"ip address add {gw}/{subnet.PrefixLength} dev {hostInterface}; ip -n {@namespace} address add {addr}/{subnet.PrefixLength} dev {@interface}",
            $"ip -n {@namespace} route add default via {gw}",
            NftBatch.Command(@namespace, NftBatch.Inner(@namespace, @interface)).ToString(),
            NftBatch.Command("", NftBatch.Host(new[] { (@namespace, hostInterface) })).ToString(),
            NamespaceSysctl.WriteCommand("", NamespaceSysctl.Ipv4Forwarding, "1") + "   (only when it is 0; restored when the last NAT goes)",
        };
        return lines;
    }

    private static (IPAddress Gateway, IPAddress Address) Hosts(IPNetwork subnet)
    {
        var b = subnet.BaseAddress.GetAddressBytes();
        var g = (byte[])b.Clone(); g[3] += 1;
        var a = (byte[])b.Clone(); a[3] += 2;
        return (new IPAddress(g), new IPAddress(a));
    }

    /// <summary>Checks a -Subnet: IPv4, /30 or shorter, host bits clear.</summary>
    public static IPNetwork ParseSubnet(string text)
    {
        var (ip, prefix) = Validate.Cidr(text, "Subnet");
        if (ip.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork || prefix > 30 || !RouteSpec.Network(ip, prefix).Equals(ip))
            throw new NetNsException("InvalidNatSubnet", NetNsErrorCategory.InvalidArgument,
                $"Invalid -Subnet '{text}': give an IPv4 network of /30 or shorter with its host bits clear, e.g. 100.127.0.0/30; the host gets its first address, the namespace the second.", text);
        return new IPNetwork(ip, prefix);
    }

    /// <summary>A fresh name for the root namespace's end of a NAT link: nsnat + 6 hex digits.</summary>
    public static string NewHostInterface() => "nsnat" + Guid.NewGuid().ToString("N")[..6];

    /// <summary>Sets up NAT for <paramref name="namespace"/>; on any failure everything it made is removed again.</summary>
    public NetNamespaceNat Enable(string @namespace, string @interface, IPNetwork? subnet, string? hostInterface = null)
    {
        Validate.NamespaceName(@namespace, "Namespace");
        Validate.InterfaceName(@interface, "Interface");
        RequireNamespace(@namespace);
        var records = Records();
        if (records.Any(r => r.Namespace == @namespace))
            throw new NetNsException("NatExists", NetNsErrorCategory.ResourceExists, $"Namespace '{@namespace}' already has NAT (Get-NetNamespaceNat). Remove it with Disable-NetNamespaceNat first.", @namespace);
        if (new RouteOps(Context).Get(@namespace, System.Net.Sockets.AddressFamily.InterNetwork).Any(r => r.Destination == "default"))
            throw new NetNsException("DefaultRouteExists", NetNsErrorCategory.ResourceExists,
                $"Namespace '{@namespace}' has an IPv4 default route already; NAT gives it one via the host. Remove it first (Remove-NetNsRoute -Namespace {@namespace} default).", @namespace);
        if (records.Count == 0 && Run(NftBatch.List("")).Succeeded)
            throw new NetNsException("NatTableNotOwned", NetNsErrorCategory.ResourceExists,
                $"The root namespace has an nftables table 'ip {NftBatch.Table}' that NetNs did not create (no NAT is recorded under {RunDirectory.PathOf("nat")}); NetNs does not touch it. Remove or rename it, then retry.", NftBatch.Table);
        var net = subnet ?? PickSubnet(records);
        var (gw, addr) = Hosts(net);
        var host = hostInterface ?? NewHostInterface();
        var record = new Record(@namespace, @interface, $"{addr}/{net.PrefixLength}", host, gw.ToString());
        var links = new LinkOps(Context);
        var made = false;
        try
        {
            links.AddVeth(host, "", @interface, @namespace, null);
            made = true;
            links.SetLink("", host, true, null, null, null);
            links.SetLink(@namespace, @interface, true, null, null, null);
            links.SetLink(@namespace, "lo", true, null, null, null);
            var addresses = new AddressOps(Context);
            addresses.AddAddress("", host, $"{gw}/{net.PrefixLength}");
            addresses.AddAddress(@namespace, @interface, record.Address);
            new RouteOps(Context).Add(@namespace, RouteSpec.Create("default", gw.ToString(), @interface, null, null, null, requireNextHop: true));
            RunDirectory.EnsureDirectory("nat");
            RunDirectory.WriteFile(RecordPath(@namespace), JsonSerializer.Serialize(record));
            Nft(@namespace, NftBatch.Inner(@namespace, @interface));
            ApplyHost();
            RaiseHostForwarding();
        }
        catch (Exception) when (made)
        {
            Undo(record);
            throw;
        }
        return new NetNamespaceNat(@namespace, @interface, record.Address, host, record.Gateway);
    }

    /// <summary>Removes the NAT of <paramref name="namespace"/>: its link (and with it the namespace's default route), both tables' rules, the record; the host setting when it was the last.</summary>
    public void Disable(string @namespace)
    {
        var record = Records().FirstOrDefault(r => r.Namespace == @namespace)
            ?? throw new NetNsException("NatNotFound", NetNsErrorCategory.ObjectNotFound, $"Namespace '{@namespace}' has no NAT set up by NetNs (Get-NetNamespaceNat lists them).", @namespace);
        Undo(record);
    }

    /// <summary>Removes the NAT of <paramref name="namespace"/> when it has one (Remove-NetNamespace does, before the namespace goes).</summary>
    public void DisableIfAny(string @namespace)
    {
        if (Records().FirstOrDefault(r => r.Namespace == @namespace) is { } record) Undo(record);
    }

    private void Undo(Record record)
    {
        var errors = new List<Exception>();
        void Step(Action a)
        {
            try { a(); }
            catch (Exception ex) when (ex is NetNsException or IOException) { errors.Add(ex); }
        }
        using (var root = Kernel.At(""))
        {
            if (root.Link(record.HostInterface) is not null) Step(() => new LinkOps(Context).RemoveLink("", record.HostInterface));
        }
        if (Kernel.NamespaceExists(record.Namespace)) Step(() => Nft(record.Namespace, NftBatch.Inner(record.Namespace, record.Interface, remove: true)));
        Step(() => RunDirectory.RemoveFile(RecordPath(record.Namespace)));
        Step(ApplyHost);
        if (Records().Count == 0) Step(RestoreHostForwarding);
        if (errors.Count > 0) throw errors[0];
    }

    private ToolResult Run(ToolCommand c) => Context.Runner.Run(c, Context.Cancellation);

    private void Nft(string @namespace, string batch) =>
        Run(NftBatch.Command(@namespace, batch)).ThrowIfFailed("NftFailed", NftBatch.Table, $"nft refused NetNs's NAT table in {LinkId.Describe(@namespace)}");

    /// <summary>Writes the root namespace's table from the records (deletes it when none is left).</summary>
    private void ApplyHost() => Nft("", NftBatch.Host(Records().Select(r => (r.Namespace, r.HostInterface)).ToList()));

    private void RaiseHostForwarding()
    {
        using var root = Kernel.At("");
        if (root.ReadSysctl(NamespaceSysctl.Ipv4Forwarding) != "0") return;
        RunDirectory.WriteFile(RunDirectory.PathOf("nat", HostForwardFile), "0");
        Announce(NamespaceSysctl.WriteCommand("", NamespaceSysctl.Ipv4Forwarding, "1"), InProcess.Sysctl);
        root.WriteSysctl(NamespaceSysctl.Ipv4Forwarding, "1");
    }

    private void RestoreHostForwarding()
    {
        var file = RunDirectory.PathOf("nat", HostForwardFile);
        if (RunDirectory.ReadFile(file) is not { } before) return;
        using (var root = Kernel.At(""))
        {
            Announce(NamespaceSysctl.WriteCommand("", NamespaceSysctl.Ipv4Forwarding, before.Trim()), InProcess.Sysctl);
            root.WriteSysctl(NamespaceSysctl.Ipv4Forwarding, before.Trim());
        }
        RunDirectory.RemoveFile(file);
    }
}
