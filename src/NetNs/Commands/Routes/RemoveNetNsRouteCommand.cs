using System.Management.Automation;
using NetNs.Core.Ip;
using NetNs.Core.Routes;

namespace NetNs.Commands.Routes;

/// <summary>
/// <para type="synopsis">Removes a route from a namespace's routing table (ip route del).</para>
/// <para type="description">Sends the RTM_DELROUTE request of 'ip route del' in process; the kernel removes the first route of the
/// table that matches what is given. Errors: InvalidRouteDestination, InvalidGateway, InvalidInterfaceName, InvalidRouteTable
/// (InvalidArgument); RouteNotFound, LinkNotFound, NamespaceNotFound (ObjectNotFound); RemoveRouteFailed.</para>
/// </summary>
[Cmdlet(VerbsCommon.Remove, "NetNsRoute", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class RemoveNetNsRouteCommand : NetNsCmdlet
{
    /// <summary>The destination of the route: a network in CIDR form, a host address, or 'default'.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    public string Destination { get; set; } = string.Empty;

    /// <summary>Only the route via this gateway.</summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("Via", "NextHop")]
    public string? Gateway { get; set; }

    /// <summary>Only the route out of this link.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Dev")]
    [ArgumentCompleter(typeof(LinkNameCompleter))]
    public string? Interface { get; set; }

    /// <summary>The namespace; omit for the root namespace.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString, AllowNull]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public string? Namespace { get; set; }

    /// <summary>Only the route with this metric.</summary>
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
            var route = RouteSpec.Create(Destination, Gateway, Interface, Metric, Table, Family, requireNextHop: false);
            Namespaces.RequireNamespace(ns);
            if (!ShouldProcess(new LinkId(ns, route.DestinationText).Target, RouteOps.Command(ns, route, "del").ToString())) return;
            Routes.Remove(ns, route);
        });
    }
}
