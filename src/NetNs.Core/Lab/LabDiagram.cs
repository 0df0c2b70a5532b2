using System.Globalization;
using System.Text;
using NetNs.Core.Errors;
using NetNs.Core.Process;

namespace NetNs.Core.Lab;

/// <summary>
/// Draws a lab: Graphviz DOT and Mermaid text, and SVG/PNG through Graphviz <c>dot</c> (Debian <c>graphviz</c>).
/// Namespaces are boxes labelled with their addresses (routers, which forward, hexagons), bridges are ellipses with their
/// datapath and subnets, each veth link is an edge labelled with both interface names, a namespace with NAT has a dashed
/// edge to the host's networks; access VLANs colour the edge (one colour per tag, untagged grey, trunks
/// dashed). ErrorId <c>DiagramRenderFailed</c> (InvalidResult) when <c>dot</c> fails.
/// </summary>
public static class LabDiagram
{
    private static readonly string[] Palette = { "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22" };

    /// <summary>Colour of an edge: one palette colour per VLAN tag in the lab, grey when untagged.</summary>
    public static string ColorOf(LabDefinition d, int? tag)
    {
        if (tag is null) return "#555555";
        var tags = d.Links.Where(l => l.Tag is not null).Select(l => l.Tag!.Value).Distinct().Order().ToList();
        return Palette[tags.IndexOf(tag.Value) % Palette.Length];
    }

    private static List<string> AddressLines(LabDefinition d, string ns)
    {
        var lines = new List<string>();
        foreach (var l in d.Links)
        {
            if (l.Namespace == ns) lines.AddRange(l.Addresses.Select(a => l.Name + " " + a));
            if (l.PeerNamespace == ns) lines.AddRange(l.PeerAddresses.Select(a => l.PeerName + " " + a));
        }
        return lines;
    }

    /// <summary>The subnets (network/prefix) of the addresses on the ends of <paramref name="links"/>, in order of appearance.</summary>
    private static List<string> Subnets(IEnumerable<LabLink> links) =>
        links.SelectMany(l => l.Addresses.Concat(l.PeerAddresses))
            .Select(a => Validation.Validate.TryCidr(a, out var ip, out var p, out _) ? Routes.RouteSpec.Network(ip!, p) + "/" + p.ToString(CultureInfo.InvariantCulture) : null)
            .OfType<string>().Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The first line of a namespace's label: its name, and "router" when it forwards.</summary>
    private static string Title(LabNamespace n) => n.Forwarding ? n.Name + " (router)" : n.Name;

    /// <summary>The route lines of a namespace's label (only when routes are asked for).</summary>
    private static IEnumerable<string> RouteLines(LabNamespace n, bool routes) =>
        routes ? n.Routes.Select(r => "→ " + r.Destination + (r.Gateway is null ? "" : " via " + r.Gateway) + (r.Interface is null ? "" : " dev " + r.Interface)) : Enumerable.Empty<string>();

    private static string EdgeText(LabLink l, string sep)
    {
        var s = l.Name + " : " + l.PeerName;
        if (l.PeerNamespace is not null) foreach (var net in Subnets(new[] { l })) s += sep + net;
        if (l.Tag is { } t) s += sep + "VLAN " + t.ToString(CultureInfo.InvariantCulture);
        if (l.Trunk.Count > 0) s += sep + "trunk " + string.Join(",", l.Trunk);
        if (l.Mtu is { } m) s += sep + "mtu " + m.ToString(CultureInfo.InvariantCulture);
        return s;
    }

    private static string Dq(string s) => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    /// <summary>
    /// Graphviz DOT (an undirected graph). Routers (namespaces that forward) are hexagons; each bridge shows the subnets of
    /// its ports, each namespace-to-namespace link its subnet; with <paramref name="routes"/> each namespace lists its routes.
    /// </summary>
    public static string ToDot(LabDefinition d, bool routes = false)
    {
        var sb = new StringBuilder();
        sb.Append("graph ").Append(Dq(d.Name)).Append(" {\n");
        sb.Append("  graph [rankdir=LR, labelloc=t, fontname=\"Helvetica\", label=").Append(Dq("NetNs lab " + d.Name)).Append("];\n");
        sb.Append("  node [fontname=\"Helvetica\", fontsize=11];\n");
        sb.Append("  edge [fontname=\"Helvetica\", fontsize=9];\n");
        foreach (var n in d.Namespaces)
        {
            var label = string.Join("\\n", new[] { Title(n) }.Concat(AddressLines(d, n.Name)).Concat(RouteLines(n, routes)).Select(x => x.Replace("\\", "\\\\").Replace("\"", "\\\"")));
            var shape = n.Forwarding ? "shape=hexagon, style=filled, fillcolor=\"#fde9c9\"" : "shape=box, style=\"rounded,filled\", fillcolor=\"#f4f4f4\"";
            sb.Append("  ").Append(Dq("ns:" + n.Name)).Append(" [").Append(shape).Append(", label=\"").Append(label).Append("\"];\n");
        }
        foreach (var b in d.Bridges)
            sb.Append("  ").Append(Dq("br:" + b.Name)).Append(" [shape=ellipse, style=filled, fillcolor=\"#dde7f7\", label=\"")
              .Append(b.Name.Replace("\"", "\\\"")).Append("\\n(").Append(b.DatapathType.ToString().ToLowerInvariant()).Append(')')
              .Append(string.Concat(Subnets(d.Links.Where(l => l.Bridge == b.Name)).Select(x => "\\n" + x))).Append("\"];\n");
        foreach (var l in d.Links)
        {
            var to = l.Bridge is not null ? "br:" + l.Bridge : "ns:" + l.PeerNamespace;
            var color = ColorOf(d, l.Tag);
            sb.Append("  ").Append(Dq("ns:" + l.Namespace)).Append(" -- ").Append(Dq(to))
              .Append(" [label=").Append(Dq(EdgeText(l, "\n")).Replace("\n", "\\n")).Append(", color=\"").Append(color).Append("\", fontcolor=\"").Append(color).Append('"')
              .Append(l.Trunk.Count > 0 ? ", style=dashed" : "").Append(l.Tag is not null ? ", penwidth=2" : "").Append("];\n");
        }
        if (d.Namespaces.Any(n => n.Nat))
        {
            sb.Append("  \"nat:host\" [shape=ellipse, style=dashed, label=\"host networks\\n(NAT)\"];\n");
            foreach (var n in d.Namespaces.Where(n => n.Nat))
                sb.Append("  ").Append(Dq("ns:" + n.Name)).Append(" -- \"nat:host\" [label=\"").Append(Nat.NatOps.LabInterface).Append(" : masquerade\", style=dashed];\n");
        }
        sb.Append("}\n");
        return sb.ToString();
    }

    private static string Mq(string s) => s.Replace("\"", "#quot;");

    /// <summary>Mermaid flowchart text; routers are hexagons, bridges show their subnets; routes listed with <paramref name="routes"/>.</summary>
    public static string ToMermaid(LabDefinition d, bool routes = false)
    {
        var sb = new StringBuilder();
        sb.Append("---\ntitle: NetNs lab ").Append(d.Name).Append("\n---\nflowchart LR\n");
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < d.Namespaces.Count; i++)
        {
            var n = d.Namespaces[i].Name;
            ids["ns:" + n] = "n" + i.ToString(CultureInfo.InvariantCulture);
            var label = string.Join("<br/>", new[] { Title(d.Namespaces[i]) }.Concat(AddressLines(d, n)).Concat(RouteLines(d.Namespaces[i], routes)).Select(Mq));
            var (open, close) = d.Namespaces[i].Forwarding ? ("{{", "}}") : ("[", "]");
            sb.Append("  ").Append(ids["ns:" + n]).Append(open).Append('"').Append(label).Append('"').Append(close).Append('\n');
        }
        for (var i = 0; i < d.Bridges.Count; i++)
        {
            var b = d.Bridges[i];
            ids["br:" + b.Name] = "b" + i.ToString(CultureInfo.InvariantCulture);
            sb.Append("  ").Append(ids["br:" + b.Name]).Append("([\"").Append(Mq(b.Name)).Append("<br/>(").Append(b.DatapathType.ToString().ToLowerInvariant()).Append(')')
              .Append(string.Concat(Subnets(d.Links.Where(l => l.Bridge == b.Name)).Select(x => "<br/>" + x))).Append("\"])\n");
        }
        var styles = new StringBuilder();
        for (var i = 0; i < d.Links.Count; i++)
        {
            var l = d.Links[i];
            var to = l.Bridge is not null ? "br:" + l.Bridge : "ns:" + l.PeerNamespace;
            if (!ids.TryGetValue("ns:" + l.Namespace, out var a) || !ids.TryGetValue(to, out var b)) continue;
            sb.Append("  ").Append(a).Append(" ---|\"").Append(Mq(EdgeText(l, "<br/>"))).Append("\"| ").Append(b).Append('\n');
            styles.Append("  linkStyle ").Append(i.ToString(CultureInfo.InvariantCulture)).Append(" stroke:").Append(ColorOf(d, l.Tag))
                  .Append(",stroke-width:").Append(l.Tag is null ? "1" : "2").Append("px").Append(l.Trunk.Count > 0 ? ",stroke-dasharray:4" : "").Append('\n');
        }
        if (d.Namespaces.Any(n => n.Nat))
        {
            sb.Append("  nat((\"host networks<br/>(NAT)\"))\n");
            foreach (var n in d.Namespaces.Where(n => n.Nat))
                sb.Append("  ").Append(ids["ns:" + n.Name]).Append(" -.-|\"").Append(Nat.NatOps.LabInterface).Append(" : masquerade\"| nat\n");
        }
        sb.Append(styles);
        return sb.ToString();
    }

    /// <summary>Renders the lab through Graphviz and writes <paramref name="path"/>.</summary>
    public static void Render(IToolRunner runner, LabDefinition d, string format, string path, CancellationToken ct, bool routes = false)
    {
        var tmp = path + ".tmp-" + Environment.ProcessId;
        var cmd = new ToolCommand("dot", new[] { "-T" + format, "-o", tmp }, ToDot(d, routes));
        var r = runner.Run(cmd, ct);
        if (!r.Succeeded)
        {
            File.Delete(tmp);
            throw r.ToException("DiagramRenderFailed", d.Name, $"Graphviz could not draw lab '{d.Name}'");
        }
        File.Move(tmp, path, overwrite: true);
    }
}
