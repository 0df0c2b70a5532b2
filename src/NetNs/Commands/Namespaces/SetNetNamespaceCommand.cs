using System.Management.Automation;
using NetNs.Core.Ip;
using NetNs.Core.Models;
using NetNs.Core.Native;
using NetNs.Core.Validation;

namespace NetNs.Commands.Namespaces;

/// <summary>
/// <para type="synopsis">Changes settings of network namespaces: turns IPv4 and IPv6 forwarding on or off, making a namespace a router.</para>
/// <para type="description">Writes the namespace's own net.ipv4.ip_forward and net.ipv6.conf.all.forwarding in process (a setns
/// thread) and reads them back. Errors: InvalidNamespaceName (InvalidArgument); NamespaceNotFound (ObjectNotFound);
/// SetSysctlFailed.</para>
/// </summary>
[Cmdlet(VerbsCommon.Set, "NetNamespace", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(NetNamespace))]
public sealed class SetNetNamespaceCommand : NetNsCmdlet
{
    /// <summary>The namespaces to change.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public string[] Name { get; set; } = Array.Empty<string>();

    /// <summary>Enabled: the namespace forwards packets between its links (a router); Disabled: it does not (a host).</summary>
    [Parameter(Mandatory = true)]
    [ValidateSet("Enabled", "Disabled")]
    public string Forwarding { get; set; } = "Enabled";

    /// <summary>Only this family; both IPv4 and IPv6 when omitted.</summary>
    [Parameter]
    [ValidateSet("IPv4", "IPv6")]
    public string? Family { get; set; }

    /// <summary>Writes the changed namespace.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var on = Forwarding.Equals("Enabled", StringComparison.OrdinalIgnoreCase);
        bool? v4 = Family is null || Family.Equals("IPv4", StringComparison.OrdinalIgnoreCase) ? on : null;
        bool? v6 = Family is null || Family.Equals("IPv6", StringComparison.OrdinalIgnoreCase) ? on : null;
        foreach (var name in Name)
        {
            Try(() =>
            {
                Validate.NamespaceName(name, "Name");
                if (!IsWhatIf) Namespaces.RequireNamespace(name, "Name");
                var lines = ForwardingOps.Writes(v4, v6).Select(w => NamespaceSysctl.WriteCommand(name, w.Key, w.Value).ToString());
                if (!ShouldProcess(name, string.Join("; ", lines))) return;
                var (r4, r6) = ForwardingOps.Set(name, v4, v6);
                if (PassThru)
                {
                    var ns = Namespaces.GetNamespaces().FirstOrDefault(n => n.Name == name) ?? new NetNamespace(name, null, Array.Empty<int>());
                    WriteObject(ns.WithForwarding(r4, r6));
                }
            });
        }
    }
}
