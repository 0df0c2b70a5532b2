using System.Management.Automation;
using NetNs.Core.Errors;
using NetNs.Core.Models;

namespace NetNs.Commands.Namespaces;

/// <summary>
/// <para type="synopsis">Lists network namespaces with their netns id, the pids running inside and whether they forward (route) IPv4 and IPv6.</para>
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
        if (!Try(() => all = Ip.GetNamespaces())) return;
        var forwarding = Core.Native.NamespaceSysctl.Forwarding(all.Select(n => n.Name));
        all = all.Select(n => n.WithForwarding(forwarding[n.Name].IPv4, forwarding[n.Name].IPv6)).ToList();
        if (Name is null || Name.Length == 0)
        {
            WriteObject(all, enumerateCollection: true);
            return;
        }
        foreach (var n in Name)
        {
            if (!Try(() => Core.Validation.Validate.NamespacePattern(n, "Name"))) continue;
            var pattern = new WildcardPattern(n, WildcardOptions.None);
            var matches = all.Where(x => pattern.IsMatch(x.Name)).ToList();
            if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(n))
                WriteNetNsError("NamespaceNotFound", NetNsErrorCategory.ObjectNotFound, $"Namespace '{n}' does not exist.", n);
            WriteObject(matches, enumerateCollection: true);
        }
    }
}
