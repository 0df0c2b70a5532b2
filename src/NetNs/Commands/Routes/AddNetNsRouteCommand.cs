using System.Management.Automation;
using NetNs.Core.Ip;
using NetNs.Core.Models;
using NetNs.Core.Routes;

namespace NetNs.Commands.Routes;

/// <summary>
/// <para type="synopsis">Adds an IPv4 or IPv6 route to a namespace's routing table (ip route add).</para>
/// <para type="description">Sends the RTM_NEWROUTE request of 'ip route add' in process through rtnetlink; -Verbose shows the ip
/// command line. Errors: InvalidRouteDestination, InvalidGateway, InvalidInterfaceName, InvalidRouteTable, NextHopRequired,
/// GatewayUnreachable (InvalidArgument); NamespaceNotFound, LinkNotFound (ObjectNotFound); RouteExists (ResourceExists);
/// AddRouteFailed.</para>
/// </summary>
[Cmdlet(VerbsCommon.Add, "NetNsRoute", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(NetNsRoute))]
public sealed class AddNetNsRouteCommand : NetNsCmdlet
{
    /// <summary>The destination: a network in CIDR form (10.1.0.0/16, fd01::/64), a host address, or 'default'.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    public string Destination { get; set; } = string.Empty;

    /// <summary>The next hop: a neighbour's address on a connected subnet.</summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("Via", "NextHop")]
    public string? Gateway { get; set; }

    /// <summary>The output link (dev).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Dev")]
    [ArgumentCompleter(typeof(LinkNameCompleter))]
    public string? Interface { get; set; }

    /// <summary>The namespace; omit for the root namespace.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString, AllowNull]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public string? Namespace { get; set; }

    /// <summary>The metric (lower wins); the kernel's default when omitted (0 for IPv4, 1024 for IPv6).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public uint? Metric { get; set; }

    /// <summary>The routing table (254 = main, the default).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public uint? Table { get; set; }

    /// <summary>The family of a 'default' route without a gateway (IPv4 when omitted).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateSet("IPv4", "IPv6")]
    public string? Family { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var ns = NormalizeNamespace(Namespace);
        Try(() =>
        {
            var route = RouteSpec.Create(Destination, Gateway, Interface, Metric, Table, Family, requireNextHop: true);
            if (!IsWhatIf) Namespaces.RequireNamespace(ns);
            if (!ShouldProcess(new LinkId(ns, route.DestinationText).Target, RouteOps.Command(ns, route, "add").ToString()))
            {
                if (IsWhatIf)
                    WriteObject(new NetNsRoute(ns, route.FamilyName, route.DestinationText, route.Gateway?.ToString(), route.Interface, route.Metric ?? 0,
                        route.Table, "boot", route.Gateway is null ? "link" : "global", "unicast", null, exists: false));
                return;
            }
            WriteObject(Routes.Add(ns, route));
        });
    }
}
