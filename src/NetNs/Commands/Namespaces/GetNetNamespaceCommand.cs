using System.Management.Automation;
using NetNs.Core.Errors;
using NetNs.Core.Models;

namespace NetNs.Commands.Namespaces;

/// <summary>
/// <para type="synopsis">Lists network namespaces with their netns id and the pids running inside.</para>
/// <para type="description">Without -Name lists all. Names accept wildcards; a name without wildcards that does not exist writes
/// NamespaceNotFound (ObjectNotFound).</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "NetNamespace")]
[OutputType(typeof(NetNamespace))]
public sealed class GetNetNamespaceCommand : NetNsCmdlet
{
    /// <summary>Namespace names; wildcards allowed.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public string[]? Name { get; set; }

    /// <inheritdoc />
    protected override bool RequiresPrivileges => false;

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        List<NetNamespace> all = new();
        if (!Try(() => all = Namespaces.GetNamespaces())) return;
        WriteByName(all, Name, x => x.Name, n => new NetNsException("NamespaceNotFound", NetNsErrorCategory.ObjectNotFound, $"Namespace '{n}' does not exist.", n),
            n => Core.Validation.Validate.NamespacePattern(n, "Name"));
    }
}
