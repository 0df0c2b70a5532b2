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
                _names.AddRange(NetnsPids.ListNames().Where(x => p.IsMatch(x)));
            }
            else _names.Add(n);
        }
    }

    private static bool Existing(string name)
    {
        try
        {
            Validate.NamespaceName(name);
            return IpClient.NamespaceExists(name);
        }
        catch (Core.Errors.NetNsException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        var done = 0;
        var ovs = OvsSetting.Client(CancellationToken, line => Runner.CommandStarting?.Invoke(line));
        var orphaned = new List<(string Bridge, string Port)>();
        // The OVS ports of these namespaces' veth pairs, found while the pairs still exist: one read for all of them.
        var peered = KeepOvsPort ? new Dictionary<string, List<(string Bridge, string Port)>>() : ovs.PortsPeeredInto(_names.Distinct(StringComparer.Ordinal).Where(Existing).ToList());
        var progress = new ProgressRecord(1, "Removing network namespaces", "Starting");
        var sw = System.Diagnostics.Stopwatch.StartNew();
        foreach (var name in _names.Distinct(StringComparer.Ordinal))
        {
            if (sw.ElapsedMilliseconds > 1000 && _names.Count > 1)
            {
                progress.StatusDescription = $"{name} ({done + 1} of {_names.Count})";
                progress.PercentComplete = 100 * done / _names.Count;
                WriteProgress(progress);
            }
            Try(() =>
            {
                Validate.NamespaceName(name);
                IpClient.RequireNamespace(name, "Name");
                var ports = peered.GetValueOrDefault(name) ?? new List<(string Bridge, string Port)>();
                var action = IpCommands.NetnsDelete(name).ToString();
                if (ports.Count > 0 && Core.Ovs.OvsCommands.Teardown(ovs.Connection, Array.Empty<string>(), ports.Select(p => p.Port)) is { } del)
                    action += Environment.NewLine + del;
                if (!ShouldProcess(name, action)) return;
                Ip.RemoveNamespace(name, Force.IsPresent);
                orphaned.AddRange(ports);
            });
            done++;
        }
        if (orphaned.Count > 0)
        {
            try { ovs.RemoveIfExist(Array.Empty<string>(), orphaned.Select(p => p.Port).Distinct(StringComparer.Ordinal).ToList()); }
            catch (Core.Errors.NetNsException ex)
            {
                WriteWarning($"The namespaces are removed, but their Open vSwitch port(s) {string.Join(", ", orphaned.Select(p => p.Bridge + "/" + p.Port))} could not be: {ex.Message} Remove them with Disconnect-OvsPort.");
            }
        }
        if (sw.ElapsedMilliseconds > 1000 && _names.Count > 1)
        {
            progress.RecordType = ProgressRecordType.Completed;
            WriteProgress(progress);
        }
    }
}
