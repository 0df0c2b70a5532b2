namespace NetNs.Core.Models;

/// <summary>An Open vSwitch bridge (a row of the OVSDB <c>Bridge</c> table, as <c>ovs-vsctl show</c> lists it).</summary>
public sealed class OvsBridge
{
    /// <summary>Creates the object.</summary>
    public OvsBridge(string name, string datapathType, IReadOnlyList<string> ports, string? failMode, string database, bool exists = true)
    {
        Name = name;
        DatapathType = datapathType;
        Ports = ports;
        FailMode = failMode;
        Database = database;
        Exists = exists;
    }

    /// <summary>Bridge name (also the name of its internal interface).</summary>
    public string Name { get; }

    /// <summary>Datapath: <c>system</c> (the kernel module) or <c>netdev</c> (userspace datapath in ovs-vswitchd).</summary>
    public string DatapathType { get; }

    /// <summary>Names of the bridge's ports, sorted, without the bridge's own internal port (like <c>ovs-vsctl list-ports</c>).</summary>
    public IReadOnlyList<string> Ports { get; }

    /// <summary><c>standalone</c> or <c>secure</c>; null when unset (OVS then behaves as standalone).</summary>
    public string? FailMode { get; }

    /// <summary>The ovsdb remote the bridge lives in (e.g. <c>unix:/var/run/openvswitch/db.sock</c>).</summary>
    public string Database { get; }

    /// <summary>False only for the object passed on under -WhatIf (nothing was created).</summary>
    public bool Exists { get; }

    /// <inheritdoc />
    public override string ToString() => Name;
}
