using System.Management.Automation;
using NetNs.Core.Errors;
using NetNs.Core.Ip;
using NetNs.Core.Models;
using NetNs.Core.Validation;

namespace NetNs.Commands.Namespaces;

/// <summary>
/// <para type="synopsis">Creates network namespaces (ip netns add).</para>
/// <para type="description">Does what 'ip netns add' does, in process: /run/netns made a shared mount point (the first time a bind
/// mount of itself, under a lock so parallel callers never stack two), unshare(2) on a thread and a bind mount; and gives the namespace a netns id (rtnetlink). Emits one NetNamespace per name created. Errors: InvalidNamespaceName (InvalidArgument),
/// NamespaceExists (ResourceExists), NotRoot (PermissionDenied, terminating).</para>
/// </summary>
[Cmdlet(VerbsCommon.New, "NetNamespace", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(NetNamespace))]
public sealed class NewNetNamespaceCommand : NetNsCmdlet
{
    /// <summary>Names of the namespaces to create (files under /run/netns).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = Array.Empty<string>();

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        foreach (var name in Name)
        {
            Try(() =>
            {
                Validate.NamespaceName(name);
                if (Namespaces.Exists(name))
                    throw new NetNsException("NamespaceExists", NetNsErrorCategory.ResourceExists, $"Namespace '{name}' already exists.", name);
                if (!ShouldProcess(name, IpCommands.NetnsAdd(name).ToString()))
                {
                    if (IsWhatIf) WriteObject(new NetNamespace(name, null, Array.Empty<int>(), exists: false));
                    return;
                }
                WriteObject(Namespaces.CreateNamespace(name));
            });
        }
    }
}
