using System.Management.Automation;
using NetNs.Core.Dns;
using NetNs.Core.Ip;

namespace NetNs.Commands.Dns;

/// <summary>
/// <para type="synopsis">Gets the DNS servers of a namespace from /etc/netns/NAME/resolv.conf.</para>
/// <para type="description">Writes nothing for a namespace without its own resolv.conf (it then uses the host's).
/// Errors: NamespaceNotFound (ObjectNotFound).</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "NetNamespaceDns")]
[OutputType(typeof(NamespaceDnsConfig))]
public sealed class GetNetNamespaceDnsCommand : NetNsCmdlet
{
    /// <summary>The namespace.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    [Alias("Name")]
    public string Namespace { get; set; } = string.Empty;

    /// <inheritdoc />
    protected override bool RequiresPrivileges => false;

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        Try(() =>
        {
            Namespaces.RequireNamespace(Namespace);
            if (NamespaceDns.Read(Namespace) is { } cfg) WriteObject(cfg);
        });
    }
}
