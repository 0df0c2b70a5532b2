using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace NetNs.Core.Ovs;

/// <summary>The production OVSDB seam: JSON-RPC sessions over the remote's socket (<see cref="OvsDbSession"/>).</summary>
internal sealed class OvsDbJsonRpc : IOvsDb
{
    /// <inheritdoc />
    public IOvsDbSession Open(string remote, int timeoutSeconds, CancellationToken cancellationToken) => OvsDbSession.Open(remote, timeoutSeconds, cancellationToken);
}

/// <summary>
/// One OVSDB JSON-RPC connection (RFC 7047) to a database server over a <c>unix:PATH</c> or <c>tcp:HOST:PORT</c> remote:
/// requests go out as JSON texts, replies are matched by id, <c>echo</c> requests from the server are answered, and
/// <c>update</c> notifications of a <c>monitor</c> are handed to <see cref="Update"/>. Every wait is bounded by one deadline
/// (the connection's timeout, seconds, from the moment it was opened) and by the cancellation token.
/// </summary>
internal sealed class OvsDbSession : IOvsDbSession
{
    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[65536];
    private readonly JsonTextFramer _framer = new();
    private readonly DateTime _deadline;
    private readonly CancellationToken _ct;
    private int _nextId;

    private OvsDbSession(Socket socket, DateTime deadline, CancellationToken cancellationToken)
    {
        _socket = socket;
        _deadline = deadline;
        _ct = cancellationToken;
    }

    /// <summary>Connects to <paramref name="remote"/>.</summary>
    /// <exception cref="OvsDbUnreachableException">An <c>ssl:</c> remote, no socket file, or the connection refused or timed out.</exception>
    public static OvsDbSession Open(string remote, int timeoutSeconds, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        EndPoint endpoint;
        Socket socket;
        if (remote.StartsWith("unix:", StringComparison.Ordinal))
        {
            var path = remote.Substring(5);
            if (!File.Exists(path)) throw new OvsDbUnreachableException($"no socket file {path}");
            endpoint = new UnixDomainSocketEndPoint(path);
            socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        }
        else if (remote.StartsWith("tcp:", StringComparison.Ordinal) && remote.LastIndexOf(':') is var colon and > 4
                 && int.TryParse(remote.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port))
        {
            var host = remote[4..colon].Trim('[', ']');
            endpoint = IPAddress.TryParse(host, out var ip) ? new IPEndPoint(ip, port) : new DnsEndPoint(host, port);
            socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        }
        else
        {
            throw new OvsDbUnreachableException("NetNs speaks OVSDB over unix: and tcp: remotes; an ssl: remote needs certificates NetNs does not configure");
        }
        try
        {
            socket.SendTimeout = timeoutSeconds * 1000;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(timeoutSeconds));
            socket.ConnectAsync(endpoint, timeout.Token).AsTask().GetAwaiter().GetResult();
            return new OvsDbSession(socket, deadline, cancellationToken);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            socket.Dispose();
            cancellationToken.ThrowIfCancellationRequested();
            throw new OvsDbUnreachableException(ex is SocketException se ? se.Message : "no answer in time");
        }
    }

    /// <inheritdoc />
    public Action<JsonElement>? Update { get; set; }

    /// <summary>Sends a request and returns the whole reply object (<c>{"id":…,"result":…,"error":…}</c>), cloned.</summary>
    private JsonElement Call(string method, object[] parameters)
    {
        var id = ++_nextId;
        Send(new Dictionary<string, object> { ["method"] = method, ["params"] = parameters, ["id"] = id });
        while (true)
        {
            var message = Receive();
            if (message.TryGetProperty("id", out var rid) && rid.ValueKind == JsonValueKind.Number && rid.GetInt32() == id
                && !message.TryGetProperty("method", out _))
            {
                if (message.TryGetProperty("error", out var err) && err.ValueKind != JsonValueKind.Null)
                    throw new FormatException("OVSDB error: " + err.GetRawText());
                return message.GetProperty("result");
            }
        }
    }

    /// <inheritdoc />
    public JsonElement Transact(string database, IReadOnlyList<object> operations) =>
        Call("transact", new object[] { database }.Concat(operations).ToArray());

    /// <inheritdoc />
    public JsonElement Monitor(string database, string monitorId, object requests) => Call("monitor", new[] { database, monitorId, requests });

    /// <inheritdoc />
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
            while (_framer.Next() is { } text)
            {
                JsonElement message;
                using (var doc = JsonDocument.Parse(text)) message = doc.RootElement.Clone();
                if (message.TryGetProperty("method", out var m) && m.ValueKind == JsonValueKind.String)
                {
                    switch (m.GetString())
                    {
                        case "echo":
                            // RFC 7047 4.1.11: reply with the same params, or the server drops an idle connection.
                            Send(new Dictionary<string, object?> { ["result"] = message.GetProperty("params"), ["error"] = null, ["id"] = message.GetProperty("id") });
                            continue;
                        case "update":
                            if (message.GetProperty("params") is { ValueKind: JsonValueKind.Array } p && p.GetArrayLength() == 2) Update?.Invoke(p);
                            break;
                    }
                }
                return message;
            }
            // Poll in short slices so that Ctrl+C (the token) and the deadline are noticed while the server is quiet.
            while (!_socket.Poll(100_000, SelectMode.SelectRead))
            {
                _ct.ThrowIfCancellationRequested();
                if (DateTime.UtcNow > _deadline) throw new TimeoutException("the database server did not answer in time.");
            }
            _ct.ThrowIfCancellationRequested();
            var n = _socket.Receive(_buffer);
            if (n <= 0) throw new IOException("the database server closed the connection.");
            _framer.Append(_buffer.AsSpan(0, n));
        }
    }

    /// <inheritdoc />
    public void Dispose() => _socket.Dispose();
}

/// <summary>
/// Splits a byte stream into JSON texts (objects or arrays, as OVSDB sends them one after the other). Only the bytes that
/// arrived since the last call are scanned: the scanner keeps its depth and string state between chunks.
/// </summary>
internal sealed class JsonTextFramer
{
    private byte[] _data = new byte[65536];
    private int _length;
    private int _scanned;
    private int _depth;
    private bool _inString;
    private bool _escaped;
    private bool _started;

    /// <summary>Adds received bytes.</summary>
    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (_length + bytes.Length > _data.Length) Array.Resize(ref _data, Math.Max(_data.Length * 2, _length + bytes.Length));
        bytes.CopyTo(_data.AsSpan(_length));
        _length += bytes.Length;
    }

    /// <summary>The next complete JSON text (leading whitespace included), or null until more bytes arrive.</summary>
    public byte[]? Next()
    {
        for (; _scanned < _length; _scanned++)
        {
            var c = _data[_scanned];
            if (_inString)
            {
                if (_escaped) _escaped = false;
                else if (c == '\\') _escaped = true;
                else if (c == '"') _inString = false;
                continue;
            }
            switch (c)
            {
                case (byte)'"': _inString = true; break;
                case (byte)'{': case (byte)'[': _depth++; _started = true; break;
                case (byte)'}': case (byte)']':
                    _depth--;
                    if (_started && _depth == 0)
                    {
                        var end = _scanned + 1;
                        var text = _data.AsSpan(0, end).ToArray();
                        Buffer.BlockCopy(_data, end, _data, 0, _length - end);
                        _length -= end;
                        _scanned = 0;
                        _started = false;
                        return text;
                    }
                    break;
            }
        }
        return null;
    }

    /// <summary>The length of the first complete JSON text in <paramref name="bytes"/>, or null.</summary>
    public static int? CompleteLength(ReadOnlySpan<byte> bytes)
    {
        var f = new JsonTextFramer();
        f.Append(bytes);
        return f.Next()?.Length;
    }
}
