using System.Buffers.Binary;
using System.Runtime.InteropServices;
using NetNs.Core.Errors;
using NetNs.Core.Native;

namespace NetNs.Core.Netlink;

/// <summary>A request the kernel refused: its errno and text, with the extended-ack message when there is one.</summary>
internal sealed class RtnlException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RtnlException(int errno, string? extAck)
        : base(extAck is null ? Marshal.GetPInvokeErrorMessage(errno) : $"{extAck} ({Marshal.GetPInvokeErrorMessage(errno)})")
    {
        Errno = errno;
        ExtAck = extAck;
    }

    /// <summary>The errno (positive), e.g. 17 (EEXIST), 19 (ENODEV).</summary>
    public int Errno { get; }

    /// <summary>The kernel's extended-ack text, or null.</summary>
    public string? ExtAck { get; }

    /// <summary>The category of the failure, from the same text matching the <c>ip</c> errors go through (<see cref="KernelErrors"/>).</summary>
    public NetNsErrorCategory Category => KernelErrors.Classify(Message);
}

/// <summary>
/// A NETLINK_ROUTE socket in the network namespace of the thread that opened it (rtnetlink(7)): sends one request at a
/// time and waits for its answer. Open it on a thread that has entered the wanted namespace (<see cref="Rtnl.In{T}"/>).
/// </summary>
internal sealed class RtnlSocket : IDisposable
{
    private const int AfNetlink = 16;
    private const int SockRaw = 3;
    private const int SockCloexec = 0x80000;
    private const int NetlinkRoute = 0;
    private const int SolNetlink = 270;
    private const int NetlinkCapAck = 10;
    private const int NetlinkExtAck = 11;

    private readonly int _fd;
    private readonly byte[] _buffer = new byte[32768];
    private uint _seq;

    private RtnlSocket(int fd) => _fd = fd;

    /// <summary>Opens a socket in the calling thread's network namespace.</summary>
    /// <exception cref="RtnlException">The socket cannot be opened.</exception>
    public static unsafe RtnlSocket Open()
    {
        var fd = Libc.Socket(AfNetlink, SockRaw | SockCloexec, NetlinkRoute);
        if (fd < 0) throw new RtnlException(Marshal.GetLastPInvokeError(), null);
        var one = 1;
        Libc.SetSockOpt(fd, SolNetlink, NetlinkCapAck, &one, sizeof(int));
        Libc.SetSockOpt(fd, SolNetlink, NetlinkExtAck, &one, sizeof(int));
        return new RtnlSocket(fd);
    }

    /// <summary>The next sequence number for a request built for this socket.</summary>
    public uint NextSeq() => ++_seq;

    /// <summary>Sends a request that asks for an acknowledgement (NLM_F_ACK); throws when the kernel refuses it.</summary>
    /// <exception cref="RtnlException">The kernel's error.</exception>
    public void Request(byte[] message) => Exchange(message, replyType: null);

    /// <summary>Sends a query and returns the reply message of <paramref name="replyType"/>.</summary>
    /// <exception cref="RtnlException">The kernel's error.</exception>
    public byte[] Query(byte[] message, ushort replyType) => Exchange(message, replyType)!;

    /// <summary>
    /// Sends a dump request (NLM_F_DUMP) and returns every reply message of <paramref name="replyType"/> up to NLMSG_DONE.
    /// A dump the kernel marks as interrupted (NLM_F_DUMP_INTR, the list changed meanwhile) is returned as it is, as
    /// <c>ip</c> does.
    /// </summary>
    /// <exception cref="RtnlException">The kernel's error.</exception>
    public List<byte[]> Dump(byte[] message, ushort replyType)
    {
        SendMessage(message);
        var replies = new List<byte[]>();
        ReadReplies(BinaryPrimitives.ReadUInt32LittleEndian(message.AsSpan(8)), (type, reply) =>
        {
            if (type == RtnlMessages.NlmsgDone)
            {
                var error = reply.Length >= 20 ? BinaryPrimitives.ReadInt32LittleEndian(reply[16..]) : 0;
                if (error < 0) throw new RtnlException(-error, null);
                return true;
            }
            if (type == replyType) replies.Add(reply.ToArray());
            return false;
        });
        return replies;
    }

    private unsafe void SendMessage(byte[] message)
    {
        fixed (byte* p = message)
        {
            if (Libc.Send(_fd, p, message.Length, 0) < 0) throw new RtnlException(Marshal.GetLastPInvokeError(), null);
        }
    }

    /// <summary>Receives one datagram into the buffer (retrying on EINTR) and returns its length.</summary>
    private unsafe int Receive()
    {
        while (true)
        {
            nint n;
            fixed (byte* b = _buffer) n = Libc.Recv(_fd, b, _buffer.Length, 0);
            if (n >= 0) return (int)n;
            var errno = Marshal.GetLastPInvokeError();
            if (errno != Libc.EIntr) throw new RtnlException(errno, null);
        }
    }

    private byte[]? Exchange(byte[] message, ushort? replyType)
    {
        SendMessage(message);
        byte[]? result = null;
        ReadReplies(BinaryPrimitives.ReadUInt32LittleEndian(message.AsSpan(8)), (type, reply) =>
        {
            if (type == RtnlMessages.NlmsgError) return replyType is null;
            if (type != replyType) return false;
            result = reply.ToArray();
            return true;
        });
        return result;
    }

    /// <summary>Handles one reply message of the request being answered; returns true when the answer is complete.</summary>
    private delegate bool ReplyHandler(ushort type, ReadOnlySpan<byte> reply);

    /// <summary>
    /// Receives datagrams and hands every message answering sequence number <paramref name="seq"/> to <paramref name="handle"/>
    /// until it returns true. An NLMSG_ERROR with a non-zero errno throws <see cref="RtnlException"/> (the kernel's error);
    /// one with errno 0 (the acknowledgement) is handed on.
    /// </summary>
    private void ReadReplies(uint seq, ReplyHandler handle)
    {
        while (true)
        {
            var n = Receive();
            var off = 0;
            while (off + 16 <= n)
            {
                var span = _buffer.AsSpan(off, n - off);
                var len = (int)BinaryPrimitives.ReadUInt32LittleEndian(span);
                if (len < 16 || len > span.Length) break;
                var type = BinaryPrimitives.ReadUInt16LittleEndian(span[4..]);
                if (BinaryPrimitives.ReadUInt32LittleEndian(span[8..]) == seq)
                {
                    if (type == RtnlMessages.NlmsgError)
                    {
                        var (errno, text) = RtnlMessages.ParseError(span[..len]);
                        if (errno != 0) throw new RtnlException(errno, text);
                    }
                    if (handle(type, span[..len])) return;
                }
                off += (len + 3) & ~3;
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => Libc.Close(_fd);
}

/// <summary>Runs rtnetlink work in a named network namespace, in process (a setns thread), or in the caller's for "".</summary>
internal static class Rtnl
{
    /// <summary>Opens a socket inside <paramref name="namespace"/> ("" = the caller's, the root namespace) and runs <paramref name="work"/> with it.</summary>
    /// <exception cref="NetNsException"><c>NamespaceNotFound</c> or <c>SetnsFailed</c> when the namespace cannot be entered.</exception>
    public static T In<T>(string @namespace, Func<RtnlSocket, T> work) => NetnsThread.Run(@namespace, () =>
    {
        using var s = RtnlSocket.Open();
        return work(s);
    });

    /// <summary>The index of interface <paramref name="name"/> in the calling thread's namespace, 0 when there is none.</summary>
    public static int IndexOf(string name) => (int)Libc.IfNameToIndex(name);

    /// <summary>The open file of a named namespace (/run/netns/NAME), for NETNSA_FD and IFLA_NET_NS_FD.</summary>
    public static Microsoft.Win32.SafeHandles.SafeFileHandle OpenNamespace(string name) =>
        File.OpenHandle(NetnsFiles.PathOf(name));
}
