using NetNs.Core.Ovs;
using System.Collections;
using System.Globalization;
using System.Text.Json;
using NetNs.Core.Errors;
using YamlDotNet.Serialization;

namespace NetNs.Core.Lab;

/// <summary>
/// Reads lab definitions. Every format is first turned into a tree of dictionaries, lists and scalars
/// (a PowerShell hashtable already is one), which one reader maps onto <see cref="LabDefinition"/>.
/// Keys are case-insensitive; an unknown key or a wrong type is an <c>InvalidLabDefinition</c> error
/// (InvalidArgument) naming the path of the value, e.g. <c>Links[2].Tag</c>.
/// </summary>
public static class LabDefinitionReader
{
    private static readonly string[] TopKeys = { "Name", "Bridges", "Namespaces", "Links", "Dhcp" };
    private static readonly string[] BridgeKeys = { "Name", "DatapathType" };
    private static readonly string[] NamespaceKeys = { "Name", "Forwarding", "Routes", "Nat" };
    private static readonly string[] RouteKeys = { "Destination", "Gateway", "Interface", "Metric" };
    private static readonly string[] LinkKeys = { "Namespace", "Name", "PeerName", "PeerNamespace", "Bridge", "Address", "PeerAddress", "Mtu", "Tag", "Trunk", "LinkLocal" };
    private static readonly string[] DhcpKeys = { "Namespace", "Interface", "RangeStart", "RangeEnd", "LeaseTime", "Router", "DnsServer" };

    /// <summary>Reads a definition file by its extension: .json, .yaml/.yml (a .psd1 is read by the cmdlet layer).</summary>
    public static LabDefinition FromFile(string path, string? name = null)
    {
        var text = File.ReadAllText(path);
        var ext = Path.GetExtension(path).ToLowerInvariant();
        return ext switch
        {
            ".json" => FromJson(text, name),
            ".yaml" or ".yml" => FromYaml(text, name),
            _ => throw Invalid(path, $"unknown definition file type '{ext}': use .psd1, .json, .yaml or .yml."),
        };
    }

    /// <summary>Reads a JSON definition.</summary>
    public static LabDefinition FromJson(string json, string? name = null)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip }); }
        catch (JsonException ex) { throw Invalid("(json)", "the JSON is malformed: " + ex.Message); }
        using (doc) return FromTree(FromJsonElement(doc.RootElement), name);
    }

    /// <summary>Reads a YAML definition (through YamlDotNet).</summary>
    public static LabDefinition FromYaml(string yaml, string? name = null)
    {
        object? tree;
        try { tree = new DeserializerBuilder().Build().Deserialize<object>(yaml); }
        catch (YamlDotNet.Core.YamlException ex) { throw Invalid("(yaml)", "the YAML is malformed: " + ex.Message); }
        return FromTree(tree, name);
    }

    private static object? FromJsonElement(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => e.EnumerateObject().ToDictionary(p => p.Name, p => FromJsonElement(p.Value), StringComparer.OrdinalIgnoreCase),
        JsonValueKind.Array => e.EnumerateArray().Select(FromJsonElement).ToList(),
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number => e.TryGetInt64(out var l) ? l : e.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    /// <summary>
    /// Reads a definition from a tree: dictionaries (any <see cref="IDictionary"/>), lists (any non-string
    /// <see cref="IEnumerable"/>) and scalars. <paramref name="name"/>, when given, overrides the tree's Name.
    /// </summary>
    public static LabDefinition FromTree(object? tree, string? name = null)
    {
        var top = AsMap(tree, "(definition)");
        CheckKeys(top, TopKeys, "");
        var labName = name ?? Str(Get(top, "Name"), "Name") ?? throw Invalid("Name", "the lab needs a Name.");
        var bridges = List(Get(top, "Bridges"), "Bridges").Select((o, i) =>
        {
            var p = $"Bridges[{i}]";
            if (o is string s) return new LabBridge(s);
            var m = AsMap(o, p);
            CheckKeys(m, BridgeKeys, p);
            var dt = Str(Get(m, "DatapathType"), p + ".DatapathType");
            var type = OvsDatapathType.Auto;
            if (dt is not null && !Enum.TryParse(dt, true, out type))
                throw Invalid(p + ".DatapathType", $"'{dt}' is not one of Auto, System, Netdev.");
            return new LabBridge(Req(m, "Name", p), type);
        }).ToList();
        var namespaces = List(Get(top, "Namespaces"), "Namespaces").Select((o, i) =>
        {
            var p = $"Namespaces[{i}]";
            if (o is string s) return new LabNamespace(s);
            var m = AsMap(o, p);
            CheckKeys(m, NamespaceKeys, p);
            var routes = List(Get(m, "Routes"), p + ".Routes").Select((r, j) =>
            {
                var rp = $"{p}.Routes[{j}]";
                var rm = AsMap(r, rp);
                CheckKeys(rm, RouteKeys, rp);
                return new LabRoute(Req(rm, "Destination", rp), Str(Get(rm, "Gateway"), rp + ".Gateway"), Str(Get(rm, "Interface"), rp + ".Interface"), Int(Get(rm, "Metric"), rp + ".Metric"));
            }).ToList();
            return new LabNamespace(Req(m, "Name", p), Bool(Get(m, "Forwarding"), p + ".Forwarding"), routes, Bool(Get(m, "Nat"), p + ".Nat"));
        }).ToList();
        var links = List(Get(top, "Links"), "Links").Select((o, i) =>
        {
            var p = $"Links[{i}]";
            var m = AsMap(o, p);
            CheckKeys(m, LinkKeys, p);
            return new LabLink(Req(m, "Namespace", p), Req(m, "Name", p), Req(m, "PeerName", p),
                Str(Get(m, "PeerNamespace"), p + ".PeerNamespace"), Str(Get(m, "Bridge"), p + ".Bridge"),
                Strings(Get(m, "Address"), p + ".Address"), Strings(Get(m, "PeerAddress"), p + ".PeerAddress"),
                Int(Get(m, "Mtu"), p + ".Mtu"), Int(Get(m, "Tag"), p + ".Tag"),
                List(Get(m, "Trunk"), p + ".Trunk").Select((t, j) => Int(t, $"{p}.Trunk[{j}]") ?? 0), Bool(Get(m, "LinkLocal"), p + ".LinkLocal"));
        }).ToList();
        var dhcp = List(Get(top, "Dhcp"), "Dhcp").Select((o, i) =>
        {
            var p = $"Dhcp[{i}]";
            var m = AsMap(o, p);
            CheckKeys(m, DhcpKeys, p);
            return new LabDhcpServer(Req(m, "Namespace", p), Req(m, "Interface", p), Req(m, "RangeStart", p), Req(m, "RangeEnd", p),
                Int(Get(m, "LeaseTime"), p + ".LeaseTime") ?? 3600, Str(Get(m, "Router"), p + ".Router"), Strings(Get(m, "DnsServer"), p + ".DnsServer"));
        }).ToList();
        return new LabDefinition(labName, bridges, namespaces, links, dhcp);
    }

    internal static NetNsException Invalid(string path, string why) =>
        new("InvalidLabDefinition", NetNsErrorCategory.InvalidArgument, $"Invalid lab definition at {path}: {why}", path);

    private static IDictionary AsMap(object? o, string path) =>
        o as IDictionary ?? throw Invalid(path, $"expected a table of keys and values, got {Describe(o)}.");

    private static string Describe(object? o) => o is null ? "nothing" : o is string s ? $"'{s}'" : o.GetType().Name;

    private static object? Get(IDictionary m, string key)
    {
        foreach (DictionaryEntry e in m)
            if (string.Equals(e.Key?.ToString(), key, StringComparison.OrdinalIgnoreCase)) return e.Value;
        return null;
    }

    private static void CheckKeys(IDictionary m, string[] known, string path)
    {
        foreach (DictionaryEntry e in m)
        {
            var k = e.Key?.ToString() ?? "";
            if (!known.Contains(k, StringComparer.OrdinalIgnoreCase))
                throw Invalid(path.Length == 0 ? k : path + "." + k, $"unknown key '{k}'; expected one of {string.Join(", ", known)}.");
        }
    }

    private static string Req(IDictionary m, string key, string path) =>
        Str(Get(m, key), path + "." + key) ?? throw Invalid(path + "." + key, $"'{key}' is required.");

    private static string? Str(object? o, string path) => o switch
    {
        null => null,
        string s => s,
        IDictionary or (IEnumerable and not string) => throw Invalid(path, $"expected a single value, got {Describe(o)}."),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => o.ToString(),
    };

    private static int? Int(object? o, string path)
    {
        var s = Str(o, path);
        if (s is null) return null;
        if (int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)) return v;
        throw Invalid(path, $"'{s}' is not a whole number.");
    }

    private static bool Bool(object? o, string path) => o switch
    {
        null => false,
        bool b => b,
        string s when bool.TryParse(s, out var b) => b,
        _ => throw Invalid(path, $"expected $true or $false, got {Describe(o)}."),
    };

    private static List<object?> List(object? o, string path) => o switch
    {
        null => new List<object?>(),
        string or IDictionary => new List<object?> { o },
        IEnumerable e => e.Cast<object?>().ToList(),
        _ => new List<object?> { o },
    };

    private static List<string> Strings(object? o, string path) =>
        List(o, path).Select((x, i) => Str(x, $"{path}[{i}]") ?? throw Invalid($"{path}[{i}]", "empty value.")).ToList();
}
