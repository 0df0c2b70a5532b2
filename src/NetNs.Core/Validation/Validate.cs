using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using NetNs.Core.Errors;

namespace NetNs.Core.Validation;

/// <summary>
/// Checks names and values before anything reaches the kernel or a tool. Every check throws a
/// <see cref="NetNsException"/> of category InvalidArgument whose message names the parameter.
/// </summary>
internal static partial class Validate
{
    /// <summary>Longest interface name in bytes: IFNAMSIZ (16) minus the terminating NUL.</summary>
    public const int MaxInterfaceNameBytes = 15;

    /// <summary>Longest namespace name in bytes (a file name under /run/netns: NAME_MAX).</summary>
    public const int MaxNamespaceNameBytes = 255;

    /// <summary>Smallest MTU the kernel accepts for IPv4 (RFC 791), in bytes.</summary>
    public const int MinMtu = 68;

    /// <summary>Largest MTU, in bytes.</summary>
    public const int MaxMtu = 65535;

    /// <summary>Checks a Linux interface name: 1–15 bytes, no '/', ':', whitespace or control characters, no leading '-', not '.' or '..'.</summary>
    /// <exception cref="NetNsException">ErrorId <c>InvalidInterfaceName</c>.</exception>
    public static string InterfaceName(string? name, string parameter = "Name")
    {
        var why = InterfaceNameProblem(name);
        if (why is not null)
            throw new NetNsException("InvalidInterfaceName", NetNsErrorCategory.InvalidArgument,
                $"Invalid interface name '{Printable(name)}' for -{parameter}: {why}", name);
        return name!;
    }

    /// <summary>Returns why <paramref name="name"/> is not a valid interface name, or null when it is.</summary>
    public static string? InterfaceNameProblem(string? name)
    {
        if (string.IsNullOrEmpty(name)) return "it is empty.";
        var bytes = Encoding.UTF8.GetByteCount(name);
        if (bytes > MaxInterfaceNameBytes) return $"it is {bytes} bytes long; Linux allows at most {MaxInterfaceNameBytes} (IFNAMSIZ - 1).";
        return CommonProblem(name, allowColon: false);
    }

    /// <summary>Checks a network namespace name: a safe file name under /run/netns.</summary>
    /// <exception cref="NetNsException">ErrorId <c>InvalidNamespaceName</c>.</exception>
    public static string NamespaceName(string? name, string parameter = "Name")
    {
        var why = NamespaceNameProblem(name);
        if (why is not null)
            throw new NetNsException("InvalidNamespaceName", NetNsErrorCategory.InvalidArgument,
                $"Invalid namespace name '{Printable(name)}' for -{parameter}: {why}", name);
        return name!;
    }

    /// <summary>Returns why <paramref name="name"/> is not a valid namespace name, or null when it is.</summary>
    public static string? NamespaceNameProblem(string? name)
    {
        if (string.IsNullOrEmpty(name)) return "it is empty.";
        var bytes = Encoding.UTF8.GetByteCount(name);
        if (bytes > MaxNamespaceNameBytes) return $"it is {bytes} bytes long; at most {MaxNamespaceNameBytes} are allowed.";
        return CommonProblem(name, allowColon: true);
    }

    /// <summary>
    /// Checks a name filter that may hold wildcards (*, ?, [..]) for namespaces: no control characters, whitespace or '/',
    /// no leading '-', at most 255 bytes. A filter without wildcards must be a valid namespace name.
    /// </summary>
    /// <exception cref="NetNsException">ErrorId <c>InvalidNamespaceName</c>.</exception>
    public static string NamespacePattern(string? pattern, string parameter = "Name")
    {
        if (pattern is null || !HasWildcard(pattern)) return NamespaceName(pattern, parameter);
        var why = PatternProblem(pattern, MaxNamespaceNameBytes, allowColon: true);
        if (why is not null)
            throw new NetNsException("InvalidNamespaceName", NetNsErrorCategory.InvalidArgument,
                $"Invalid namespace name pattern '{Printable(pattern)}' for -{parameter}: {why}", pattern);
        return pattern;
    }

    /// <summary>
    /// Checks a name filter that may hold wildcards (*, ?, [..]) for interfaces, bridges and ports: no control characters,
    /// whitespace, '/' or ':', no leading '-'. A filter without wildcards must be a valid interface name (1–15 bytes).
    /// </summary>
    /// <exception cref="NetNsException">ErrorId <c>InvalidInterfaceName</c>.</exception>
    public static string InterfacePattern(string? pattern, string parameter = "Name")
    {
        if (pattern is null || !HasWildcard(pattern)) return InterfaceName(pattern, parameter);
        var why = PatternProblem(pattern, MaxNamespaceNameBytes, allowColon: false);
        if (why is not null)
            throw new NetNsException("InvalidInterfaceName", NetNsErrorCategory.InvalidArgument,
                $"Invalid interface name pattern '{Printable(pattern)}' for -{parameter}: {why}", pattern);
        return pattern;
    }

    /// <summary>
    /// Checks a program name or path handed to a tool (e.g. 'ip netns exec NS PROGRAM'): not empty, no control characters,
    /// no leading '-', at most 4095 bytes (PATH_MAX - 1).
    /// </summary>
    /// <exception cref="NetNsException">ErrorId <c>InvalidCommand</c>.</exception>
    public static string Program(string? program, string parameter = "Command")
    {
        string? why = null;
        if (string.IsNullOrEmpty(program)) why = "it is empty.";
        else if (program[0] == '-') why = "it must not start with '-'.";
        else if (program.Any(char.IsControl)) why = "it contains a control character.";
        else if (Encoding.UTF8.GetByteCount(program) > 4095) why = "it is longer than 4095 bytes (PATH_MAX).";
        if (why is not null)
            throw new NetNsException("InvalidCommand", NetNsErrorCategory.InvalidArgument,
                $"Invalid program '{Printable(program)}' for -{parameter}: {why}", program);
        return program!;
    }

    private static bool HasWildcard(string s) => s.IndexOfAny(new[] { '*', '?', '[', ']' }) >= 0;

    private static string? PatternProblem(string pattern, int maxBytes, bool allowColon)
    {
        if (pattern.Length == 0) return "it is empty.";
        var bytes = Encoding.UTF8.GetByteCount(pattern);
        if (bytes > maxBytes) return $"it is {bytes} bytes long; at most {maxBytes} are allowed.";
        if (pattern[0] == '-') return "it must not start with '-'.";
        foreach (var c in pattern)
        {
            if (char.IsControl(c)) return "it contains a control character.";
            if (char.IsWhiteSpace(c)) return "it contains whitespace.";
            if (c == '/') return "it contains '/'.";
            if (!allowColon && c == ':') return "it contains ':'.";
        }
        return null;
    }

    private static string? CommonProblem(string name, bool allowColon)
    {
        if (name == "." || name == "..") return "'.' and '..' are not names.";
        if (name[0] == '-') return "it must not start with '-'.";
        foreach (var c in name)
        {
            if (char.IsControl(c)) return "it contains a control character.";
            if (char.IsWhiteSpace(c)) return "it contains whitespace.";
            if (c == '/') return "it contains '/'.";
            if (!allowColon && c == ':') return "it contains ':'.";
            if (c == '*' || c == '?' || c == '[' || c == ']') return "it contains a wildcard character.";
        }
        return null;
    }

    /// <summary>Checks an MTU in bytes (68–65535).</summary>
    /// <exception cref="NetNsException">ErrorId <c>InvalidMtu</c>.</exception>
    public static int Mtu(int mtu, string parameter = "Mtu")
    {
        if (mtu < MinMtu || mtu > MaxMtu)
            throw new NetNsException("InvalidMtu", NetNsErrorCategory.InvalidArgument,
                $"Invalid MTU {mtu} for -{parameter}: it must be between {MinMtu} and {MaxMtu} bytes.", mtu);
        return mtu;
    }

    /// <summary>Checks an Ethernet MAC address (six hex octets separated by ':' or '-') and returns it lower-case with ':'.</summary>
    /// <exception cref="NetNsException">ErrorId <c>InvalidMacAddress</c>.</exception>
    public static string MacAddress(string? mac, string parameter = "MacAddress")
    {
        if (mac is null || !MacRegex().IsMatch(mac))
            throw new NetNsException("InvalidMacAddress", NetNsErrorCategory.InvalidArgument,
                $"Invalid MAC address '{Printable(mac)}' for -{parameter}: expected six hexadecimal octets such as 02:00:00:00:00:01.", mac);
        var normal = mac.Replace('-', ':').ToLowerInvariant();
        var first = byte.Parse(normal.AsSpan(0, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        if ((first & 1) == 1)
            throw new NetNsException("InvalidMacAddress", NetNsErrorCategory.InvalidArgument,
                $"Invalid MAC address '{mac}' for -{parameter}: it is a multicast address (lowest bit of the first octet set); an interface needs a unicast address.", mac);
        return normal;
    }

    /// <summary>Parses an IPv4 or IPv6 address in CIDR form (address/prefix).</summary>
    /// <exception cref="NetNsException">ErrorId <c>InvalidAddress</c>.</exception>
    public static (IPAddress Address, int PrefixLength) Cidr(string? cidr, string parameter = "Address")
    {
        if (TryCidr(cidr, out var ip, out var prefix, out var why)) return (ip!, prefix);
        throw new NetNsException("InvalidAddress", NetNsErrorCategory.InvalidArgument,
            $"Invalid address '{Printable(cidr)}' for -{parameter}: {why}", cidr);
    }

    /// <summary>Tries to parse a CIDR address; on failure <paramref name="problem"/> says why.</summary>
    public static bool TryCidr(string? cidr, out IPAddress? address, out int prefixLength, out string problem)
    {
        address = null; prefixLength = 0; problem = string.Empty;
        if (string.IsNullOrWhiteSpace(cidr)) { problem = "it is empty."; return false; }
        var slash = cidr.IndexOf('/');
        if (slash < 0) { problem = "expected CIDR form such as 10.0.0.1/24 or fd00::1/64 (the prefix length is missing)."; return false; }
        var host = cidr[..slash];
        var plen = cidr[(slash + 1)..];
        if (!IPAddress.TryParse(host, out var ip) || host.Contains('%') || (ip.AddressFamily == AddressFamily.InterNetwork && host.Count(c => c == '.') != 3))
        { problem = $"'{host}' is not an IPv4 or IPv6 address."; return false; }
        var max = ip.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        if (!int.TryParse(plen, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p > max)
        { problem = $"the prefix length must be a number from 0 to {max}."; return false; }
        address = ip; prefixLength = p;
        return true;
    }

    /// <summary>Parses a plain IPv4 or IPv6 address (no prefix).</summary>
    /// <exception cref="NetNsException">ErrorId <c>InvalidAddress</c>.</exception>
    public static IPAddress IpAddress(string? text, string parameter)
    {
        if (text is not null && IPAddress.TryParse(text, out var ip) && !text.Contains('%') &&
            (ip.AddressFamily != AddressFamily.InterNetwork || text.Count(c => c == '.') == 3))
            return ip;
        throw new NetNsException("InvalidAddress", NetNsErrorCategory.InvalidArgument,
            $"Invalid IP address '{Printable(text)}' for -{parameter}: expected an IPv4 or IPv6 address such as 10.0.0.2.", text);
    }

    /// <summary>Renders a value with control characters escaped, for error messages.</summary>
    public static string Printable(string? s)
    {
        if (s is null) return "(null)";
        var sb = new StringBuilder();
        foreach (var c in s)
        {
            if (char.IsControl(c)) sb.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
            else sb.Append(c);
        }
        return sb.ToString();
    }

    [GeneratedRegex(@"^[0-9A-Fa-f]{2}([:-][0-9A-Fa-f]{2}){5}\z")]
    private static partial Regex MacRegex();
}
