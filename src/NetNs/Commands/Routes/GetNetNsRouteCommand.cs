using System.Management.Automation;
using System.Net.Sockets;
using NetNs.Core.Models;
using NetNs.Core.Routes;

namespace NetNs.Commands.Routes;

/// <summary>
/// <para type="synopsis">Lists the IPv4 and IPv6 routes of a namespace (ip route show).</para>
/// <para type="description">Reads the routing table with the RTM_GETROUTE dump of 'ip route show', in process. Errors:
/// NamespaceNotFound (ObjectNotFound); InvalidRouteDestination, InvalidInterfaceName (InvalidArgument).</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "NetNsRoute", DefaultParameterSetName = TableSet)]
[OutputType(typeof(NetNsRoute))]
public sealed class GetNetNsRouteCommand : NetNsCmdlet
{
    private const string TableSet = "Table";
    private const string AllTablesSet = "AllTables";

    /// <summary>Only routes whose destination matches ('default', 10.1.0.0/16; wildcards allowed).</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    public string? Destination { get; set; }

    /// <summary>The namespace; omit for the root namespace.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString, AllowNull]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public string? Namespace { get; set; }

    /// <summary>Only routes out of this link (wildcards allowed).</summary>
    [Parameter]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(LinkNameCompleter))]
    public string? Interface { get; set; }

    /// <summary>Only this address family.</summary>
    [Parameter]
    [ValidateSet("IPv4", "IPv6")]
    public string? Family { get; set; }

    /// <summary>The routing table to read (254 = main, the default).</summary>
    [Parameter(ParameterSetName = TableSet)]
    [ValidateRange(1, uint.MaxValue)]
    public uint? Table { get; set; }

    /// <summary>Reads every table (main, local, default and any other), as 'ip route show table all'.</summary>
    [Parameter(ParameterSetName = AllTablesSet)]
    public SwitchParameter AllTables { get; set; }

    /// <inheritdoc />
    protected override bool RequiresPrivileges => false;

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var ns = NormalizeNamespace(Namespace);
        Try(() =>
        {
            if (!string.IsNullOrEmpty(Interface)) Core.Validation.Validate.InterfacePattern(Interface, "Interface");
            AddressFamily? family = Family is null ? null : Family.Equals("IPv6", StringComparison.OrdinalIgnoreCase) ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
            var wanted = Destination is null ? null : WildcardPattern.ContainsWildcardCharacters(Destination)
                ? Destination : RouteSpec.Create(Destination, null, null, null, null, Family, requireNextHop: false).DestinationText;
            var dst = wanted is null ? null : new WildcardPattern(wanted, WildcardOptions.IgnoreCase);
            var dev = string.IsNullOrEmpty(Interface) ? null : new WildcardPattern(Interface);
            var routes = Routes.Get(ns, family, AllTables ? 0 : Table);
            WriteObject(routes.Where(r => (dst is null || dst.IsMatch(r.Destination)) && (dev is null || (r.Interface is not null && dev.IsMatch(r.Interface)))), enumerateCollection: true);
        });
    }
}
