using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using NetNs.Core.Kernel;

namespace NetNs.Core.Lab;

/// <summary>One probe: ICMP echo from namespace <see cref="Source"/> to <see cref="Address"/>, an address of namespace <see cref="Destination"/>.</summary>
internal readonly record struct ProbeTarget(string Source, string Destination, IPAddress Address);

/// <summary>The outcome of one probe: a reply came back (with its round-trip time), after how many attempts.</summary>
internal readonly record struct ProbeOutcome(bool Reachable, double? RttMs, int Attempts);

/// <summary>How probes are sent.</summary>
/// <param name="Window">At most this many echo requests are awaiting a reply at any time: the pace follows what the
/// datapath answers (a userspace datapath drops upcalls under bursts of new flows), not a clock.</param>
/// <param name="TimeoutSeconds">How long one echo request waits for its reply (seconds).</param>
/// <param name="Attempts">Echo requests a target gets before it counts as unreachable (each after the previous one timed out).</param>
/// <param name="NeighbourBudget">How many neighbour (ARP) entries one wave of sources may create; null = what the host's
/// table has room for (<see cref="IcmpProber.NeighbourRoom"/>).</param>
internal sealed record ProbeOptions(int Window = 32, double TimeoutSeconds = 1, int Attempts = 3, int? NeighbourBudget = null);

/// <summary>
/// Sends ICMP echo requests (RFC 792; what iputils ping and fping send) from raw sockets opened inside each source
/// namespace, many targets per socket, without a process per probe. A target is reachable when one of its attempts got an
/// echo reply from exactly that address carrying this run's identifier, sequence and payload; a probe that is lost (ARP
/// still resolving, a flow still being set up in the switch) is sent again before the target is declared unreachable.
/// One socket per source namespace, one thread in all (the caller's), replies matched by (identifier, sequence).
/// <para>The kernel keeps ONE neighbour (ARP) table for all namespaces of the host, of at most gc_thresh3 entries
/// (/proc/sys/net/ipv4/neigh/default/gc_thresh3, 1,024 by default), and a full matrix of N hosts needs N(N-1) of them at
/// once (each source resolves each target, each target the source): past the limit the kernel refuses new entries and
/// drops the packets (table_fulls in /proc/net/stat/arp_cache), so reachable pairs would look unreachable. Targets are
/// therefore admitted only while the entries they will make fit the room left in the table, and the neighbour entries
/// the probes of settled targets made for lab addresses are deleted again, in batches (RTM_DELNEIGH, what
/// <c>ip neigh del</c> sends); entries that existed before the run are kept.</para>
/// </summary>
internal static class IcmpProber
{
    private const int EchoRequest = 8;
    private const int EchoReply = 0;
    private const int PayloadBytes = 16;
    private static readonly uint Magic = 0x4e4e5052; // "NNPR"

    /// <summary>
    /// Probes every target; returns one outcome per target, in order. <paramref name="progress"/> is called on the calling
    /// thread with the number of targets settled so far.
    /// </summary>
    /// <exception cref="Errors.NetNsException"><c>NamespaceNotFound</c> or <c>SetnsFailed</c> when a source namespace cannot be entered.</exception>
    public static ProbeOutcome[] Run(IKernel kernel, IReadOnlyList<ProbeTarget> targets, ProbeOptions options, Action<int>? progress, CancellationToken ct)
    {
        var outcomes = new ProbeOutcome[targets.Count];
        if (targets.Count == 0) return outcomes;
        var sockets = OpenSockets(kernel, targets.Select(t => t.Source).Distinct(StringComparer.Ordinal));
        var state = new State(kernel, targets, options, sockets);
        try
        {
            state.Run(Math.Max(16, options.NeighbourBudget ?? NeighbourRoom()), progress, ct);
        }
        finally
        {
            foreach (var s in sockets.Values) s.Dispose();
            state.ForgetAll();
        }
        for (var i = 0; i < targets.Count; i++) outcomes[i] = new ProbeOutcome(state.Rtt[i] is not null, state.Rtt[i], state.Attempts[i]);
        return outcomes;
    }

    /// <summary>
    /// Room left in the host's IPv4 neighbour table: gc_thresh3 minus the entries it holds now (/proc/net/stat/arp_cache),
    /// less a margin for the host's own traffic; at most 1,024 per wave.
    /// </summary>
    internal static int NeighbourRoom()
    {
        try
        {
            var limit = int.Parse(File.ReadAllText("/proc/sys/net/ipv4/neigh/default/gc_thresh3").Trim(), System.Globalization.CultureInfo.InvariantCulture);
            var lines = File.ReadAllLines("/proc/net/stat/arp_cache");
            var entries = lines.Length > 1 ? Convert.ToInt32(lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], 16) : 0;
            return Math.Clamp(limit - entries - 128, 16, 1024);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or OverflowException)
        {
            return 256;
        }
    }

    /// <summary>The dynamic IPv4 neighbour entries of each namespace: (ifindex, address).</summary>
    private static Dictionary<string, HashSet<(int, IPAddress)>> Neighbours(IKernel kernel, IEnumerable<string> namespaces)
    {
        var result = new Dictionary<string, HashSet<(int, IPAddress)>>(StringComparer.Ordinal);
        Throw(kernel.InEach(namespaces, ns => ns, (ns, h) => result[ns] = h.Neighbours().ToHashSet()));
        return result;
    }

    /// <summary>
    /// Deletes the dynamic neighbour entries for <c>addresses(namespace)</c> in each namespace that were not there before the
    /// run (on one thread visiting them all).
    /// </summary>
    private static void ForgetNeighbours(IKernel kernel, IEnumerable<string> namespaces, Func<string, IReadOnlySet<IPAddress>> addresses,
        Dictionary<string, HashSet<(int, IPAddress)>> before)
    {
        Throw(kernel.InEach(namespaces, ns => ns, (ns, h) =>
        {
            var kept = before.GetValueOrDefault(ns);
            var forget = addresses(ns);
            foreach (var n in h.Neighbours())
            {
                if (!forget.Contains(n.Address) || kept?.Contains(n) == true) continue;
                try { h.DeleteNeighbour(n.Index, n.Address); }
                catch (Netlink.RtnlException) { /* gone meanwhile (garbage collection) */ }
            }
        }));
    }

    private static void Throw<T>(List<(T Item, Exception Error)> failures)
    {
        if (failures.Count > 0) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failures[0].Error).Throw();
    }

    /// <summary>
    /// The probing of one run. Targets are admitted in order while the neighbour entries they will make (two each: the
    /// source's for the target, the target's for the source) fit the budget; settled targets give their entries back in
    /// batches (deleted, then their share of the budget goes to the next targets). So an unreachable target holds back
    /// only its own share while its attempts run out, never the whole run.
    /// </summary>
    private sealed class State
    {
        private const int ForgetBatch = 64;
        private readonly IKernel _kernel;
        private readonly IReadOnlyList<ProbeTarget> _targets;
        private readonly ProbeOptions _options;
        private readonly Dictionary<string, Socket> _sockets;
        private readonly Dictionary<Socket, string> _bySocket;
        private readonly ushort _identifier = (ushort)Random.Shared.Next(1, ushort.MaxValue);
        private readonly long[] _sentAt;
        private readonly bool[] _settled;
        private readonly byte[] _packet = new byte[8 + PayloadBytes];
        private readonly byte[] _buffer = new byte[1500];
        private readonly Dictionary<string, HashSet<IPAddress>> _addressesOf;
        private readonly Dictionary<(string, string), int> _unsettledPairs = new();
        private readonly Dictionary<string, int> _busy = new(StringComparer.Ordinal);
        private readonly Dictionary<string, HashSet<IPAddress>> _toForget = new(StringComparer.Ordinal);
        private Dictionary<string, HashSet<(int, IPAddress)>> _before = new(StringComparer.Ordinal);
        private int _settledSinceForget;
        private int _done;

        public State(IKernel kernel, IReadOnlyList<ProbeTarget> targets, ProbeOptions options, Dictionary<string, Socket> sockets)
        {
            _kernel = kernel;
            _targets = targets;
            _options = options;
            _sockets = sockets;
            _bySocket = sockets.ToDictionary(s => s.Value, s => s.Key);
            Attempts = new int[targets.Count];
            Rtt = new double?[targets.Count];
            _sentAt = new long[targets.Count];
            _settled = new bool[targets.Count];
            _addressesOf = targets.GroupBy(t => t.Destination, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Select(t => t.Address).ToHashSet(), StringComparer.Ordinal);
            foreach (var t in targets) _unsettledPairs[(t.Source, t.Destination)] = _unsettledPairs.GetValueOrDefault((t.Source, t.Destination)) + 1;
        }

        public int[] Attempts { get; }
        public double?[] Rtt { get; }

        /// <summary>Probes every target until it got a reply or used its attempts.</summary>
        public void Run(int budget, Action<int>? progress, CancellationToken ct)
        {
            var namespaces = _targets.Select(t => t.Source).Concat(_targets.Select(t => t.Destination)).Distinct(StringComparer.Ordinal).ToList();
            _before = Neighbours(_kernel, namespaces);
            var next = 0;
            var used = 0;
            var pending = new Queue<int>();
            var outstanding = new Dictionary<int, long>();
            var timeout = (long)(_options.TimeoutSeconds * Stopwatch.Frequency);
            var read = new List<Socket>();
            while (next < _targets.Count || pending.Count > 0 || outstanding.Count > 0)
            {
                ct.ThrowIfCancellationRequested();
                if (next < _targets.Count && used + 2 > budget && _settledSinceForget > 0) used -= 2 * ForgetSettled();
                while (next < _targets.Count && (used + 2 <= budget || used == 0))
                {
                    used += 2;
                    _busy[_targets[next].Source] = _busy.GetValueOrDefault(_targets[next].Source) + 1;
                    pending.Enqueue(next++);
                }
                while (pending.Count > 0 && outstanding.Count < _options.Window)
                {
                    var i = pending.Dequeue();
                    if (_settled[i]) continue; // a late reply settled it after its attempt had timed out
                    Attempts[i]++;
                    _sentAt[i] = Stopwatch.GetTimestamp();
                    if (Send(_sockets[_targets[i].Source], _targets[i].Address, _identifier, i, _packet))
                        outstanding[i] = _sentAt[i] + timeout;
                    else if (Attempts[i] < _options.Attempts) pending.Enqueue(i);
                    else Settle(i, null);
                }
                var now = Stopwatch.GetTimestamp();
                var wait = outstanding.Count == 0 ? 0 : Math.Max(0, outstanding.Values.Min() - now);
                read.Clear();
                foreach (var (source, count) in _busy) if (count > 0) read.Add(_sockets[source]);
                if (read.Count > 0) Socket.Select(read, null, null, (int)Math.Min(wait * 1_000_000 / Stopwatch.Frequency, 20_000));
                foreach (var s in read) Receive(s, outstanding);
                now = Stopwatch.GetTimestamp();
                foreach (var (i, _) in outstanding.Where(o => o.Value <= now).ToList())
                {
                    outstanding.Remove(i);
                    if (Attempts[i] < _options.Attempts) pending.Enqueue(i);
                    else Settle(i, null);
                }
                if (_settledSinceForget >= ForgetBatch) used -= 2 * ForgetSettled();
                progress?.Invoke(_done);
            }
        }

        /// <summary>
        /// Deletes the entries settled targets made: in the source, the one for the target's address; in the target, those for
        /// the source's addresses once no target of that source in it is left. Returns how many targets gave their share back.
        /// </summary>
        private int ForgetSettled()
        {
            var forget = _toForget.Where(f => f.Value.Count > 0).ToDictionary(f => f.Key, f => (IReadOnlySet<IPAddress>)f.Value.ToHashSet(), StringComparer.Ordinal);
            foreach (var set in _toForget.Values) set.Clear();
            if (forget.Count > 0) ForgetNeighbours(_kernel, forget.Keys, ns => forget[ns], _before);
            var released = _settledSinceForget;
            _settledSinceForget = 0;
            return released;
        }

        /// <summary>After a failure or Ctrl+C, and at the end: forgets what is left to forget.</summary>
        public void ForgetAll()
        {
            try { ForgetSettled(); }
            catch (Errors.NetNsException) { /* a namespace went away meanwhile */ }
            // A retry whose first request was answered late still reaches its target after the pair was settled and its
            // entries forgotten, and the target resolves the source again: one last sweep, a moment after the last probe,
            // deletes every entry for a lab address that was not there before the run, in every namespace probed.
            if (Attempts.All(a => a == 0)) return;
            Thread.Sleep(100);
            var all = _targets.Select(t => t.Address).Concat(_addressesOf.Values.SelectMany(a => a)).ToHashSet();
            var namespaces = _targets.Select(t => t.Source).Concat(_targets.Select(t => t.Destination)).Distinct(StringComparer.Ordinal).ToList();
            try { ForgetNeighbours(_kernel, namespaces, _ => all, _before); }
            catch (Errors.NetNsException) { /* a namespace went away meanwhile */ }
        }

        private void MarkForget(int i, bool lastOfPair)
        {
            var t = _targets[i];
            Set(t.Source).Add(t.Address);
            if (lastOfPair && _addressesOf.TryGetValue(t.Source, out var own)) Set(t.Destination).UnionWith(own);

            HashSet<IPAddress> Set(string ns) => _toForget.TryGetValue(ns, out var set) ? set : _toForget[ns] = new HashSet<IPAddress>();
        }

        private void Receive(Socket s, Dictionary<int, long> outstanding)
        {
            while (s.Available > 0)
            {
                int n;
                try { n = s.Receive(_buffer); }
                catch (SocketException) { return; }
                var datagram = _buffer.AsSpan(0, n);
                if (Match(datagram, _identifier) is not { } i || i >= _targets.Count || _settled[i]) continue;
                if (_bySocket[s] != _targets[i].Source || !SourceIs(datagram, _targets[i].Address)) continue;
                Settle(i, (Stopwatch.GetTimestamp() - _sentAt[i]) * 1000.0 / Stopwatch.Frequency);
                outstanding.Remove(i);
            }
        }

        private void Settle(int i, double? rttMs)
        {
            var t = _targets[i];
            _settled[i] = true;
            Rtt[i] = rttMs;
            _done++;
            _busy[t.Source]--;
            _settledSinceForget++;
            MarkForget(i, --_unsettledPairs[(t.Source, t.Destination)] == 0);
        }
    }

    /// <summary>One raw ICMP socket inside each namespace (opened on one thread that visits them all; a socket keeps the namespace it was opened in).</summary>
    private static Dictionary<string, Socket> OpenSockets(IKernel kernel, IEnumerable<string> namespaces)
    {
        var sockets = new Dictionary<string, Socket>(StringComparer.Ordinal);
        var failures = kernel.InEach(namespaces, ns => ns, (ns, h) => sockets[ns] = h.OpenIcmpSocket());
        if (failures.Count > 0)
        {
            foreach (var s in sockets.Values) s.Dispose();
            Throw(failures);
        }
        return sockets;
    }

    /// <summary>Builds and sends one echo request; false when the kernel refused it at once (no route, unreachable).</summary>
    private static bool Send(Socket socket, IPAddress address, ushort identifier, int index, byte[] packet)
    {
        Build(packet, identifier, index);
        try
        {
            socket.SendTo(packet, new IPEndPoint(address, 0));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>An echo request: type 8, code 0, checksum, identifier, sequence = the target's index, payload = magic + index.</summary>
    internal static void Build(Span<byte> packet, ushort identifier, int index)
    {
        packet.Clear();
        packet[0] = EchoRequest;
        BinaryPrimitives.WriteUInt16BigEndian(packet[4..], identifier);
        BinaryPrimitives.WriteUInt16BigEndian(packet[6..], (ushort)index);
        BinaryPrimitives.WriteUInt32BigEndian(packet[8..], Magic);
        BinaryPrimitives.WriteInt32BigEndian(packet[12..], index);
        BinaryPrimitives.WriteUInt16BigEndian(packet[2..], Checksum(packet));
    }

    /// <summary>The Internet checksum (RFC 1071) of <paramref name="data"/>.</summary>
    internal static ushort Checksum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        for (var i = 0; i + 1 < data.Length; i += 2) sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        if ((data.Length & 1) == 1) sum += (uint)(data[^1] << 8);
        while ((sum >> 16) != 0) sum = (sum & 0xffff) + (sum >> 16);
        return (ushort)~sum;
    }

    /// <summary>The target index an IPv4 datagram (as a raw socket delivers it, IP header first) answers, or null when it is not an echo reply of this run.</summary>
    internal static int? Match(ReadOnlySpan<byte> datagram, ushort identifier)
    {
        if (datagram.Length < 20) return null;
        var ihl = (datagram[0] & 0x0f) * 4;
        if (datagram.Length < ihl + 8 + PayloadBytes) return null;
        var icmp = datagram[ihl..];
        if (icmp[0] != EchoReply || icmp[1] != 0) return null;
        if (BinaryPrimitives.ReadUInt16BigEndian(icmp[4..]) != identifier) return null;
        if (BinaryPrimitives.ReadUInt32BigEndian(icmp[8..]) != Magic) return null;
        var index = BinaryPrimitives.ReadInt32BigEndian(icmp[12..]);
        if ((ushort)index != BinaryPrimitives.ReadUInt16BigEndian(icmp[6..]) || index < 0) return null;
        return index;
    }

    private static bool SourceIs(ReadOnlySpan<byte> datagram, IPAddress address)
    {
        Span<byte> expected = stackalloc byte[4];
        return address.TryWriteBytes(expected, out _) && datagram.Slice(12, 4).SequenceEqual(expected);
    }
}
