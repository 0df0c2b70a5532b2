using System.Management.Automation;
using NetNs.Core.Errors;
using NetNs.Core.Ip;
using NetNs.Core.Validation;

namespace NetNs.Commands.Addresses;

/// <summary>
/// <para type="synopsis">Removes addresses from a link (ip address del).</para>
/// <para type="description">-Address takes CIDR form, or a bare address whose prefix is then looked up (or taken from a piped
/// NetAddress). Errors: AddressNotFound, LinkNotFound, NamespaceNotFound (ObjectNotFound); InvalidAddress (InvalidArgument).</para>
/// </summary>
[Cmdlet(VerbsCommon.Remove, "NetAddress", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class RemoveNetAddressCommand : NetNsCmdlet
{
    /// <summary>The link holding the addresses.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(LinkNameCompleter))]
    public string Name { get; set; } = string.Empty;

    /// <summary>The namespace of the link; omit for the root namespace.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString, AllowNull]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public string? Namespace { get; set; }

    /// <summary>Addresses to remove: CIDR (10.0.0.1/24) or bare (10.0.0.1).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("IPAddress")]
    public string[] Address { get; set; } = Array.Empty<string>();

    /// <summary>Prefix length for bare addresses, in bits (bound from a piped NetAddress).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public int? PrefixLength { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var ns = NormalizeNamespace(Namespace);
        foreach (var a in Address)
        {
            Try(() =>
            {
                Validate.InterfaceName(Name);
                Namespaces.RequireNamespace(ns);
                string cidr;
                if (a.Contains('/')) cidr = a;
                else
                {
                    var ip = Validate.IpAddress(a, "Address");
                    var prefix = PrefixLength ?? Addresses.GetAddresses(ns, Name).FirstOrDefault(x => System.Net.IPAddress.Parse(x.Address).Equals(ip))?.PrefixLength
                        ?? throw new NetNsException("AddressNotFound", NetNsErrorCategory.ObjectNotFound, $"Link '{Name}' in {LinkId.Describe(ns)} has no address {a}.", new LinkId(ns, Name).Target);
                    cidr = ip + "/" + prefix;
                }
                var (addr, plen) = Validate.Cidr(cidr);
                var normal = addr + "/" + plen;
                if (!ShouldProcess(new LinkId(ns, Name).Target, IpCommands.AddressDelete(ns, Name, normal).ToString())) return;
                Addresses.RemoveAddress(ns, Name, normal);
            });
        }
    }
}
