using NetNs.Core.Context;
using NetNs.Core.Errors;
using NetNs.Core.Ovs;
using NetNs.Core.Process;

namespace NetNs.Core.Ip;

/// <summary>
/// The calls the Open vSwitch code still makes by their old names, forwarded to the kernel operations (<see cref="LinkOps"/>,
/// <see cref="LinkId"/>, <see cref="KernelOps"/>) over the production context. Only the OVS code uses it; it goes once
/// that code is given the context.
/// </summary>
internal sealed class IpClient
{
    private readonly LinkOps _links;

    /// <summary>Creates the façade over a production context with <paramref name="runner"/>'s trace.</summary>
    public IpClient(IToolRunner runner, CancellationToken cancellationToken = default) =>
        _links = new LinkOps(NetNsContext.Production(OvsConnection.Current, cancellationToken, runner.CommandStarting));

    private static LinkOps Production() => new(NetNsContext.Production(OvsConnection.Current, CancellationToken.None));

    /// <summary>See <see cref="LinkOps.Exists"/>.</summary>
    public bool LinkExists(string @namespace, string name) => _links.Exists(@namespace, name);

    /// <summary>See <see cref="LinkOps.NamespacesHolding"/>.</summary>
    public static List<string> NamespacesHoldingLink(string name, string except = "") => Production().NamespacesHolding(name, except);

    /// <summary>See <see cref="KernelOps.RequireNamespace"/>.</summary>
    public static void RequireNamespace(string @namespace, string parameter = "Namespace") => Production().RequireNamespace(@namespace, parameter);

    /// <summary>See <see cref="KernelOps.LinkNotFound"/>.</summary>
    public static NetNsException LinkNotFound(string @namespace, string name) => KernelOps.LinkNotFound(new LinkId(@namespace, name));

    /// <summary>See <see cref="LinkId.Describe"/>.</summary>
    public static string Describe(string @namespace) => LinkId.Describe(@namespace);

    /// <summary>See <see cref="LinkId.Target"/>.</summary>
    public static string Target(string @namespace, string name) => new LinkId(@namespace, name).Target;
}
