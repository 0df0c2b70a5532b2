using System.Text.Json;

namespace NetNs.Core.Ovs;

/// <summary>
/// The OVSDB seam: opens JSON-RPC sessions (RFC 7047) to a database server. Schema-agnostic: every request names its
/// database (<c>Open_vSwitch</c> now; <c>OVN_Northbound</c> and <c>OVN_Southbound</c> use the same sessions). Production:
/// <see cref="OvsDbJsonRpc"/>, chosen in <see cref="Context.NetNsContext.Production"/>; unit tests pass a recording fake.
/// </summary>
internal interface IOvsDb
{
    /// <summary>
    /// Connects to <paramref name="remote"/> (<c>unix:PATH</c> or <c>tcp:HOST:PORT</c>); every wait of the session is bounded by
    /// <paramref name="timeoutSeconds"/> (from now) and by <paramref name="cancellationToken"/>.
    /// </summary>
    /// <exception cref="OvsDbUnreachableException">The remote cannot be reached; nothing was sent. The schema's client says what to do.</exception>
    IOvsDbSession Open(string remote, int timeoutSeconds, CancellationToken cancellationToken);
}

/// <summary>A database server that cannot be reached (no socket file, connection refused, no answer, an unsupported remote).</summary>
internal sealed class OvsDbUnreachableException : IOException
{
    /// <summary>Creates the exception; <paramref name="reason"/> says why, in a few words.</summary>
    public OvsDbUnreachableException(string reason) : base(reason)
    {
    }
}

/// <summary>One open JSON-RPC connection to a database server.</summary>
internal interface IOvsDbSession : IDisposable
{
    /// <summary>
    /// Runs one <c>transact</c> of <paramref name="operations"/> on <paramref name="database"/> (RFC 7047 section 4.1.3) and returns its
    /// result array: one element per operation; an element with an <c>error</c> member means the whole transaction was aborted.
    /// </summary>
    /// <exception cref="FormatException">The server answered with an error (e.g. an unknown database).</exception>
    /// <exception cref="TimeoutException">No answer before the session's deadline.</exception>
    /// <exception cref="IOException">The server closed the connection.</exception>
    JsonElement Transact(string database, IReadOnlyList<object> operations);

    /// <summary>Starts a <c>monitor</c> (RFC 7047 section 4.1.5) and returns its initial table updates; later changes come to <see cref="Update"/>.</summary>
    JsonElement Monitor(string database, string monitorId, object requests);

    /// <summary>Called with the table updates of every <c>update</c> notification of a monitor.</summary>
    Action<JsonElement>? Update { get; set; }

    /// <summary>Reads messages (answering echo, passing updates on) until <paramref name="done"/> is true.</summary>
    /// <exception cref="TimeoutException">Not done before the session's deadline.</exception>
    /// <exception cref="OperationCanceledException">Cancelled while waiting.</exception>
    void WaitUntil(Func<bool> done);
}
