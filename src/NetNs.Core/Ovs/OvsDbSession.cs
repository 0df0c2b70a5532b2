using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace NetNs.Core.Ovs;

/// <summary>
/// One OVSDB JSON-RPC connection (RFC 7047) to <c>ovsdb-server</c> over its unix socket: requests go out as JSON texts,
/// replies are matched by id, <c>echo</c> requests from the server are answered, and <c>update</c> notifications of a
/// <c>monitor</c> are handed to a callback. Used where NetNs would otherwise start <c>ovs-vsctl</c> just to read or to
/// make one small change; every wait is bounded by the connection timeout (seconds) and by the cancellation token.
/// </summary>
public sealed class OvsDbSession : IDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[65536];
    private MemoryStream _pending = new();
    private readonly DateTime _deadline;
    private readonly CancellationToken _ct;
    private int _nextId;

    private OvsDbSession(Socket socket, int timeoutSeconds, CancellationToken cancellationToken)
    {
        _socket = socket;
        _deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        _ct = cancellationToken;
    }

    /// <summary>The database name of Open vSwitch's schema.</summary>
    public const string Database = "Open_vSwitch";

    /// <summary>Called with the <c>params</c> of every <c>update</c> notification (RFC 7047 section 4.1.6).</summary>
    public Action<JsonElement>? Update { get; set; }

    /// <summary>
    /// Connects to a <c>unix:PATH</c> database; null when <paramref name="database"/> is not a unix socket, the socket file
    /// does not exist or refuses the connection (the caller then runs <c>ovs-vsctl</c>, which says why). Nothing has been sent then.
    /// </summary>
    public static OvsDbSession? TryOpen(string database, int timeoutSeconds, CancellationToken cancellationToken = default)
    {
        if (!database.StartsWith("unix:", StringComparison.Ordinal)) return null;
        var path = database.Substring(5);
        if (!File.Exists(path)) return null;
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.SendTimeout = timeoutSeconds * 1000;
            socket.Connect(new UnixDomainSocketEndPoint(path));
            return new OvsDbSession(socket, timeoutSeconds, cancellationToken);
        }
        catch (SocketException)
        {
            socket.Dispose();
            return null;
        }
    }

    /// <summary>
    /// True for the exceptions an exchange with ovsdb-server can end in: the socket failing or closing, no answer in time,
    /// or a reply that is not what was asked for.
    /// </summary>
    public static bool IsExchangeFailure(Exception ex) =>
        ex is SocketException or IOException or TimeoutException or FormatException or JsonException or KeyNotFoundException or InvalidOperationException;

    /// <summary>Sends a request and returns the whole reply object (<c>{"id":…,"result":…,"error":…}</c>), cloned.</summary>
    /// <exception cref="TimeoutException">No reply before the connection's deadline.</exception>
    /// <exception cref="IOException">The server closed the connection.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled while waiting.</exception>
    public JsonElement Call(string method, params object[] parameters)
    {
        var id = ++_nextId;
        Send(new Dictionary<string, object> { ["method"] = method, ["params"] = parameters, ["id"] = id });
        while (true)
        {
            var message = Receive();
            if (message.TryGetProperty("id", out var rid) && rid.ValueKind == JsonValueKind.Number && rid.GetInt32() == id
                && !message.TryGetProperty("method", out _))
                return message;
        }
    }

    /// <summary>
    /// Runs a <c>transact</c> of <paramref name="operations"/> on Open_vSwitch and returns its result array (one element per
    /// operation; an element with an <c>error</c> member means the transaction was aborted).
    /// </summary>
    public JsonElement Transact(IEnumerable<object> operations)
    {
        var reply = Call("transact", new object[] { Database }.Concat(operations).ToArray());
        if (reply.TryGetProperty("error", out var err) && err.ValueKind != JsonValueKind.Null)
            throw new FormatException("OVSDB error: " + err.GetRawText());
        return reply.GetProperty("result");
    }

    /// <summary>Reads messages (answering echo, passing updates on) until <paramref name="done"/> is true.</summary>
    /// <exception cref="TimeoutException">Not done before the connection's deadline.</exception>
    public void WaitUntil(Func<bool> done)
    {
        while (!done()) Receive();
    }

    private void Send(object message) => _socket.Send(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(message)));

    /// <summary>The next message that is not an echo request; update notifications are passed to <see cref="Update"/> and returned too.</summary>
    private JsonElement Receive()
    {
        while (true)
        {
            while (OvsDbReader.CompleteLength(_pending.GetBuffer().AsSpan(0, (int)_pending.Length)) is { } len)
            {
                var bytes = _pending.GetBuffer().AsSpan(0, (int)_pending.Length);
                JsonElement message;
                using (var doc = JsonDocument.Parse(bytes[..len].ToArray())) message = doc.RootElement.Clone();
                var rest = bytes[len..].ToArray();
                _pending = new MemoryStream();
                _pending.Write(rest);
                if (message.TryGetProperty("method", out var m) && m.ValueKind == JsonValueKind.String)
                {
                    switch (m.GetString())
                    {
                        case "echo":
                            // RFC 7047 4.1.11: reply with the same params, or the server drops an idle connection.
                            Send(new Dictionary<string, object?> { ["result"] = message.GetProperty("params"), ["error"] = null, ["id"] = message.GetProperty("id") });
                            continue;
                        case "update":
                            Update?.Invoke(message.GetProperty("params"));
                            break;
                    }
                }
                return message;
            }
            // Poll in short slices so that Ctrl+C (the token) and the deadline are noticed while the server is quiet.
            while (!_socket.Poll(100_000, SelectMode.SelectRead))
            {
                _ct.ThrowIfCancellationRequested();
                if (DateTime.UtcNow > _deadline) throw new TimeoutException("ovsdb-server did not answer in time.");
            }
            _ct.ThrowIfCancellationRequested();
            var n = _socket.Receive(_buffer);
            if (n <= 0) throw new IOException("ovsdb-server closed the connection.");
            _pending.Write(_buffer, 0, n);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _socket.Dispose();
}
