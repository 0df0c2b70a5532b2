using System.Net.Sockets;
using NetNs.Core.Context;
using NetNs.Core.Errors;
using NetNs.Core.Ip;
using NetNs.Core.Kernel;
using NetNs.Core.Models;
using NetNs.Core.Netlink;
using NetNs.Core.Process;

namespace NetNs.Core.Routes;

/// <summary>
/// Routes of a namespace ("" = root) through the kernel seam, in process (rtnetlink in the namespace): the RTM_NEWROUTE,
/// RTM_DELROUTE and RTM_GETROUTE requests <c>ip route add|del|show</c> send; the equivalent <c>ip</c> command line is
/// announced. Kernel refusals are mapped to ErrorIds: <c>RouteExists</c> (ResourceExists), <c>RouteNotFound</c>,
/// <c>LinkNotFound</c>, <c>NamespaceNotFound</c> (ObjectNotFound), <c>GatewayUnreachable</c> (InvalidArgument: no
/// connected subnet holds the gateway), else <c>AddRouteFailed</c>, <c>RemoveRouteFailed</c>, <c>GetRouteFailed</c> with
/// the kernel's text.
/// </summary>
internal sealed class RouteOps : KernelOps
{
    /// <summary>Creates the operations over <paramref name="context"/>.</summary>
    public RouteOps(NetNsContext context) : base(context) { }

    /// <summary><c>ip [-n NS] [-6] route VERB …</c> for a route.</summary>
    public static ToolCommand Command(string @namespace, RouteSpec route, string verb)
    {
        var a = new List<string>();
        if (!string.IsNullOrEmpty(@namespace)) { a.Add("-n"); a.Add(@namespace); }
        a.AddRange(route.IpArguments(verb));
        return new ToolCommand(IpCommands.Ip, a);
    }

    /// <summary><c>ip -j [-n NS] [-4|-6] route show table T|all</c>: the dump <see cref="Get"/> reads.</summary>
    public static ToolCommand ShowCommand(string @namespace, AddressFamily? family, uint? table)
    {
        var a = new List<string> { "-j" };
        if (!string.IsNullOrEmpty(@namespace)) { a.Add("-n"); a.Add(@namespace); }
        if (family is not null) a.Add(family == AddressFamily.InterNetworkV6 ? "-6" : "-4");
        a.AddRange(new[] { "route", "show", "table", table is null ? "main" : table == 0 ? "all" : table.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        return new ToolCommand(IpCommands.Ip, a);
    }

    /// <summary>
    /// The routes of a namespace: of table main when <paramref name="table"/> is null, of every table when it is 0, else
    /// of that table; both families unless <paramref name="family"/> names one. Route cache entries are left out, as
    /// <c>ip route show</c> does.
    /// </summary>
    /// <exception cref="NetNsException"><c>NamespaceNotFound</c>, <c>GetRouteFailed</c>.</exception>
    public List<NetNsRoute> Get(string @namespace, AddressFamily? family = null, uint? table = null)
    {
        RequireNamespace(@namespace);
        var show = ShowCommand(@namespace, family, table);
        Announce(show);
        try
        {
            using var h = Kernel.At(@namespace);
            return Read(h, family, table);
        }
        catch (RtnlException ex)
        {
            throw KernelErrors.Refused(ex, show, "GetRouteFailed", @namespace, $"Cannot list routes in {LinkId.Describe(@namespace)}");
        }
    }

    private static List<NetNsRoute> Read(IKernelHandle h, AddressFamily? family, uint? table)
    {
        var routes = h.Routes(family)
            .Where(r => (r.Flags & RtnlMessages.RouteFlagCloned) == 0 && (table is null ? r.Table == RtnlMessages.TableMain : table == 0 || r.Table == table))
            .ToList();
        if (routes.Count == 0) return new List<NetNsRoute>();
        var names = h.Links().ToDictionary(l => l.Index, l => l.Name);
        return routes.Select(r => ToModel(h.Namespace, r, names)).ToList();
    }

    private static NetNsRoute ToModel(string @namespace, KernelRoute r, Dictionary<int, string> names)
    {
        var family = r.Family == 10 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
        return new NetNsRoute(@namespace, RouteSpec.FamilyText(family), RouteSpec.FormatDestination(r.Destination, r.DestinationLength),
            r.Gateway?.ToString(), r.OutputIndex is { } i ? names.GetValueOrDefault(i) : null, r.Priority ?? 0, r.Table,
            RtnlMessages.ProtocolName(r.Protocol), RtnlMessages.ScopeName(r.Scope), RtnlMessages.RouteTypeName(r.Type), r.PreferredSource?.ToString());
    }

    /// <summary>Adds a route (create, exclusive) and returns it as the kernel then reports it (with the metric and interface it chose).</summary>
    /// <exception cref="NetNsException"><c>NamespaceNotFound</c>, <c>LinkNotFound</c>, <c>RouteExists</c>, <c>GatewayUnreachable</c>, <c>AddRouteFailed</c>.</exception>
    public NetNsRoute Add(string @namespace, RouteSpec route)
    {
        RequireNamespace(@namespace);
        var cmd = Command(@namespace, route, "add");
        Announce(cmd);
        try
        {
            using var h = Kernel.At(@namespace);
            h.AddRoute(route);
            Context.Cancellation.ThrowIfCancellationRequested();
            return Read(h, route.Family, route.Table).FirstOrDefault(r => Matches(r, route))
                ?? new NetNsRoute(@namespace, route.FamilyName, route.DestinationText, route.Gateway?.ToString(), route.Interface, route.Metric ?? 0,
                    route.Table, "boot", route.Gateway is null ? "link" : "global", "unicast", null);
        }
        catch (RtnlException ex)
        {
            throw Refused(ex, cmd, @namespace, route, "AddRouteFailed", $"Cannot add the route to {route.DestinationText} in {LinkId.Describe(@namespace)}");
        }
    }

    /// <summary>Deletes the first route of the table that matches what <paramref name="route"/> names (as <c>ip route del</c>).</summary>
    /// <exception cref="NetNsException"><c>NamespaceNotFound</c>, <c>LinkNotFound</c>, <c>RouteNotFound</c>, <c>RemoveRouteFailed</c>.</exception>
    public void Remove(string @namespace, RouteSpec route)
    {
        RequireNamespace(@namespace);
        var cmd = Command(@namespace, route, "del");
        Announce(cmd);
        try
        {
            using var h = Kernel.At(@namespace);
            h.DeleteRoute(route);
        }
        catch (RtnlException ex)
        {
            throw Refused(ex, cmd, @namespace, route, "RemoveRouteFailed", $"Cannot remove the route to {route.DestinationText} from {LinkId.Describe(@namespace)}");
        }
    }

    /// <summary>True when the kernel's route is the one <paramref name="route"/> names (the metric and interface only when given).</summary>
    private static bool Matches(NetNsRoute r, RouteSpec route) =>
        r.Destination == route.DestinationText
        && r.Gateway == route.Gateway?.ToString()
        && (route.Interface is null || r.Interface == route.Interface)
        && (route.Metric is null || r.Metric == route.Metric);

    /// <summary>Maps a refused route request to its ErrorId.</summary>
    internal static NetNsException Refused(RtnlException ex, ToolCommand equivalent, string @namespace, RouteSpec route, string fallbackId, string action)
    {
        var target = new LinkId(@namespace, route.DestinationText).Target;
        var gatewayRefused = route.Gateway is not null && (ex.Errno is 101 or 113
            || (ex.Errno == 22 && ex.ExtAck is { } ack && ack.Contains("gateway", StringComparison.OrdinalIgnoreCase)));
        if (gatewayRefused)
            return new NetNsException("GatewayUnreachable", NetNsErrorCategory.InvalidArgument,
                $"{action}: the gateway {route.Gateway} is not on a subnet connected to {(route.Interface is null ? "any link" : "link '" + route.Interface + "'")} of {LinkId.Describe(@namespace)} ({ex.Message}). Add an address in the gateway's subnet first (Add-NetAddress), or route to the gateway itself.", target, ex);
        return ex.Errno switch
        {
            17 => new NetNsException("RouteExists", NetNsErrorCategory.ResourceExists, $"{action}: {LinkId.Describe(@namespace)} already has this route (table {route.Table}). Remove it first, or give a different -Metric.", target, ex),
            3 or 2 => new NetNsException("RouteNotFound", NetNsErrorCategory.ObjectNotFound, $"{action}: there is no such route. List the routes with Get-NetNsRoute{(string.IsNullOrEmpty(@namespace) ? "" : " -Namespace " + @namespace)}.", target, ex),
            19 => LinkNotFound(new LinkId(@namespace, route.Interface ?? string.Empty)),
            _ => new NetNsException(fallbackId, ex.Category, $"{action}: {ex.Message} (in process, as: {equivalent})", target, ex),
        };
    }
}
