using System.Management.Automation;
using NetNs.Core.Nat;

namespace NetNs.Commands.Nat;

/// <summary>
/// <para type="synopsis">Removes the NAT of a namespace: its link to the root namespace, its default route, NetNs's nftables rules, and the host setting NetNs changed when it was the last NAT.</para>
/// <para type="description">Errors: NatNotFound (ObjectNotFound); NftFailed.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Disable, "NetNamespaceNat", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class DisableNetNamespaceNatCommand : NetNsCmdlet
{
    /// <summary>The namespace whose NAT is removed.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public string Namespace { get; set; } = string.Empty;

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        Try(() =>
        {
            Core.Validation.Validate.NamespaceName(Namespace, "Namespace");
            var nat = new NatOps(Context).Get().FirstOrDefault(n => n.Namespace == Namespace);
            var what = nat is null ? "remove NAT" : $"ip link del dev {nat.HostInterface}; {NftBatch.Command(Namespace, NftBatch.Inner(Namespace, nat.Interface, remove: true))}; nft -f - (rewrites ip {NftBatch.Table} without {Namespace})";
            if (!ShouldProcess(Namespace, what)) return;
            new NatOps(Context).Disable(Namespace);
        });
    }
}
