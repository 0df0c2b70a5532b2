using System.Management.Automation;
using NetNs.Core.Dhcp;
using NetNs.Core.Ip;
using NetNs.Core.Models;
using NetNs.Core.Validation;

namespace NetNs.Commands.Dhcp;

/// <summary>
/// <para type="synopsis">Stops a DHCP server NetNs started and removes its pid, lease and log files.</para>
/// <para type="description">Sends SIGTERM to the dnsmasq process (SIGKILL after 5 seconds), waits until it is gone, then
/// removes /run/netns-ps/dhcp/NS-IF/. Works for a server whose process already died. Errors: DhcpServerNotFound
/// (ObjectNotFound); InvalidInterfaceName (InvalidArgument).</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Stop, "NetDhcpServer", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(DhcpServer))]
public sealed class StopNetDhcpServerCommand : NetNsCmdlet
{
    /// <summary>The namespace of the server; omit for the root namespace.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString, AllowNull]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public string? Namespace { get; set; }

    /// <summary>The interface the server serves.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ArgumentCompleter(typeof(DhcpServerInterfaceCompleter))]
    public string Interface { get; set; } = string.Empty;

    /// <summary>Write the stopped server (Running = $false) to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    private const string Activity = "Stopping DHCP servers";
    private int _done;

    /// <inheritdoc />
    protected override void EndProcessing() => CompleteProgress(Activity);

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var ns = NormalizeNamespace(Namespace);
        ReportProgress(Activity, new LinkId(ns, Interface).Target, _done++, null);
        Try(() =>
        {
            if (ns.Length > 0) Validate.NamespaceName(ns, "Namespace");
            Validate.InterfaceName(Interface, "Interface");
            var server = DhcpServerManager.GetServer(ns, Interface);
            var action = server.Running ? $"kill -TERM {server.ProcessId}; rm -r {server.Directory}" : $"rm -r {server.Directory}";
            if (!ShouldProcess(new LinkId(ns, Interface).Target, action)) return;
            WriteVerbose(action);
            DhcpServerManager.Stop(server);
            if (PassThru)
                WriteObject(new DhcpServer(server.Namespace, server.Interface, server.RangeStart, server.RangeEnd, server.Netmask, server.LeaseTime,
                    server.Router, server.DnsServer, server.StaticLease, server.ProcessId, false, server.Directory, server.LeaseFile, server.LogFile,
                    server.PidFile, server.Started));
        });
    }
}
