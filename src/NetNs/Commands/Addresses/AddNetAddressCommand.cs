using System.Management.Automation;
using NetNs.Core.Ip;
using NetNs.Core.Models;
using NetNs.Core.Validation;

namespace NetNs.Commands.Addresses;

/// <summary>
/// <para type="synopsis">Adds IPv4 or IPv6 addresses in CIDR form to a link (ip address add).</para>
/// <para type="description">Sends the RTM_NEWADDR request of 'ip address add' in process through rtnetlink (RFC 3549); -Verbose shows the
/// ip command line. An IPv6 address is usable when the cmdlet returns: it waits for duplicate address detection, unless
/// -SkipDad. Errors: InvalidAddress (InvalidArgument); LinkNotFound, NamespaceNotFound (ObjectNotFound); AddressExists,
/// DuplicateAddress (ResourceExists); DadTimeout (OperationTimeout).</para>
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

    /// <summary>
    /// Adds IPv6 addresses without duplicate address detection (IFA_F_NODAD, 'nodad'): usable at once, but a duplicate on
    /// the link goes unnoticed. Without it the cmdlet waits until DAD has finished (about 1-2 s per address).
    /// </summary>
    [Parameter]
    public SwitchParameter SkipDad { get; set; }

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
                if (!ShouldProcess(new LinkId(ns, Name).Target, IpCommands.AddressAdd(ns, Name, normal, SkipDad && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6).ToString()))
                {
                    if (IsWhatIf) WriteObject(new NetAddress(ns, Name, ip.ToString(), prefix, ip.AddressFamily, "global"));
                    return;
                }
                WriteObject(Addresses.AddAddress(ns, Name, normal, SkipDad));
            });
        }
    }
}
