using System.Management.Automation;
using NetNs.Core.Ip;
using NetNs.Core.Models;

namespace NetNs.Commands.Exec;

/// <summary>
/// <para type="synopsis">Pings a target from inside a namespace and returns a result object, or $true/$false with -Quiet.</para>
/// <para type="description">Runs iputils 'ping -c COUNT -W TIMEOUT -i INTERVAL' through 'ip netns exec'. An unreachable target is a
/// result with Success = $false, not an error. Errors: NamespaceNotFound (ObjectNotFound).</para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "NetNamespaceConnection")]
[OutputType(typeof(PingResult), typeof(bool))]
public sealed class TestNetNamespaceConnectionCommand : NetNsCmdlet
{
    /// <summary>The namespace to ping from; "" for the root namespace.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public string Namespace { get; set; } = string.Empty;

    /// <summary>Address or host name to ping.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("Address", "ComputerName")]
    public string[] Target { get; set; } = Array.Empty<string>();

    /// <summary>Echo requests to send (1–1000).</summary>
    [Parameter]
    [ValidateRange(1, 1000)]
    public int Count { get; set; } = 3;

    /// <summary>Seconds to wait for each reply.</summary>
    [Parameter]
    [ValidateRange(0.01, 60)]
    public double TimeoutSeconds { get; set; } = 1;

    /// <summary>Seconds between echo requests.</summary>
    [Parameter]
    [ValidateRange(0.002, 60)]
    public double IntervalSeconds { get; set; } = 0.2;

    /// <summary>Return $true when any reply came back, else $false.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var ns = NormalizeNamespace(Namespace);
        foreach (var t in Target)
        {
            Try(() =>
            {
                if (string.IsNullOrWhiteSpace(t) || t.Length > 253 || t.StartsWith('-') || t.Any(char.IsControl) || t.Any(char.IsWhiteSpace))
                    throw new Core.Errors.NetNsException("InvalidTarget", Core.Errors.NetNsErrorCategory.InvalidArgument, $"Invalid -Target '{Core.Validation.Validate.Printable(t)}': expected an address or host name (at most 253 characters).", t);
                var result = new Pinger(Context).Ping(ns, t, Count, TimeoutSeconds, IntervalSeconds);
                if (Quiet) WriteObject(result.Success);
                else WriteObject(result);
            });
        }
    }
}
