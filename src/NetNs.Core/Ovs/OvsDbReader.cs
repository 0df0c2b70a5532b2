using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace NetNs.Core.Ovs;

/// <summary>
/// Reads bridges, ports and interfaces straight from <c>ovsdb-server</c> over its unix socket with one OVSDB JSON-RPC
/// <c>transact</c> of three <c>select</c> operations (RFC 7047): the rows <c>ovs-vsctl list</c> prints, without starting a
/// process. Read-only; every change still goes through <c>ovs-vsctl</c>, which also waits for ovs-vswitchd.
/// </summary>
public static class OvsDbReader
{
    /// <summary>The JSON-RPC request: <c>transact</c> on Open_vSwitch selecting the columns of <see cref="OvsCommands.ListState"/>.</summary>
    public static string StateRequest(int id)
    {
        static object Select(string table, string columns) => new Dictionary<string, object>
        {
            ["op"] = "select",
            ["table"] = table,
            ["where"] = Array.Empty<object>(),
            ["columns"] = columns.Split(','),
        };
        var request = new Dictionary<string, object>
        {
            ["method"] = "transact",
            ["params"] = new object[]
            {
                "Open_vSwitch",
                Select("Bridge", OvsCommands.BridgeColumns),
                Select("Port", OvsCommands.PortColumns),
                Select("Interface", OvsCommands.InterfaceColumns),
            },
            ["id"] = id,
        };
        return JsonSerializer.Serialize(request);
    }

    /// <summary>
    /// Reads the state from a <c>unix:PATH</c> database within <paramref name="timeoutSeconds"/>; null when the database is
    /// not a unix socket or cannot be read this way (the caller then runs <c>ovs-vsctl</c>, which reports why).
    /// </summary>
    public static OvsState? TryReadState(string database, int timeoutSeconds)
    {
        if (!database.StartsWith("unix:", StringComparison.Ordinal)) return null;
        var path = database.Substring(5);
        if (!File.Exists(path)) return null;
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            socket.SendTimeout = socket.ReceiveTimeout = timeoutSeconds * 1000;
            socket.Connect(new UnixDomainSocketEndPoint(path));
            socket.Send(Encoding.UTF8.GetBytes(StateRequest(1)));
            var text = ReadMessage(socket);
            return text is null ? null : OvsJson.ParseStateRpc(text, database);
        }
        catch (Exception ex) when (ex is SocketException or IOException or FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Reads JSON texts until the reply with id 1 (skipping anything else the server sends); null at end of stream.</summary>
    private static string? ReadMessage(Socket socket)
    {
        var buffer = new byte[65536];
        var pending = new MemoryStream();
        while (true)
        {
            var n = socket.Receive(buffer);
            if (n <= 0) return null;
            pending.Write(buffer, 0, n);
            while (CompleteLength(pending.GetBuffer().AsSpan(0, (int)pending.Length)) is { } len)
            {
                var bytes = pending.GetBuffer().AsSpan(0, (int)pending.Length);
                var text = Encoding.UTF8.GetString(bytes[..len]);
                var rest = bytes[len..].ToArray();
                pending = new MemoryStream();
                pending.Write(rest);
                using var doc = JsonDocument.Parse(text);
                if (doc.RootElement.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.Number && id.GetInt32() == 1
                    && !doc.RootElement.TryGetProperty("method", out _))
                    return text;
            }
        }
    }

    /// <summary>The length of the first complete JSON object in <paramref name="b"/> (leading whitespace included), or null.</summary>
    public static int? CompleteLength(ReadOnlySpan<byte> b)
    {
        var depth = 0;
        var inString = false;
        var escaped = false;
        var started = false;
        for (var i = 0; i < b.Length; i++)
        {
            var c = b[i];
            if (inString)
            {
                if (escaped) escaped = false;
                else if (c == '\\') escaped = true;
                else if (c == '"') inString = false;
                continue;
            }
            switch (c)
            {
                case (byte)'"': inString = true; break;
                case (byte)'{': case (byte)'[': depth++; started = true; break;
                case (byte)'}': case (byte)']':
                    depth--;
                    if (started && depth == 0) return i + 1;
                    break;
            }
        }
        return null;
    }
}
