using System.Management.Automation;
using NetNs.Core.Dhcp;
using NetNs.Core.Models;
using NetNs.Core.Validation;

namespace NetNs.Commands.Dhcp;

/// <summary>
/// <para type="synopsis">Gets the leases a DHCP server NetNs started has handed out (its dnsmasq lease file).</para>
/// <para type="description">One object per lease: MAC address, IPv4 address, host name, client id, expiry (UTC DateTime;
/// null for an infinite lease). Without -Interface, the leases of every server (of -Namespace, when given). Pipe
/// Get-NetDhcpServer into it. Errors: DhcpServerNotFound (ObjectNotFound).</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "NetDhcpLease")]
[OutputType(typeof(DhcpLease))]
public sealed class GetNetDhcpLeaseCommand : NetNsCmdlet
{
    /// <summary>The namespace of the server ("" = root namespace); omitted: every namespace.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString, AllowNull]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public string? Namespace { get; set; }

    /// <summary>The interface of the server.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(DhcpServerInterfaceCompleter))]
    public string? Interface { get; set; }

    /// <summary>Only the lease of this MAC address.</summary>
    [Parameter]
    public string? MacAddress { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        Try(() =>
        {
            if (!string.IsNullOrEmpty(Namespace)) Validate.NamespaceName(Namespace, "Namespace");
            var mac = MacAddress is null ? null : Validate.MacAddress(MacAddress);
            IEnumerable<DhcpServer> servers;
            if (!string.IsNullOrEmpty(Interface))
            {
                Validate.InterfaceName(Interface, "Interface");
                servers = DhcpServerManager.FindServers(NamespaceFilter, Interface);
            }
            else if (MyInvocation.BoundParameters.ContainsKey(nameof(Namespace))) servers = DhcpServerManager.GetServers(NormalizeNamespace(Namespace));
            else servers = DhcpServerManager.GetServers();
            foreach (var s in servers)
            {
                foreach (var l in DhcpServerManager.GetLeases(s))
                {
                    if (mac is null || l.MacAddress == mac) WriteObject(l);
                }
            }
        });
    }
}
