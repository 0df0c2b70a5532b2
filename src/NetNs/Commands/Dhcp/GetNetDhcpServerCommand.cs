using System.Management.Automation;
using NetNs.Core.Validation;
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
    protected override void ProcessRecord()
    {
        if (!string.IsNullOrEmpty(Namespace) && !Try(() => Validate.NamespacePattern(Namespace, "Namespace"))) return;
        if (!string.IsNullOrEmpty(Interface) && !Try(() => Validate.InterfacePattern(Interface, "Interface"))) return;
        var ns = MyInvocation.BoundParameters.ContainsKey(nameof(Namespace)) ? new WildcardPattern(NormalizeNamespace(Namespace)) : null;
        var ifp = string.IsNullOrEmpty(Interface) ? null : new WildcardPattern(Interface);
        foreach (var s in DhcpServerManager.GetServers())
        {
            if (ns is not null && !ns.IsMatch(s.Namespace)) continue;
            if (ifp is not null && !ifp.IsMatch(s.Interface)) continue;
            WriteObject(s);
        }
    }
}
