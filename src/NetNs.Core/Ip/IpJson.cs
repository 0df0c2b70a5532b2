using System.Net.Sockets;
using System.Text.Json;
using NetNs.Core.Models;

namespace NetNs.Core.Ip;

/// <summary>One interface as parsed from <c>ip -j -d link show</c>, before peers are resolved.</summary>
public sealed record RawLink(int IfIndex, string Name, string Kind, IReadOnlyList<string> Flags, string OperState,
    string? MacAddress, int Mtu, int? LinkIndex, int? LinkNetnsId, string? Master, string? Alias, string? LinkName);

/// <summary>Parsers for the JSON output of <c>ip -j</c>.</summary>
public static class IpJson
{
    private static JsonElement Root(string json)
    {
        using var doc = JsonDocument.Parse(string.IsNullOrWhiteSpace(json) ? "[]" : json);
        return doc.RootElement.Clone();
    }

    private static string? Str(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static int? Int(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : null;

    /// <summary>Parses <c>ip -j -d link show</c>.</summary>
    public static List<RawLink> ParseLinks(string json)
    {
        var list = new List<RawLink>();
        foreach (var e in Root(json).EnumerateArray())
        {
            var flags = e.TryGetProperty("flags", out var f) && f.ValueKind == JsonValueKind.Array
                ? f.EnumerateArray().Select(x => x.GetString() ?? "").ToList()
                : new List<string>();
            var kind = "device";
            if (e.TryGetProperty("linkinfo", out var li) && li.TryGetProperty("info_kind", out var ik) && ik.GetString() is { } k) kind = k;
            else if (Str(e, "link_type") == "loopback") kind = "loopback";
            else if (Str(e, "link_type") == "none") kind = "none";
            var mac = Str(e, "address");
            list.Add(new RawLink(
                Int(e, "ifindex") ?? 0,
                Str(e, "ifname") ?? "",
                kind,
                flags,
                Str(e, "operstate") ?? "UNKNOWN",
                mac,
                Int(e, "mtu") ?? 0,
                Int(e, "link_index"),
                Int(e, "link_netnsid"),
                Str(e, "master"),
                Str(e, "ifalias"),
                Str(e, "link")));
        }
        return list;
    }

    /// <summary>Parses <c>ip -j netns list-id</c> into nsid → name (unnamed ids map to null).</summary>
    public static Dictionary<int, string?> ParseNetnsIds(string json)
    {
        var map = new Dictionary<int, string?>();
        foreach (var e in Root(json).EnumerateArray())
        {
            if (Int(e, "nsid") is { } id) map[id] = Str(e, "name");
        }
        return map;
    }

    /// <summary>Parses <c>ip -j address show</c> into addresses of the namespace.</summary>
    public static List<NetAddress> ParseAddresses(string json, string @namespace)
    {
        var list = new List<NetAddress>();
        foreach (var e in Root(json).EnumerateArray())
        {
            var ifname = Str(e, "ifname") ?? "";
            if (!e.TryGetProperty("addr_info", out var infos) || infos.ValueKind != JsonValueKind.Array) continue;
            foreach (var a in infos.EnumerateArray())
            {
                var family = Str(a, "family") == "inet6" ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
                var local = Str(a, "local");
                if (local is null) continue;
                var dynamic = a.TryGetProperty("dynamic", out var d) && d.ValueKind == JsonValueKind.True;
                list.Add(new NetAddress(@namespace, ifname, local, Int(a, "prefixlen") ?? 0, family, Str(a, "scope") ?? "global", dynamic));
            }
        }
        return list;
    }
}
