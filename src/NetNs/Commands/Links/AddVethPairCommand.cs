using System.Management.Automation;
using NetNs.Core.Ip;
using NetNs.Core.Models;

namespace NetNs.Commands.Links;

/// <summary>
/// <para type="synopsis">Creates a veth pair with each end directly in its namespace, in one kernel call.</para>
/// <para type="description">Sends, in process through rtnetlink (RFC 3549), the RTM_NEWLINK request of 'ip link add name NAME [mtu M] [netns NS]
/// type veth peer name PEER [mtu M] [netns PEERNS]' (each end's namespace as IFLA_NET_NS_FD); -Verbose shows that command line.
/// Piping a NetNamespace places -Name inside it; -PeerName stays in the root namespace unless -PeerNamespace is given.
/// Errors: InvalidInterfaceName, InvalidMtu, InvalidPeerName (InvalidArgument); NamespaceNotFound (ObjectNotFound);
/// LinkExists (ResourceExists). Nothing is created when any check fails.</para>
/// </summary>
[Cmdlet(VerbsCommon.Add, "VethPair", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(VethPair))]
public sealed class AddVethPairCommand : NetNsCmdlet
{
    /// <summary>Name of the first end (1–15 bytes).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    public string Name { get; set; } = string.Empty;

    /// <summary>Name of the second end (1–15 bytes).</summary>
    [Parameter(Mandatory = true, Position = 1)]
    public string PeerName { get; set; } = string.Empty;

    /// <summary>Namespace of the first end; omit for the root namespace. Bound from a piped NetNamespace.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString, AllowNull]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public string? Namespace { get; set; }

    /// <summary>Namespace of the second end; omit for the root namespace.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString, AllowNull]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public string? PeerNamespace { get; set; }

    /// <summary>MTU of both ends in bytes (68–65535); default: the kernel's 1500.</summary>
    [Parameter]
    public int? Mtu { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var ns = NormalizeNamespace(Namespace);
        var peerNs = NormalizeNamespace(PeerNamespace);
        Try(() =>
        {
            var whatIf = IsWhatIf;
            if (whatIf)
            {
                Core.Validation.Validate.InterfaceName(Name, "Name");
                Core.Validation.Validate.InterfaceName(PeerName, "PeerName");
                if (Mtu is not null) Core.Validation.Validate.Mtu(Mtu.Value);
            }
            else Links.ValidateVeth(Name, ns, PeerName, peerNs, Mtu);
            var cmd = IpCommands.VethAdd(Name, ns, PeerName, peerNs, Mtu);
            if (!ShouldProcess(new LinkId(ns, Name).Target + " <-> " + new LinkId(peerNs, PeerName).Target, cmd.ToString()))
            {
                if (whatIf) WriteObject(new VethPair(Name, ns, PeerName, peerNs, Mtu, exists: false));
                return;
            }
            WriteObject(Links.AddVeth(Name, ns, PeerName, peerNs, Mtu));
        });
    }
}
