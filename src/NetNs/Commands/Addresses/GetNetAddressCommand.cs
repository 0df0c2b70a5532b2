using System.Management.Automation;
using NetNs.Core.Models;
using NetNs.Core.Validation;

namespace NetNs.Commands.Addresses;

/// <summary>
/// <para type="synopsis">Lists the IPv4 and IPv6 addresses of a namespace or of one link (ip address show).</para>
/// <para type="description">Errors: LinkNotFound, NamespaceNotFound (ObjectNotFound).</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "NetAddress")]
[OutputType(typeof(NetAddress))]
public sealed class GetNetAddressCommand : NetNsCmdlet
{
    /// <summary>Only addresses of this link.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(LinkNameCompleter))]
    public string? Name { get; set; }

    /// <summary>The namespace; omit for the root namespace.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString, AllowNull]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public string? Namespace { get; set; }

    /// <summary>Only this address family.</summary>
    [Parameter]
    [ValidateSet("IPv4", "IPv6")]
    public string? Family { get; set; }

    /// <inheritdoc />
    protected override bool RequiresPrivileges => false;

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var ns = NormalizeNamespace(Namespace);
        Try(() =>
        {
            if (Name is not null) Validate.InterfaceName(Name);
            var list = Addresses.GetAddresses(ns, Name);
            WriteObject(list.Where(a => Family is null || a.Family.Equals(Family, StringComparison.OrdinalIgnoreCase)), enumerateCollection: true);
        });
    }
}
