using System.Management.Automation;
using NetNs.Core.Ip;
using NetNs.Core.Validation;

namespace NetNs.Commands.Namespaces;

/// <summary>
/// <para type="synopsis">Removes network namespaces, with their veth pairs and DHCP servers, synchronously.</para>
/// <para type="description">Refuses while processes run inside (NamespaceInUse, ResourceUnavailable) unless -Force, which
/// stops them. When the cmdlet returns, the namespace and the peers of its veth ends are gone, and so are the Open vSwitch
/// ports (of the Set-OvsConnection instance) those peers were: one del-port transaction at the end, in process; a failure
/// there is a warning. -KeepOvsPort leaves them, as 'ip netns del' does.</para>
/// </summary>
[Cmdlet(VerbsCommon.Remove, "NetNamespace", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class RemoveNetNamespaceCommand : NetNsCmdlet
{
    private readonly List<string> _names = new();

    /// <summary>Names of the namespaces to remove; wildcards allowed.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public string[] Name { get; set; } = Array.Empty<string>();

    /// <summary>Stop the processes running inside (SIGTERM, then SIGKILL after 5 seconds) instead of refusing.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Leave the Open vSwitch ports whose veth ends go with the namespace (OVS then keeps them, with an error), as ip netns del does.</summary>
    [Parameter]
    public SwitchParameter KeepOvsPort { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        foreach (var n in Name)
        {
            if (WildcardPattern.ContainsWildcardCharacters(n))
            {
                if (!Try(() => Validate.NamespacePattern(n, "Name"))) continue;
                var p = new WildcardPattern(n);
                _names.AddRange(Context.Kernel.NamespaceNames().Where(x => p.IsMatch(x)));
            }
            else _names.Add(n);
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        const string activity = "Removing network namespaces";
        var total = _names.Distinct(StringComparer.Ordinal).Count();
        try
        {
            new NamespaceRemoval(Context)
            {
                Force = Force.IsPresent,
                KeepOvsPorts = KeepOvsPort.IsPresent,
                Confirm = ShouldProcess,
                Failed = WriteNetNsError,
                Warning = WriteWarning,
                Progress = (name, i) => { if (total > 1) ReportProgress(activity, name, i, total); },
            }.Run(_names);
        }
        catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        CompleteProgress(activity);
    }
}
