using System.Management.Automation;
using NetNs.Core.Errors;
using NetNs.Core.Ip;
using NetNs.Core.Models;
using NetNs.Core.Validation;

namespace NetNs.Commands.Links;

/// <summary>
/// <para type="synopsis">Changes a link: up or down, MTU, MAC address, name (ip link set).</para>
/// <para type="description">All changes given go in one RTM_NEWLINK request, the one 'ip link set' sends, made in process through rtnetlink
/// (RFC 3549); -Verbose shows the ip command line. Errors: LinkNotFound, NamespaceNotFound
/// (ObjectNotFound); InvalidMtu, InvalidMacAddress, InvalidInterfaceName, NothingToChange (InvalidArgument); LinkExists (ResourceExists).</para>
/// </summary>
[Cmdlet(VerbsCommon.Set, "NetLink", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(NetLink))]
public sealed class SetNetLinkCommand : NetNsCmdlet
{
    /// <summary>The link to change.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(LinkNameCompleter))]
    public string Name { get; set; } = string.Empty;

    /// <summary>The namespace of the link; omit for the root namespace.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString, AllowNull]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public string? Namespace { get; set; }

    /// <summary>Set the link administratively up.</summary>
    [Parameter]
    public SwitchParameter Up { get; set; }

    /// <summary>Set the link administratively down.</summary>
    [Parameter]
    public SwitchParameter Down { get; set; }

    /// <summary>New MTU in bytes (68–65535).</summary>
    [Parameter]
    public int? Mtu { get; set; }

    /// <summary>New MAC address, e.g. 02:00:00:00:00:01.</summary>
    [Parameter]
    public string? MacAddress { get; set; }

    /// <summary>New interface name (1–15 bytes).</summary>
    [Parameter]
    public string? NewName { get; set; }

    /// <summary>Emit the changed link.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var ns = NormalizeNamespace(Namespace);
        Try(() =>
        {
            Validate.InterfaceName(Name);
            if (Up && Down)
                throw new NetNsException("ConflictingState", NetNsErrorCategory.InvalidArgument, "-Up and -Down cannot be used together.", Name);
            bool? up = Up ? true : Down ? false : null;
            if (Mtu is not null) Validate.Mtu(Mtu.Value);
            var mac = MacAddress is null ? null : Validate.MacAddress(MacAddress);
            if (NewName is not null) Validate.InterfaceName(NewName, "NewName");
            if (up is null && Mtu is null && mac is null && NewName is null)
                throw new NetNsException("NothingToChange", NetNsErrorCategory.InvalidArgument, "Give at least one of -Up, -Down, -Mtu, -MacAddress or -NewName.", Name);
            IpClient.RequireNamespace(ns);
            var cmd = IpCommands.LinkSet(ns, Name, up, Mtu, mac, NewName);
            if (!ShouldProcess(IpClient.Target(ns, Name), cmd.ToString())) return;
            Ip.SetLink(ns, Name, up, Mtu, mac, NewName);
            if (PassThru) WriteObject(Ip.GetLink(ns, NewName ?? Name));
        });
    }
}
