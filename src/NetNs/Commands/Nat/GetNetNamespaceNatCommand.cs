using System.Management.Automation;
using NetNs.Core.Models;
using NetNs.Core.Nat;

namespace NetNs.Commands.Nat;

/// <summary>
/// <para type="synopsis">Lists the namespaces NetNs gave NAT to the outside (Enable-NetNamespaceNat).</para>
/// <para type="description">Reads NetNs's records under /run/netns-ps/nat. Errors: NatNotFound (ObjectNotFound) for a name without
/// wildcards that has no NAT.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "NetNamespaceNat")]
[OutputType(typeof(NetNamespaceNat))]
public sealed class GetNetNamespaceNatCommand : NetNsCmdlet
{
    /// <summary>Only these namespaces; wildcards allowed.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public string[]? Namespace { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        List<NetNamespaceNat> all = new();
        if (!Try(() => all = new NatOps(Context).Get())) return;
        if (Namespace is null || Namespace.Length == 0)
        {
            WriteObject(all, enumerateCollection: true);
            return;
        }
        foreach (var n in Namespace)
        {
            var p = new WildcardPattern(n);
            var m = all.Where(x => p.IsMatch(x.Namespace)).ToList();
            if (m.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(n))
                WriteNetNsError("NatNotFound", Core.Errors.NetNsErrorCategory.ObjectNotFound, $"Namespace '{n}' has no NAT set up by NetNs.", n);
            WriteObject(m, enumerateCollection: true);
        }
    }
}
