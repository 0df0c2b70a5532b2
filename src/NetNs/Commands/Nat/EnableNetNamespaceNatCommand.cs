using System.Management.Automation;
using NetNs.Core.Models;
using NetNs.Core.Nat;
using NetNs.Core.Validation;

namespace NetNs.Commands.Nat;

/// <summary>
/// <para type="synopsis">Lets a namespace reach what the host reaches: a link to the root namespace and source NAT (masquerade) there, in NetNs's own nftables table.</para>
/// <para type="description">Creates a veth pair to the root namespace with a /30, a default route via the host, and one nft -f - batch per
/// namespace for the table ip netns_ps_nat; turns the root's net.ipv4.ip_forward on when it is off and restores it when the last NAT
/// goes. Errors: NatExists, DefaultRouteExists, NatTableNotOwned (ResourceExists); NamespaceNotFound (ObjectNotFound); InvalidNatSubnet,
/// InvalidInterfaceName (InvalidArgument); NftFailed.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Enable, "NetNamespaceNat", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(NetNamespaceNat))]
public sealed class EnableNetNamespaceNatCommand : NetNsCmdlet
{
    /// <summary>The namespace that gets a way out.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public string Namespace { get; set; } = string.Empty;

    /// <summary>The name of the namespace's end of the NAT link.</summary>
    [Parameter]
    public string Interface { get; set; } = "nat0";

    /// <summary>The IPv4 subnet of the NAT link (/30 or shorter); the first free /30 of 100.127.0.0/16 when omitted.</summary>
    [Parameter]
    public string? Subnet { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        Try(() =>
        {
            Validate.NamespaceName(Namespace, "Namespace");
            Validate.InterfaceName(Interface, "Interface");
            var subnet = Subnet is null ? (System.Net.IPNetwork?)null : NatOps.ParseSubnet(Subnet);
            if (!IsWhatIf) Namespaces.RequireNamespace(Namespace);
            var host = NatOps.NewHostInterface();
            var plan = NatOps.Plan(Namespace, Interface, host, subnet ?? System.Net.IPNetwork.Parse("100.127.0.0/30"));
            if (!ShouldProcess(Namespace, string.Join(Environment.NewLine, plan))) return;
            WriteObject(new NatOps(Context).Enable(Namespace, Interface, subnet, host));
        });
    }
}
