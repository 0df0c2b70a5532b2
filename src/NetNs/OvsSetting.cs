using NetNs.Core.Context;
using NetNs.Core.Ovs;

namespace NetNs;

/// <summary>
/// The module-wide Open vSwitch setting of this process (Set-OvsConnection; shared by every runspace that imported the
/// module, so ForEach-Object -Parallel workers use it too), kept by the cmdlet layer and passed to the core in the context
/// (<see cref="NetNsContext.Ovs"/>). Completers read the same setting.
/// </summary>
internal static class OvsSetting
{
    private static OvsConnection _current = OvsConnection.Default;

    /// <summary>The setting in force.</summary>
    public static OvsConnection Current
    {
        get => Volatile.Read(ref _current);
        set => Volatile.Write(ref _current, value ?? throw new ArgumentNullException(nameof(value)));
    }

    /// <summary>An OVS client of the setting in force, on the production context (<paramref name="trace"/>: -Verbose lines; null shows nothing).</summary>
    public static OvsClient Client(CancellationToken cancellationToken = default, Action<string>? trace = null) =>
        new(NetNsContext.Production(Current, cancellationToken, trace));
}
