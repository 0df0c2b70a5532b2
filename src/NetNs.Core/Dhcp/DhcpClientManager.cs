using System.Text.Json;
using NetNs.Core.Errors;
using NetNs.Core.Ip;
using NetNs.Core.Models;
using NetNs.Core.Process;
using NetNs.Core.Validation;

namespace NetNs.Core.Dhcp;

/// <summary>
/// Requests and releases DHCP leases with ISC dhclient inside namespaces. Each client keeps its state in
/// <c>/run/netns-ps/dhclient/NS-IF/</c>: <c>client.json</c>, <c>dhclient.conf</c>, <c>dhclient-script</c> (0700),
/// <c>dhclient.leases</c> and, while a client runs, <c>dhclient.pid</c>. No host file is read or written:
/// dhclient never sees /etc/dhcp/dhclient.conf and never runs /sbin/dhclient-script.
/// </summary>
internal sealed class DhcpClientManager
{
    private const string StateFileName = "client.json";
    private readonly Context.NetNsContext _context;

    /// <summary>Creates a manager over the context's runner (its command lines reach -Verbose), kernel seam and cancellation.</summary>
    public DhcpClientManager(Context.NetNsContext context) => _context = context;

    /// <summary>The folder holding one state directory per client.</summary>
    public static string ClientsDirectory => RunDirectory.PathOf("dhclient");

    /// <summary>The files of the client of (namespace, interface).</summary>
    public sealed class Files
    {
        internal Files(string @namespace, string @interface)
        {
            Directory = Path.Combine(ClientsDirectory, DhcpProcess.DirectoryName(@namespace, @interface));
            Conf = Path.Combine(Directory, "dhclient.conf");
            Script = Path.Combine(Directory, "dhclient-script");
            Leases = Path.Combine(Directory, "dhclient.leases");
            Pid = Path.Combine(Directory, "dhclient.pid");
            State = Path.Combine(Directory, StateFileName);
        }

        /// <summary>State directory.</summary>
        public string Directory { get; }

        /// <summary>dhclient.conf (-cf).</summary>
        public string Conf { get; }

        /// <summary>The request script (-sf).</summary>
        public string Script { get; }

        /// <summary>Lease file (-lf).</summary>
        public string Leases { get; }

        /// <summary>Pid file (-pf).</summary>
        public string Pid { get; }

        /// <summary>client.json.</summary>
        public string State { get; }
    }

    /// <summary>The files NetNs uses for the client of (namespace, interface).</summary>
    public static Files FilesOf(string @namespace, string @interface) => new(@namespace, @interface);

    /// <summary>
    /// Checks a request before anything runs: InvalidInterfaceName, InvalidNamespaceName, InvalidTimeout
    /// (InvalidArgument); NamespaceNotFound, LinkNotFound (ObjectNotFound); DhcpClientRunning (ResourceExists)
    /// when a client NetNs started still runs on that interface.
    /// </summary>
    public void Prepare(string @namespace, string @interface, int timeoutSeconds, bool checkKernel = true)
    {
        Validate.InterfaceName(@interface, "Interface");
        if (@namespace.Length > 0) Validate.NamespaceName(@namespace, "Namespace");
        if (timeoutSeconds < 1 || timeoutSeconds > 3600)
            throw new NetNsException("InvalidTimeout", NetNsErrorCategory.InvalidArgument, $"-TimeoutSeconds {timeoutSeconds} is out of range: use 1 to 3600 seconds.", timeoutSeconds);
        if (!checkKernel) return;
        KernelOps.Require(_context.Kernel, @namespace, "Namespace");
        if (!new LinkOps(_context).Exists(@namespace, @interface)) throw KernelOps.LinkNotFound(new LinkId(@namespace, @interface));
        var existing = ReadClient(FilesOf(@namespace, @interface));
        if (existing is not null && existing.Running)
            throw new NetNsException("DhcpClientRunning", NetNsErrorCategory.ResourceExists,
                $"A DHCP client started by NetNs already runs on interface '{@interface}' in {LinkId.Describe(@namespace)} (dhclient pid {existing.ProcessId}). Release it with Remove-NetDhcpClientLease first.",
                new LinkId(@namespace, @interface).Target);
    }

    /// <summary>
    /// Runs <c>dhclient -1</c> inside the namespace and returns the lease; the address is configured on the interface.
    /// Unless <paramref name="keepRunning"/>, the client is stopped once the lease is bound (the address stays).
    /// No offer within <paramref name="timeoutSeconds"/>: <c>DhcpLeaseTimeout</c> (OperationTimeout) and nothing is
    /// left behind. Call <see cref="Prepare"/> first.
    /// </summary>
    public DhcpClientLease Request(string @namespace, string @interface, int timeoutSeconds, bool keepRunning)
    {
        var f = FilesOf(@namespace, @interface);
        RunDirectory.EnsureDirectory("dhclient");
        Cleanup(f);
        RunDirectory.EnsureDirectory("dhclient", Path.GetFileName(f.Directory));
        try
        {
            RunDirectory.WriteFile(f.State, JsonSerializer.Serialize(new ClientState { Namespace = @namespace, Interface = @interface }));
            RunDirectory.WriteFile(f.Conf, DhclientCommands.Configuration(timeoutSeconds));
            RunDirectory.WriteFile(f.Script, DhclientCommands.Script, RunDirectory.ScriptMode);
            RunDirectory.WriteFile(f.Leases, string.Empty);
            var cmd = DhclientCommands.Request(@namespace, @interface, f.Conf, f.Script, f.Leases, f.Pid);
            ToolResult r;
            using (var cts = CancellationTokenSource.CreateLinkedTokenSource(_context.Cancellation))
            {
                cts.CancelAfter(TimeSpan.FromSeconds(timeoutSeconds + 10));
                try
                {
                    r = _context.Runner.Run(cmd, cts.Token);
                }
                catch (OperationCanceledException) when (!_context.Cancellation.IsCancellationRequested)
                {
                    throw Timeout(@namespace, @interface, timeoutSeconds);
                }
            }
            if (!r.Succeeded)
            {
                var text = r.StandardError + r.StandardOutput;
                if (text.Contains("No DHCPOFFERS received", StringComparison.Ordinal) || text.Contains("Unable to obtain a lease", StringComparison.Ordinal))
                    throw Timeout(@namespace, @interface, timeoutSeconds);
                throw r.ToException("DhcpClientFailed", new LinkId(@namespace, @interface).Target,
                    $"dhclient could not get a lease on interface '{@interface}' in {LinkId.Describe(@namespace)}");
            }
            RunDirectory.Secure(f.Leases);
            RunDirectory.Secure(f.Pid);
            var pid = DhcpProcess.ReadPid(f.Pid);
            var running = pid is not null && DhcpProcess.IsOurs(pid.Value, f.Pid);
            if (!keepRunning)
            {
                if (running) DhcpProcess.Stop(pid!.Value, TimeSpan.FromSeconds(5));
                RunDirectory.RemoveFile(f.Pid);
                pid = null;
                running = false;
            }
            return DhcpLeaseParser.ParseDhclient(RunDirectory.ReadFile(f.Leases) ?? string.Empty, @namespace, @interface, f.Leases, running ? pid : null, running)
                ?? throw new NetNsException("DhcpClientFailed", NetNsErrorCategory.InvalidResult,
                    $"dhclient reported success on interface '{@interface}' in {LinkId.Describe(@namespace)} but wrote no lease to {f.Leases}.", new LinkId(@namespace, @interface).Target);
        }
        catch
        {
            Cleanup(f);
            throw;
        }
    }

    /// <summary>The clients NetNs started (one per interface with a lease), optionally filtered.</summary>
    public static List<DhcpClientLease> GetClients(string? @namespace = null, string? @interface = null)
    {
        var result = new List<DhcpClientLease>();
        foreach (var dir in DhcpProcess.StateDirectories(ClientsDirectory))
        {
            var state = ReadState(Path.Combine(dir, StateFileName));
            if (state is null) continue;
            if (@namespace is not null && state.Namespace != @namespace) continue;
            if (@interface is not null && state.Interface != @interface) continue;
            var c = ReadClient(FilesOf(state.Namespace!, state.Interface!));
            if (c is not null && !DhcpProcess.PruneStale(dir, c.Namespace, c.Running)) result.Add(c);
        }
        return result;
    }

    /// <summary>
    /// Releases the lease of (namespace, interface): <c>dhclient -r</c> stops a running client, sends DHCPRELEASE and
    /// removes the address; then the state directory is removed. <c>DhcpClientNotFound</c> (ObjectNotFound) when NetNs
    /// holds no lease there; <c>DhcpReleaseFailed</c> when dhclient fails (the files are removed anyway).
    /// </summary>
    public void Release(string @namespace, string @interface)
    {
        var f = FilesOf(@namespace, @interface);
        if (ReadState(f.State) is null)
            throw new NetNsException("DhcpClientNotFound", NetNsErrorCategory.ObjectNotFound,
                $"NetNs holds no DHCP lease on interface '{@interface}' in {LinkId.Describe(@namespace)}. List them with Get-NetDhcpClientLease.",
                new LinkId(@namespace, @interface).Target);
        try
        {
            ToolResult r;
            using (var cts = CancellationTokenSource.CreateLinkedTokenSource(_context.Cancellation))
            {
                cts.CancelAfter(TimeSpan.FromSeconds(15));
                r = _context.Runner.Run(DhclientCommands.Release(@namespace, @interface, f.Conf, f.Script, f.Leases, f.Pid), cts.Token);
            }
            r.ThrowIfFailed("DhcpReleaseFailed", new LinkId(@namespace, @interface).Target,
                $"dhclient could not release the lease on interface '{@interface}' in {LinkId.Describe(@namespace)}");
        }
        finally
        {
            Cleanup(f);
        }
    }

    /// <summary>The command <see cref="Release"/> runs (for -WhatIf).</summary>
    public static ToolCommand ReleaseCommand(string @namespace, string @interface)
    {
        var f = FilesOf(@namespace, @interface);
        return DhclientCommands.Release(@namespace, @interface, f.Conf, f.Script, f.Leases, f.Pid);
    }

    /// <summary>The command <see cref="Request"/> runs (for -WhatIf and -Verbose).</summary>
    public static ToolCommand RequestCommand(string @namespace, string @interface)
    {
        var f = FilesOf(@namespace, @interface);
        return DhclientCommands.Request(@namespace, @interface, f.Conf, f.Script, f.Leases, f.Pid);
    }

    /// <summary>Stops one client (if its dhclient still runs) and removes its run files.</summary>
    public static void Stop(DhcpClientLease client) => Cleanup(FilesOf(client.Namespace, client.Interface));

    private static void Cleanup(Files f) => DhcpProcess.StopAndRemove(f.Directory, f.Pid);

    private static DhcpClientLease? ReadClient(Files f)
    {
        if (ReadState(f.State) is not { } state) return null;
        var (pid, running) = DhcpProcess.State(f.Pid);
        string text;
        try { text = RunDirectory.ReadFile(f.Leases) ?? string.Empty; }
        catch (IOException) { text = string.Empty; }
        return DhcpLeaseParser.ParseDhclient(text, state.Namespace!, state.Interface!, f.Leases, running ? pid : null, running)
            ?? new DhcpClientLease(state.Namespace!, state.Interface!, string.Empty, 0, null, Array.Empty<string>(), null, TimeSpan.Zero, null, null, running ? pid : null, running, f.Leases);
    }

    private static ClientState? ReadState(string path) =>
        DhcpProcess.ReadState<ClientState>(path) is { Namespace: not null, Interface: not null } s ? s : null;

    private static NetNsException Timeout(string @namespace, string @interface, int seconds) =>
        new("DhcpLeaseTimeout", NetNsErrorCategory.OperationTimeout,
            $"No DHCP offer arrived on interface '{@interface}' in {LinkId.Describe(@namespace)} within {seconds} seconds. Check that a DHCP server serves that link (Get-NetDhcpServer) and that the link is up.",
            new LinkId(@namespace, @interface).Target);

    private sealed class ClientState
    {
        public string? Namespace { get; set; }
        public string? Interface { get; set; }
    }
}
