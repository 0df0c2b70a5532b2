using System.Management.Automation;
using NetNs.Core.Dhcp;
using NetNs.Core.Models;

namespace NetNs.Commands.Dhcp;

/// <summary>
/// <para type="synopsis">Gets the DHCP leases NetNs's clients hold (one per interface), and whether dhclient still runs.</para>
/// <para type="description">Reads /run/netns-ps/dhclient. Running and ProcessId show a client left running with
/// Request-NetDhcpClientLease -KeepRunning. Filters by -Namespace and -Interface (wildcards allowed).</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "NetDhcpClientLease")]
[OutputType(typeof(DhcpClientLease))]
public sealed class GetNetDhcpClientLeaseCommand : NetNsCmdlet
{
    /// <summary>Only leases in this namespace ("" = root namespace); wildcards allowed.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString, AllowNull]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public string? Namespace { get; set; }

    /// <summary>Only the lease of this interface; wildcards allowed.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(DhcpClientInterfaceCompleter))]
    public string? Interface { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord() =>
        WriteMatching(DhcpClientManager.GetClients(), Namespace, Interface, x => x.Namespace, x => x.Interface);
}
