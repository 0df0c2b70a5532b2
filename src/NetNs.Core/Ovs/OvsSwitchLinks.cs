using NetNs.Core.Errors;
using NetNs.Core.Netlink;

namespace NetNs.Core.Ovs;

/// <summary>The links of the namespace ovs-vswitchd runs in, as the OVS operations need them (rtnetlink, in process).</summary>
internal static class OvsSwitchLinks
{
    /// <summary>
    /// Which of <paramref name="links"/> (in <paramref name="switchNamespace"/>) are veth ends whose peer is in one of
    /// <paramref name="namespaces"/>, with that namespace: on one thread in the switch namespace, the namespaces' netns ids
    /// and one RTM_GETLINK dump. Best effort: empty when the namespaces cannot be read.
    /// </summary>
    public static List<(string Namespace, string Link)> VethPeersIn(string switchNamespace, IReadOnlySet<string> links, IReadOnlyCollection<string> namespaces)
    {
        var handles = new List<(string Namespace, Microsoft.Win32.SafeHandles.SafeFileHandle Handle)>();
        try
        {
            foreach (var n in namespaces)
            {
                try { handles.Add((n, Rtnl.OpenNamespace(n))); }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NetNsException) { }
            }
            return Rtnl.In(switchNamespace, s =>
            {
                var ids = new Dictionary<int, string>();
                foreach (var (n, h) in handles)
                {
                    try
                    {
                        if (RtnlMessages.ParseNsId(s.Query(RtnlMessages.GetNsId(s.NextSeq(), (int)h.DangerousGetHandle()), RtnlMessages.RtmNewNsId)) is { } id and >= 0)
                            ids[id] = n;
                    }
                    catch (RtnlException) { }
                }
                if (ids.Count == 0) return new List<(string Namespace, string Link)>();
                return s.Dump(RtnlMessages.GetLinks(s.NextSeq()), RtnlMessages.RtmNewLink)
                    .Select(m => RtnlMessages.ParseLink(m))
                    .Where(l => l is { Kind: "veth", LinkNetnsId: { } peerNs } && ids.ContainsKey(peerNs) && links.Contains(l.Name))
                    .Select(l => (ids[l!.LinkNetnsId!.Value], l.Name)).ToList();
            });
        }
        catch (Exception ex) when (ex is RtnlException or NetNsException or IOException or UnauthorizedAccessException)
        {
            return new List<(string Namespace, string Link)>();
        }
        finally
        {
            foreach (var (_, h) in handles) h.Dispose();
        }
    }
}
