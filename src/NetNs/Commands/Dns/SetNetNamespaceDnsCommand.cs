using System.Management.Automation;
using NetNs.Core.Dns;
using NetNs.Core.Ip;
using NetNs.Core.Validation;

namespace NetNs.Commands.Dns;

/// <summary>
/// <para type="synopsis">Sets the DNS servers of a namespace by writing /etc/netns/NAME/resolv.conf (resolv.conf(5)).</para>
/// <para type="description">Commands run with Invoke-InNamespace (like 'ip netns exec') then see this file as /etc/resolv.conf.
/// The host's /etc/resolv.conf is never touched. Errors: NamespaceNotFound (ObjectNotFound); InvalidAddress,
/// InvalidSearchDomain (InvalidArgument); SymlinkRefused (PermissionDenied).</para>
/// </summary>
[Cmdlet(VerbsCommon.Set, "NetNamespaceDns", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(NamespaceDnsConfig))]
public sealed class SetNetNamespaceDnsCommand : NetNsCmdlet
{
    /// <summary>The namespace.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    [Alias("Name")]
    public string Namespace { get; set; } = string.Empty;

    /// <summary>Name server addresses (IPv4 or IPv6), in order of preference.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    public string[] ServerAddress { get; set; } = Array.Empty<string>();

    /// <summary>Search domains.</summary>
    [Parameter]
    public string[] Search { get; set; } = Array.Empty<string>();

    /// <summary>Emit the written configuration.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        Try(() =>
        {
            Validate.NamespaceName(Namespace, "Namespace");
            var servers = ServerAddress.Select(s => Validate.IpAddress(s, "ServerAddress")).ToList();
            var search = Search.Select(NamespaceDns.Domain).ToList();
            Namespaces.RequireNamespace(Namespace);
            if (!ShouldProcess(NamespaceDns.PathOf(Namespace), "Write " + string.Join(", ", servers))) return;
            var written = NamespaceDns.Write(Namespace, servers, search);
            if (PassThru) WriteObject(written);
        });
    }
}
