using NetNs.Core.Context;
using NetNs.Core.Models;
using NetNs.Core.Process;

namespace NetNs.Core.Ip;

/// <summary>Pings from inside a namespace: <c>ip netns exec NS ping</c>, the real program, through the context's runner.</summary>
internal sealed class Pinger : KernelOps
{
    /// <summary>Creates the operation over <paramref name="context"/>.</summary>
    public Pinger(NetNsContext context) : base(context) { }

    /// <summary>Pings <paramref name="target"/>. Never throws for an unreachable target: the result says so.</summary>
    public PingResult Ping(string @namespace, string target, int count, double timeoutSeconds, double intervalSeconds)
    {
        RequireNamespace(@namespace);
        var r = Context.Runner.Run(IpCommands.Ping(@namespace, target, count, timeoutSeconds, intervalSeconds), Context.Cancellation);
        return PingParser.Parse(@namespace, target, count, r.StandardOutput, r.StandardError);
    }
}
