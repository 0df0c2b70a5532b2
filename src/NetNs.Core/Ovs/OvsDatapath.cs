namespace NetNs.Core.Ovs;

/// <summary>Which datapath a new bridge uses (New-OvsBridge -DatapathType, and the bridges of a lab definition).</summary>
public enum OvsDatapathType
{
    /// <summary>The kernel datapath when the <c>openvswitch</c> module is loaded (/sys/module/openvswitch), else netdev.</summary>
    Auto,
    /// <summary>The kernel datapath (<c>datapath_type=system</c>); needs the openvswitch kernel module.</summary>
    System,
    /// <summary>The userspace datapath in ovs-vswitchd (<c>datapath_type=netdev</c>); works without the kernel module.</summary>
    Netdev,
}

/// <summary>The choice of a bridge's datapath.</summary>
internal static class OvsDatapath
{
    /// <summary>True when the openvswitch kernel module is loaded.</summary>
    public static bool KernelModuleLoaded => Directory.Exists("/sys/module/openvswitch");

    /// <summary>Picks the datapath: Auto means <c>system</c> with the kernel module, else <c>netdev</c>. <paramref name="reason"/> says why.</summary>
    public static string Resolve(OvsDatapathType type, out string reason)
    {
        switch (type)
        {
            case OvsDatapathType.System:
                reason = "datapath 'system' (kernel) as requested";
                return "system";
            case OvsDatapathType.Netdev:
                reason = "datapath 'netdev' (userspace) as requested";
                return "netdev";
            default:
                if (KernelModuleLoaded)
                {
                    reason = "datapath 'system' (kernel): /sys/module/openvswitch exists";
                    return "system";
                }
                reason = "datapath 'netdev' (userspace in ovs-vswitchd): the openvswitch kernel module is not loaded (no /sys/module/openvswitch)";
                return "netdev";
        }
    }

    /// <summary>The <see cref="OvsDatapathType"/> of a bridge's <c>datapath_type</c> column (empty means <c>system</c>).</summary>
    public static OvsDatapathType FromColumn(string datapathType) => datapathType == "netdev" ? OvsDatapathType.Netdev : OvsDatapathType.System;

    /// <summary>
    /// The hint of a bridge ovs-vswitchd could not set up: a host without the kernel module has ONE userspace datapath, which
    /// another instance may own (its tap 'ovs-netdev' exists).
    /// </summary>
    public static string FailureHint(string datapathType) =>
        datapathType == "netdev" && Directory.Exists("/sys/class/net/ovs-netdev")
            ? " Without the openvswitch kernel module a host has ONE userspace datapath, and another Open vSwitch instance owns it (interface 'ovs-netdev' exists): remove that instance's netdev bridges, or point NetNs at it with Set-OvsConnection."
            : " See the ovs-vswitchd log.";
}
