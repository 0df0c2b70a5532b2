using System.Globalization;
using System.Text.RegularExpressions;
using NetNs.Core.Models;

namespace NetNs.Core.Ip;

/// <summary>Parses the summary that iputils <c>ping -q</c> prints.</summary>
internal static partial class PingParser
{
    /// <summary>Builds a <see cref="PingResult"/> from ping's stdout and stderr.</summary>
    public static PingResult Parse(string @namespace, string target, int count, string stdout, string stderr)
    {
        int sent = count, received = 0;
        double? min = null, avg = null, max = null;
        var m = CountsRegex().Match(stdout);
        if (m.Success)
        {
            sent = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            received = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        }
        var r = RttRegex().Match(stdout);
        if (r.Success)
        {
            min = double.Parse(r.Groups[1].Value, CultureInfo.InvariantCulture);
            avg = double.Parse(r.Groups[2].Value, CultureInfo.InvariantCulture);
            max = double.Parse(r.Groups[3].Value, CultureInfo.InvariantCulture);
        }
        string? error = null;
        var err = stderr.Trim();
        if (err.Length > 0) error = err.Replace("ping: ", "", StringComparison.Ordinal);
        if (!m.Success && error is null) error = "ping printed no summary.";
        return new PingResult(@namespace, target, sent, received, min, avg, max, error);
    }

    [GeneratedRegex(@"(\d+) packets transmitted, (\d+) (?:packets )?received")]
    private static partial Regex CountsRegex();

    [GeneratedRegex(@"= ([\d.]+)/([\d.]+)/([\d.]+)/[\d.]+ ms")]
    private static partial Regex RttRegex();
}
