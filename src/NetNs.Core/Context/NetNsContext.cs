using NetNs.Core.Ovs;
using NetNs.Core.Process;

namespace NetNs.Core.Context;

/// <summary>
/// What every core operation is given instead of reaching for statics: the runner for external programs, the trace that
/// -Verbose shows, the caller's cancellation, the Open vSwitch connection in force, and the two seams (the kernel and
/// OVSDB). Production implementations of the seams are chosen in ONE place, <see cref="Production"/>; unit tests build a
/// context from recording fakes. Not thread-affine: the trace may be called from worker threads (the cmdlet layer decides
/// what reaches -Verbose).
/// </summary>
internal sealed class NetNsContext
{
    /// <summary>Creates a context from its parts (tests pass fakes).</summary>
    public NetNsContext(IToolRunner runner, OvsConnection ovs, CancellationToken cancellation, Action<string>? trace = null)
    {
        Runner = runner;
        Ovs = ovs;
        Cancellation = cancellation;
        _trace = trace;
    }

    private readonly Action<string>? _trace;

    /// <summary>The production context: the CliWrap runner (its command lines go to <paramref name="trace"/>) and the real seams.</summary>
    public static NetNsContext Production(OvsConnection ovs, CancellationToken cancellation, Action<string>? trace = null)
    {
        var runner = new CliWrapToolRunner { CommandStarting = trace };
        return new NetNsContext(runner, ovs, cancellation, trace)
        {
            Kernel = new Kernel.RtnlKernel(),
            DhcpOf = context => new Dhcp.DhcpService(context),
        };
        // Seam owners: the kernel seam and the OVSDB seam are created here, once, and nowhere else.
    }

    /// <summary>Runs every external program (ip netns exec, dnsmasq, dhclient, ping, nft, tcpdump, ovs-vsctl where it is the right tool).</summary>
    public IToolRunner Runner { get; }

    /// <summary>The Open vSwitch instance the OVS operations talk to (Set-OvsConnection).</summary>
    public OvsConnection Ovs { get; }

    /// <summary>Cancelled on Ctrl+C.</summary>
    public CancellationToken Cancellation { get; }

    /// <summary>Writes one line to the trace (-Verbose): an external command line before it runs, or the equivalent command of an in-process request followed by its <c>(in process: …)</c> mark.</summary>
    public void Trace(string line) => _trace?.Invoke(line);

    // --- Kernel seam (rtnetlink, setns, sysctls; routes and qdiscs next) ---

    private Kernel.IKernel? _kernel;

    /// <summary>The kernel seam: namespaces, and per-namespace handles for links and addresses (<see cref="Kernel.IKernel"/>).</summary>
    public Kernel.IKernel Kernel
    {
        get => _kernel ?? throw new InvalidOperationException("This context has no kernel seam.");
        init => _kernel = value;
    }

    // --- OVSDB seam (Open vSwitch now; OVN Northbound/Southbound next) ---

    // --- DHCP service (dnsmasq servers, dhclient clients) ---

    private Dhcp.IDhcpService? _dhcp;
    private Func<NetNsContext, Dhcp.IDhcpService>? _dhcpOf;

    /// <summary>The DHCP service: the servers and clients NetNs started (<see cref="Dhcp.IDhcpService"/>).</summary>
    public Dhcp.IDhcpService Dhcp
    {
        get => _dhcp ??= _dhcpOf?.Invoke(this) ?? throw new InvalidOperationException("This context has no DHCP service.");
        init => _dhcp = value;
    }

    /// <summary>Builds the DHCP service over this context when it is first used (the production service needs the context's runner and kernel).</summary>
    public Func<NetNsContext, Dhcp.IDhcpService> DhcpOf { init => _dhcpOf = value; }
}
