using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using NetNs.Core.Ovs;
using Xunit;

namespace NetNs.Tests;

/// <summary>The production JSON-RPC session against a scripted server on a unix socket: echo answered, replies in pieces, updates passed on.</summary>
public class OvsDbSessionTests
{
    [Fact]
    public async Task Answers_echo_joins_a_reply_sent_in_pieces_and_passes_updates_on()
    {
        var dir = Directory.CreateTempSubdirectory("netns-ovsdb-");
        var path = Path.Combine(dir.FullName, "db.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(1);
        string? echoReply = null;
        var server = Task.Run(() =>
        {
            using var c = listener.Accept();
            var buf = new byte[65536];
            string Read() { var n = c.Receive(buf); return Encoding.UTF8.GetString(buf, 0, n); }
            void Send(string s) => c.Send(Encoding.UTF8.GetBytes(s));
            var request = JsonDocument.Parse(Read()).RootElement;
            Send("{\"method\":\"echo\",\"params\":[\"x\"],\"id\":\"e1\"}");
            echoReply = Read();
            var id = request.GetProperty("id").GetInt32();
            var reply = "{\"id\":" + id + ",\"result\":[{\"rows\":[{\"name\":\"br0\"}]}],\"error\":null}";
            Send("{\"method\":\"update\",\"params\":[\"m\",{\"Open_vSwitch\":{}}],\"id\":null}" + reply[..10]);
            Thread.Sleep(50);
            Send(reply[10..]);
        });
        try
        {
            using var session = new OvsDbJsonRpc().Open("unix:" + path, 5, CancellationToken.None);
            var updates = 0;
            session.Update = _ => updates++;
            var result = session.Transact("Open_vSwitch", new[] { OvsDbOps.Select("Bridge", OvsDbOps.All, new[] { "name" }) });
            Assert.Equal("br0", result[0].GetProperty("rows")[0].GetProperty("name").GetString());
            Assert.Equal(1, updates);
            await server.WaitAsync(TimeSpan.FromSeconds(5));
            Assert.Contains("\"id\":\"e1\"", echoReply);
            Assert.Contains("\"result\":[\"x\"]", echoReply);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
