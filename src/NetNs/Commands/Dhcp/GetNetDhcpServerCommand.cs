using System.Management.Automation;
using NetNs.Core.Dhcp;
using NetNs.Core.Models;

namespace NetNs.Commands.Dhcp;

/// <summary>
/// <para type="synopsis">Gets the DHCP servers (dnsmasq) NetNs started.</para>
/// <para type="description">Reads /run/netns-ps/dhcp. A server whose dnsmasq process died is still listed, with
/// Running = $false, until Stop-NetDhcpServer removes it. Filters by -Namespace and -Interface (wildcards allowed).</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "NetDhcpServer")]
[OutputType(typeof(DhcpServer))]
public sealed class GetNetDhcpServerCommand : NetNsCmdlet
{
    /// <summary>Only servers in this namespace ("" = root namespace); wildcards allowed.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString, AllowNull]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public string? Namespace { get; set; }

    /// <summary>Only servers on this interface; wildcards allowed.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(DhcpServerInterfaceCompleter))]
    public string? Interface { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord() =>
        WriteMatching(DhcpServerManager.GetServers(), Namespace, Interface, x => x.Namespace, x => x.Interface);
}
