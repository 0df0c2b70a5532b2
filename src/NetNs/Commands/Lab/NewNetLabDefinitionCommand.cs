using NetNs.Core.Ovs;
using System.Globalization;
using System.Management.Automation;
using System.Net;
using NetNs.Core.Errors;
using NetNs.Core.Lab;
using NetNs.Core.Validation;

namespace NetNs.Commands.Lab;

/// <summary>
/// <para type="synopsis">Generates a lab definition: a star of N hosts on one Open vSwitch bridge.</para>
/// <para type="description">Host i is namespace PREFIXi with interface eth0 (address i of -Subnet), joined by a veth pair to
/// port vPREFIXi of bridge PREFIXbr. -VlanTag spreads the hosts round-robin over the given access VLANs. Nothing is created;
/// pipe the result to New-NetLab, or write it with -Path (.psd1, .json, .yaml). Errors: InvalidArgument when the subnet is
/// too small or a generated name is too long.</para>
/// </summary>
[Cmdlet(VerbsCommon.New, "NetLabDefinition")]
[OutputType(typeof(LabDefinition))]
public sealed class NewNetLabDefinitionCommand : LabCmdlet
{
    /// <inheritdoc />
    protected override bool RequiresPrivileges => false;

    /// <summary>Generate a star (the only topology so far).</summary>
    [Parameter(Mandatory = true)]
    public SwitchParameter Star { get; set; }

    /// <summary>Lab name.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    public string Name { get; set; } = string.Empty;

    /// <summary>Number of hosts (1-4000).</summary>
    [Parameter(Mandatory = true)]
    [ValidateRange(1, 4000)]
    public int HostCount { get; set; }

    /// <summary>Prefix of the generated names (default 'h').</summary>
    [Parameter]
    public string Prefix { get; set; } = "h";

    /// <summary>Bridge name (default PREFIXbr).</summary>
    [Parameter]
    public string? Bridge { get; set; }

    /// <summary>Subnet the host addresses come from (default 10.0.0.0/24; host i gets address i).</summary>
    [Parameter]
    public string Subnet { get; set; } = "10.0.0.0/24";

    /// <summary>Datapath of the bridge.</summary>
    [Parameter]
    public OvsDatapathType DatapathType { get; set; } = OvsDatapathType.Auto;

    /// <summary>Access VLAN tags, assigned round-robin (host 1 gets the first).</summary>
    [Parameter]
    public int[] VlanTag { get; set; } = Array.Empty<int>();

    /// <summary>MTU of every link in bytes.</summary>
    [Parameter]
    public int? Mtu { get; set; }

    /// <summary>Also write the definition to this file (.psd1, .json, .yaml).</summary>
    [Parameter]
    public string? Path { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        Try(() =>
        {
            var (net, prefix) = Validate.Cidr(Subnet, "Subnet");
            if (net.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
                throw new NetNsException("InvalidAddress", NetNsErrorCategory.InvalidArgument, "-Subnet must be IPv4.", Subnet);
            var size = prefix >= 31 ? 0 : (1L << (32 - prefix)) - 2;
            if (HostCount > size)
                throw new NetNsException("InvalidAddress", NetNsErrorCategory.InvalidArgument, $"-Subnet {Subnet} has room for {size} hosts, not {HostCount}.", Subnet);
            var b = net.GetAddressBytes();
            var baseAddr = (uint)(b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]) & (prefix == 0 ? 0 : uint.MaxValue << (32 - prefix));
            // The values the user gave are checked under their own parameter names (the checks of the generated definition
            // below would name the definition's places, e.g. Links[0].Mtu, that the user never wrote).
            if (Prefix.Length == 0 || Prefix.Any(char.IsControl) || Prefix.Contains('/') || Prefix.Any(char.IsWhiteSpace) || Prefix[0] == '-' || Prefix[0] == '.')
                throw new NetNsException("InvalidNamespaceName", NetNsErrorCategory.InvalidArgument,
                    $"Invalid -Prefix '{Validate.Printable(Prefix)}': the host names PREFIX1..PREFIXN are namespace and interface names; use letters, digits, '-', '_' and '.', not starting with '-' or '.'.", Prefix);
            if (Mtu is { } mtu) Validate.Mtu(mtu, "Mtu");
            foreach (var t in VlanTag)
                if (t < 1 || t > 4094) throw new NetNsException("InvalidVlanTag", NetNsErrorCategory.InvalidArgument, $"Invalid VLAN tag {t} for -VlanTag: use 1-4094.", t);
            var bridge = Bridge ?? Prefix + "br";
            var links = new List<LabLink>();
            var namespaces = new List<LabNamespace>();
            for (var i = 1; i <= HostCount; i++)
            {
                var n = Prefix + i.ToString(CultureInfo.InvariantCulture);
                namespaces.Add(new LabNamespace(n));
                var a = baseAddr + (uint)i;
                var ip = new IPAddress(new[] { (byte)(a >> 24), (byte)(a >> 16), (byte)(a >> 8), (byte)a });
                int? tag = VlanTag.Length > 0 ? VlanTag[(i - 1) % VlanTag.Length] : null;
                links.Add(new LabLink(n, "eth0", "v" + n, null, bridge, new[] { ip + "/" + prefix.ToString(CultureInfo.InvariantCulture) }, null, Mtu, tag));
            }
            var d = new LabDefinition(Name, new[] { new LabBridge(bridge, DatapathType) }, namespaces, links, Array.Empty<LabDhcpServer>());
            LabValidator.Check(d);
            if (Path is not null) LabDefinitionWriter.ToFile(d, GetUnresolvedProviderPathFromPSPath(Path));
            WriteObject(d);
        });
    }
}
