using System.Management.Automation;
using NetNs.Core.Errors;
using NetNs.Core.Ip;
using NetNs.Core.Models;
using NetNs.Core.Validation;

namespace NetNs.Commands.Links;

/// <summary>
/// <para type="synopsis">Changes links: up or down, MTU, MAC address, name (ip link set).</para>
/// <para type="description">All changes given go in one RTM_NEWLINK request per link, the one 'ip link set' sends, made in process through rtnetlink
/// (RFC 3549); -Verbose shows the ip command line. Several names (-Name a, b) get the same -Up, -Down or -Mtu; -MacAddress and -NewName take
/// one link. Errors: LinkNotFound, NamespaceNotFound (ObjectNotFound); InvalidMtu, InvalidMacAddress, InvalidInterfaceName, NothingToChange,
/// ConflictingState, OneLinkOnly (InvalidArgument); LinkExists (ResourceExists).</para>
/// </summary>
[Cmdlet(VerbsCommon.Set, "NetLink", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(NetLink))]
public sealed class SetNetLinkCommand : NetNsCmdlet
{
    /// <summary>The links to change (interface names, in -Namespace).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(LinkNameCompleter))]
    public string[] Name { get; set; } = Array.Empty<string>();

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
        foreach (var name in Name)
        {
            Try(() =>
            {
                Validate.InterfaceName(name);
                if (Up && Down)
                    throw new NetNsException("ConflictingState", NetNsErrorCategory.InvalidArgument, "-Up and -Down cannot be used together.", name);
                if (Name.Length > 1 && (MacAddress is not null || NewName is not null))
                    throw new NetNsException("OneLinkOnly", NetNsErrorCategory.InvalidArgument,
                        $"-MacAddress and -NewName change one link; -Name lists {Name.Length}. Give one name.", name);
                bool? up = Up ? true : Down ? false : null;
                if (Mtu is not null) Validate.Mtu(Mtu.Value);
                var mac = MacAddress is null ? null : Validate.MacAddress(MacAddress);
                if (NewName is not null) Validate.InterfaceName(NewName, "NewName");
                if (up is null && Mtu is null && mac is null && NewName is null)
                    throw new NetNsException("NothingToChange", NetNsErrorCategory.InvalidArgument, "Give at least one of -Up, -Down, -Mtu, -MacAddress or -NewName.", name);
                Namespaces.RequireNamespace(ns);
                var cmd = IpCommands.LinkSet(ns, name, up, Mtu, mac, NewName);
                if (!ShouldProcess(new LinkId(ns, name).Target, cmd.ToString())) return;
                Links.SetLink(ns, name, up, Mtu, mac, NewName);
                if (PassThru) WriteObject(Links.GetLink(ns, NewName ?? name));
            });
        }
    }
}
