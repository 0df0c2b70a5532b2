using System.Management.Automation;
using NetNs.Core.Errors;
using NetNs.Core.Ip;
using NetNs.Core.Models;

namespace NetNs.Commands.Links;

/// <summary>
/// <para type="synopsis">Lists network interfaces of a namespace (ip -d link show), with veth peers resolved.</para>
/// <para type="description">Without -Namespace lists the root namespace. In the root namespace, OvsBridge names the Open vSwitch
/// bridge a link is a port of (one best-effort read of the Set-OvsConnection database, at most 2 seconds). The links are read in process (an rtnetlink dump inside the namespace). Errors: NamespaceNotFound, LinkNotFound (ObjectNotFound).</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "NetLink")]
[OutputType(typeof(NetLink))]
public sealed class GetNetLinkCommand : NetNsCmdlet
{
    /// <summary>Link names; wildcards allowed.</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(LinkNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>The namespace to list; omit or "" for the root namespace.</summary>
    [Parameter(ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString, AllowNull]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public string? Namespace { get; set; }

    /// <summary>Only links of this kind (veth, bridge, loopback, device, …); wildcards allowed.</summary>
    [Parameter]
    [SupportsWildcards]
    public string? Kind { get; set; }

    /// <inheritdoc />
    protected override bool RequiresPrivileges => false;

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var ns = NormalizeNamespace(Namespace);
        Try(() =>
        {
            foreach (var n in Name ?? Array.Empty<string>()) Core.Validation.Validate.InterfacePattern(n, "Name");
            var single = Name is { Length: 1 } && !WildcardPattern.ContainsWildcardCharacters(Name[0]) ? Name[0] : null;
            List<NetLink> links;
            if (single is not null)
            {
                links = new List<NetLink> { Links.GetLink(ns, single) };
            }
            else
            {
                links = Links.GetLinks(ns);
            }
            if (ns.Length == 0 && links.Count > 0 && Core.Ovs.OvsClient.TryGetPortBridges(Runner, Core.Ovs.OvsConnection.Current, CancellationToken) is { Count: > 0 } ports)
                links = links.Select(l => ports.TryGetValue(l.Name, out var b) ? l.WithOvsBridge(b) : l).ToList();
            var kind = Kind is null ? null : new WildcardPattern(Kind, WildcardOptions.IgnoreCase);
            WriteByName(links.Where(l => kind is null || kind.IsMatch(l.Kind)).ToList(), single is null ? Name : null, l => l.Name, n => KernelOps.LinkNotFound(new LinkId(ns, n)));
        });
    }
}
