using System.Management.Automation;
using NetNs.Core.Ip;
using NetNs.Core.Models;
using NetNs.Core.Validation;

namespace NetNs.Commands.Addresses;

/// <summary>
/// <para type="synopsis">Adds IPv4 or IPv6 addresses in CIDR form to a link (ip address add).</para>
/// <para type="description">Sends the RTM_NEWADDR request of 'ip address add' in process through rtnetlink (RFC 3549); -Verbose shows the
/// ip command line. Errors: InvalidAddress (InvalidArgument); LinkNotFound, NamespaceNotFound (ObjectNotFound);
/// AddressExists (ResourceExists).</para>
/// </summary>
[Cmdlet(VerbsCommon.Add, "NetAddress", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(NetAddress))]
public sealed class AddNetAddressCommand : NetNsCmdlet
{
    /// <summary>The link to add the addresses to.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(LinkNameCompleter))]
    public string Name { get; set; } = string.Empty;

    /// <summary>The namespace of the link; omit for the root namespace.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString, AllowNull]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public string? Namespace { get; set; }

    /// <summary>Addresses in CIDR form, e.g. 10.0.0.1/24 or fd00::1/64.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [Alias("IPAddress")]
    public string[] Address { get; set; } = Array.Empty<string>();

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var ns = NormalizeNamespace(Namespace);
        foreach (var cidr in Address)
        {
            Try(() =>
            {
                Validate.InterfaceName(Name);
                var (ip, prefix) = Validate.Cidr(cidr);
                if (!IsWhatIf) Namespaces.RequireNamespace(ns);
                var normal = ip + "/" + prefix;
                if (!ShouldProcess(new LinkId(ns, Name).Target, IpCommands.AddressAdd(ns, Name, normal).ToString()))
                {
                    if (IsWhatIf) WriteObject(new NetAddress(ns, Name, ip.ToString(), prefix, ip.AddressFamily, "global"));
                    return;
                }
                WriteObject(Addresses.AddAddress(ns, Name, normal));
            });
        }
    }
}
