using System.Management.Automation;
using NetNs.Core.Dhcp;
using NetNs.Core.Errors;
using NetNs.Core.Validation;

namespace NetNs.Commands.Dhcp;

/// <summary>
/// <para type="synopsis">Gets the log of a DHCP server NetNs started (dnsmasq --log-dhcp), as lines of text.</para>
/// <para type="description">Shows each DHCPDISCOVER, DHCPOFFER, DHCPREQUEST, DHCPACK with the client's MAC address and
/// the options sent. -Tail limits the output to the last N lines. Errors: DhcpServerNotFound (ObjectNotFound).</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "NetDhcpServerLog")]
[OutputType(typeof(string))]
public sealed class GetNetDhcpServerLogCommand : NetNsCmdlet
{
    /// <summary>The namespace of the server ("" = root namespace); omitted: the one namespace whose server runs on -Interface.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString, AllowNull]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public string? Namespace { get; set; }

    /// <summary>The interface of the server.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(DhcpServerInterfaceCompleter))]
    public string Interface { get; set; } = string.Empty;

    /// <summary>Only the last N lines.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? Tail { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        Try(() =>
        {
            if (!string.IsNullOrEmpty(Namespace)) Validate.NamespaceName(Namespace, "Namespace");
            Validate.InterfaceName(Interface, "Interface");
            var servers = DhcpServerManager.FindServers(NamespaceFilter, Interface);
            if (servers.Count > 1)
                throw new NetNsException("AmbiguousDhcpServer", NetNsErrorCategory.InvalidArgument,
                    $"DHCP servers run on interface '{Interface}' in {servers.Count} namespaces ({string.Join(", ", servers.Select(s => Core.Ip.LinkId.Describe(s.Namespace)))}): give -Namespace.", Interface);
            var lines = DhcpServerManager.GetLog(servers[0]);
            WriteObject(Tail is { } n ? lines.Skip(Math.Max(0, lines.Length - n)) : lines, enumerateCollection: true);
        });
    }
}
