namespace NetNs.Core.Models;

/// <summary>The outcome of pinging a target from inside a namespace (iputils <c>ping</c>, ICMP echo, RFC 792).</summary>
public sealed class PingResult
{
    /// <summary>Creates the object.</summary>
    public PingResult(string @namespace, string target, int sent, int received, double? minRttMs, double? avgRttMs, double? maxRttMs, string? error = null)
    {
        Namespace = @namespace;
        Target = target;
        Sent = sent;
        Received = received;
        MinRttMs = minRttMs;
        AvgRttMs = avgRttMs;
        MaxRttMs = maxRttMs;
        Error = error;
    }

    /// <summary>Namespace the ping was sent from ("" = root).</summary>
    public string Namespace { get; }

    /// <summary>The address or name pinged.</summary>
    public string Target { get; }

    /// <summary>Echo requests sent.</summary>
    public int Sent { get; }

    /// <summary>Echo replies received.</summary>
    public int Received { get; }

    /// <summary>Packet loss in percent (0–100).</summary>
    public double LossPercent => Sent == 0 ? 100 : Math.Round(100.0 * (Sent - Received) / Sent, 1);

    /// <summary>Fastest round trip in milliseconds, or null when nothing came back.</summary>
    public double? MinRttMs { get; }

    /// <summary>Mean round trip in milliseconds, or null when nothing came back.</summary>
    public double? AvgRttMs { get; }

    /// <summary>Slowest round trip in milliseconds, or null when nothing came back.</summary>
    public double? MaxRttMs { get; }

    /// <summary>What ping reported when it could not send at all (e.g. "Network is unreachable"), else null.</summary>
    public string? Error { get; }

    /// <summary>True when at least one reply came back.</summary>
    public bool Success => Received > 0;

    /// <inheritdoc />
    public override string ToString() => $"{Target}: {Received}/{Sent} replies";
}
