using NetNs.Core.Errors;

namespace NetNs.Core.Ovs;

/// <summary>The errors of the Open vSwitch operations: the fatal unreachable and timeout errors, and the stable not-found errors.</summary>
internal static class OvsErrors
{
    private const string Fix = "Start the Open vSwitch daemons with '" + OvsConnection.OvsCtl + " start' (as root), or point NetNs at another instance with 'Set-OvsConnection -Database unix:/path/to/db.sock'.";

    /// <summary>The fatal <c>OvsUnreachable</c> (ConnectionError): the database cannot be reached (<paramref name="reason"/>).</summary>
    public static NetNsException Unreachable(OvsConnection connection, string reason) =>
        new("OvsUnreachable", NetNsErrorCategory.ConnectionError,
            $"Cannot reach the Open vSwitch database at {connection.EffectiveDatabase} ({reason}). {Fix}", connection.EffectiveDatabase) { IsFatal = true };

    /// <summary>The fatal <c>OvsTimeout</c> (OperationTimeout): the database or ovs-vswitchd did not answer within the timeout.</summary>
    public static NetNsException Timeout(OvsConnection connection, string command) =>
        new("OvsTimeout", NetNsErrorCategory.OperationTimeout,
            $"Open vSwitch at {connection.EffectiveDatabase} did not answer within {connection.TimeoutSeconds} seconds (is ovs-vswitchd running? a change may have been stored but not applied). {Fix} (command: {command})",
            connection.EffectiveDatabase) { IsFatal = true };

    /// <summary><c>OvsQueryFailed</c> (InvalidResult): the database answered a read with an error, or broke off.</summary>
    public static NetNsException QueryFailed(OvsConnection connection, string command, Exception inner) =>
        new("OvsQueryFailed", NetNsErrorCategory.InvalidResult,
            $"Cannot read the Open vSwitch database at {connection.EffectiveDatabase}: {inner.Message} (command: {command})", connection.EffectiveDatabase, inner);

    /// <summary>A change whose exchange broke off after it was sent: <paramref name="errorId"/> (ConnectionError); it may have been stored.</summary>
    public static NetNsException BrokeOff(OvsConnection connection, string errorId, string command, object target, Exception inner) =>
        new(errorId, NetNsErrorCategory.ConnectionError,
            $"The Open vSwitch database at {connection.EffectiveDatabase} broke off the exchange ({inner.Message}) while NetNs ran the equivalent of '{command}'; the change may have been stored.", target, inner);

    /// <summary><c>BridgeNotFound</c> (ObjectNotFound).</summary>
    public static NetNsException BridgeNotFound(OvsConnection connection, string name, string parameter = "Bridge") =>
        new("BridgeNotFound", NetNsErrorCategory.ObjectNotFound,
            $"Open vSwitch bridge '{name}' (-{parameter}) does not exist in {connection.EffectiveDatabase}. List bridges with Get-OvsBridge.", name);

    /// <summary><c>PortNotFound</c> (ObjectNotFound), on any bridge or on <paramref name="bridge"/>.</summary>
    public static NetNsException PortNotFound(OvsConnection connection, string name, string? bridge = null) =>
        new("PortNotFound", NetNsErrorCategory.ObjectNotFound,
            bridge is null
                ? $"No Open vSwitch bridge in {connection.EffectiveDatabase} has a port '{name}'. List ports with Get-OvsPort."
                : $"Bridge '{bridge}' has no port '{name}'. List ports with Get-OvsPort -Bridge {bridge}.", name);

    /// <summary><c>BridgeDatapathFailed</c> (ResourceUnavailable): ovs-vswitchd could not set up the bridge (no OpenFlow port on its own interface); it was removed again.</summary>
    public static NetNsException DatapathFailed(string bridge, string datapathType, string? interfaceError) =>
        new("BridgeDatapathFailed", NetNsErrorCategory.ResourceUnavailable,
            $"ovs-vswitchd could not set up bridge '{bridge}' (datapath type {datapathType}); the bridge was removed again." +
            (interfaceError is null ? "" : $" Error detected while setting up '{bridge}': {interfaceError}.") + OvsDatapath.FailureHint(datapathType), bridge);

    /// <summary><c>ConnectPortFailed</c> (the category of the device error): ovs-vswitchd could not open the devices of <paramref name="failed"/> (ofport -1).</summary>
    public static NetNsException PortsFailed(IReadOnlyList<OvsInterfaceRow> failed, string what, string undone) =>
        new("ConnectPortFailed", KernelErrors.Classify(failed[0].Error ?? ""),
            $"Cannot add {what}: {string.Join("; ", failed.Select(f => $"Error detected while setting up '{f.Name}': {f.Error ?? "ofport -1"}"))}. {undone}; see the ovs-vswitchd log.", failed[0].Name);

    /// <summary>An OVSDB refusal of a change, as <paramref name="errorId"/> (InvalidOperation).</summary>
    public static NetNsException Refused(string errorId, string what, OvsDbRefusal refusal, object target) =>
        new(errorId, NetNsErrorCategory.InvalidOperation, $"Cannot {what}: OVSDB refused the transaction ({refusal.Text}).", target);
}
