using NetNs.Core.Context;
using NetNs.Core.Errors;
using NetNs.Core.Kernel;
using NetNs.Core.Process;
using NetNs.Core.Validation;

namespace NetNs.Core.Ip;

/// <summary>
/// What the core operations on namespaces, links and addresses share: the context (its kernel seam, runner, trace and
/// cancellation), the namespace checks and the errors for missing objects.
/// </summary>
internal abstract class KernelOps
{
    /// <summary>Creates the operations over <paramref name="context"/>.</summary>
    protected KernelOps(NetNsContext context) => Context = context;

    /// <summary>The context.</summary>
    protected NetNsContext Context { get; }

    /// <summary>The kernel seam.</summary>
    protected IKernel Kernel => Context.Kernel;

    /// <summary>Writes the equivalent command line of an in-process rtnetlink request to the trace.</summary>
    protected void Announce(ToolCommand equivalent, string how = InProcess.Rtnetlink) => Context.Trace(InProcess.Line(equivalent, how));

    /// <summary>
    /// Makes one change in process: announces <paramref name="equivalent"/>, sends <paramref name="request"/> through a
    /// handle on <paramref name="namespace"/>, and turns a refusal into the error <paramref name="refused"/> makes.
    /// </summary>
    protected void Send(string @namespace, ToolCommand equivalent, Action<IKernelHandle> request, Func<Netlink.RtnlException, NetNsException> refused)
    {
        Announce(equivalent);
        try
        {
            using var h = Kernel.At(@namespace);
            request(h);
        }
        catch (Netlink.RtnlException ex)
        {
            throw refused(ex);
        }
    }

    /// <summary>Throws <c>NamespaceNotFound</c> (ObjectNotFound) unless <paramref name="namespace"/> is "" or exists.</summary>
    public void RequireNamespace(string @namespace, string parameter = "Namespace") => Require(Kernel, @namespace, parameter);

    /// <summary>Throws <c>NamespaceNotFound</c> (ObjectNotFound) unless <paramref name="namespace"/> is "" or exists in <paramref name="kernel"/>.</summary>
    public static void Require(IKernel kernel, string @namespace, string parameter = "Namespace")
    {
        if (string.IsNullOrEmpty(@namespace)) return;
        Validate.NamespaceName(@namespace, parameter);
        if (!kernel.NamespaceExists(@namespace))
            throw new NetNsException("NamespaceNotFound", NetNsErrorCategory.ObjectNotFound,
                $"Namespace '{@namespace}' (-{parameter}) does not exist. Create it with New-NetNamespace, or list namespaces with Get-NetNamespace.", @namespace);
    }

    /// <summary>The error for a missing link.</summary>
    public static NetNsException LinkNotFound(LinkId link) =>
        new("LinkNotFound", NetNsErrorCategory.ObjectNotFound, $"Link '{link.Name}' does not exist in {link.Where}. List links with Get-NetLink{(link.Namespace.Length == 0 ? "" : " -Namespace " + link.Namespace)}.", link.Target);
}
