using System.Globalization;
using System.Text;
using System.Text.Json;
using YamlDotNet.Serialization;

namespace NetNs.Core.Lab;

/// <summary>
/// Writes a <see cref="LabDefinition"/> as a .psd1 data file, JSON or YAML, deterministically (same definition,
/// same bytes), leaving out empty and default values. <see cref="LabDefinitionReader"/> reads every format back.
/// </summary>
public static class LabDefinitionWriter
{
    /// <summary>The definition as an ordered tree of dictionaries, lists and scalars.</summary>
    public static Dictionary<string, object?> ToTree(LabDefinition d)
    {
        var top = new Dictionary<string, object?> { ["Name"] = d.Name };
        if (d.Bridges.Count > 0)
            top["Bridges"] = d.Bridges.Select(b => new Dictionary<string, object?> { ["Name"] = b.Name, ["DatapathType"] = b.DatapathType.ToString() }).ToList<object?>();
        if (d.Namespaces.Count > 0)
            top["Namespaces"] = d.Namespaces.Select(n =>
            {
                if (!n.Forwarding && !n.Nat && n.Routes.Count == 0) return (object?)n.Name;
                var m = new Dictionary<string, object?> { ["Name"] = n.Name };
                if (n.Forwarding) m["Forwarding"] = true;
                if (n.Nat) m["Nat"] = true;
                if (n.Routes.Count > 0)
                    m["Routes"] = n.Routes.Select(r =>
                    {
                        var rm = new Dictionary<string, object?> { ["Destination"] = r.Destination };
                        if (r.Gateway is not null) rm["Gateway"] = r.Gateway;
                        if (r.Interface is not null) rm["Interface"] = r.Interface;
                        if (r.Metric is not null) rm["Metric"] = r.Metric;
                        return (object?)rm;
                    }).ToList();
                return m;
            }).ToList();
        if (d.Links.Count > 0)
            top["Links"] = d.Links.Select(l =>
            {
                var m = new Dictionary<string, object?> { ["Namespace"] = l.Namespace, ["Name"] = l.Name };
                if (l.Addresses.Count > 0) m["Address"] = l.Addresses.Count == 1 ? l.Addresses[0] : l.Addresses.ToList<object?>();
                if (l.Bridge is not null) m["Bridge"] = l.Bridge;
                if (l.PeerNamespace is not null) m["PeerNamespace"] = l.PeerNamespace;
                m["PeerName"] = l.PeerName;
                if (l.PeerAddresses.Count > 0) m["PeerAddress"] = l.PeerAddresses.Count == 1 ? l.PeerAddresses[0] : l.PeerAddresses.ToList<object?>();
                if (l.Mtu is not null) m["Mtu"] = l.Mtu;
                if (l.Tag is not null) m["Tag"] = l.Tag;
                if (l.Trunk.Count > 0) m["Trunk"] = l.Trunk.Select(t => (object?)t).ToList();
                if (l.LinkLocal) m["LinkLocal"] = true;
                return (object?)m;
            }).ToList();
        if (d.Dhcp.Count > 0)
            top["Dhcp"] = d.Dhcp.Select(s =>
            {
                var m = new Dictionary<string, object?>
                {
                    ["Namespace"] = s.Namespace, ["Interface"] = s.Interface, ["RangeStart"] = s.RangeStart, ["RangeEnd"] = s.RangeEnd, ["LeaseTime"] = s.LeaseTimeSeconds,
                };
                if (s.Router is not null) m["Router"] = s.Router;
                if (s.DnsServers.Count > 0) m["DnsServer"] = s.DnsServers.Select(x => (object?)x).ToList();
                return (object?)m;
            }).ToList();
        return top;
    }

    /// <summary>Indented JSON.</summary>
    public static string ToJson(LabDefinition d) =>
        JsonSerializer.Serialize(ToTree(d), new JsonSerializerOptions { WriteIndented = true }) + "\n";

    /// <summary>YAML (through YamlDotNet).</summary>
    public static string ToYaml(LabDefinition d) => new SerializerBuilder().Build().Serialize(ToTree(d));

    /// <summary>A PowerShell data file (.psd1) readable by Import-PowerShellDataFile.</summary>
    public static string ToPsd1(LabDefinition d)
    {
        var sb = new StringBuilder();
        sb.Append("# NetNs lab definition. Build it with: New-NetLab -Definition <this file>\n");
        WriteMap(sb, ToTree(d), 0, multiLine: true);
        sb.Append('\n');
        return sb.ToString();
    }

    /// <summary>Writes a definition file, its format chosen by the extension (.psd1, .json, .yaml, .yml).</summary>
    public static void ToFile(LabDefinition d, string path)
    {
        var text = Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".json" => ToJson(d),
            ".yaml" or ".yml" => ToYaml(d),
            ".psd1" => ToPsd1(d),
            var e => throw LabDefinitionReader.Invalid(path, $"unknown definition file type '{e}': use .psd1, .json, .yaml or .yml."),
        };
        File.WriteAllText(path, text, new UTF8Encoding(false));
    }

    private static void WriteMap(StringBuilder sb, Dictionary<string, object?> m, int indent, bool multiLine)
    {
        if (!multiLine)
        {
            sb.Append("@{ ");
            sb.Append(string.Join("; ", m.Select(kv => kv.Key + " = " + Inline(kv.Value))));
            sb.Append(" }");
            return;
        }
        var pad = new string(' ', indent + 4);
        var width = m.Keys.Max(k => k.Length);
        sb.Append("@{\n");
        foreach (var (k, v) in m)
        {
            sb.Append(pad).Append(k.PadRight(width)).Append(" = ");
            if (v is List<object?> list && list.Count > 0)
            {
                sb.Append("@(\n");
                foreach (var item in list) sb.Append(pad).Append("    ").Append(Inline(item)).Append('\n');
                sb.Append(pad).Append(")\n");
            }
            else sb.Append(Inline(v)).Append('\n');
        }
        sb.Append(new string(' ', indent)).Append('}');
    }

    private static string Inline(object? v) => v switch
    {
        null => "$null",
        string s => "'" + s.Replace("'", "''") + "'",
        int i => i.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "$true" : "$false",
        Dictionary<string, object?> m => InlineMap(m),
        List<object?> l => "@(" + string.Join(", ", l.Select(Inline)) + ")",
        _ => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "$null",
    };

    private static string InlineMap(Dictionary<string, object?> m)
    {
        var sb = new StringBuilder();
        WriteMap(sb, m, 0, multiLine: false);
        return sb.ToString();
    }
}
