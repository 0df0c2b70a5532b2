namespace NetNs.Core.Lab;

/// <summary>A lab known to this machine (from its record under /run/netns-ps/labs).</summary>
public sealed class NetLab
{
    /// <summary>Creates a lab summary.</summary>
    public NetLab(string name, string status, int pid, DateTime created, int namespaces, int bridges, int links, string? ovsSocket, string switchNamespace, string recordPath, LabDefinition definition)
    {
        Name = name; Status = status; Pid = pid; Created = created; Namespaces = namespaces; Bridges = bridges; Links = links;
        OvsSocket = ovsSocket; SwitchNamespace = switchNamespace; RecordPath = recordPath; Definition = definition;
    }

    /// <summary>Lab name.</summary>
    public string Name { get; }
    /// <summary>Active (creator running), Building (creator still building), Stale (creator gone: a sweep removes it).</summary>
    public string Status { get; }
    /// <summary>Pid of the creating process.</summary>
    public int Pid { get; }
    /// <summary>When the build started (UTC).</summary>
    public DateTime Created { get; }
    /// <summary>Number of namespaces.</summary>
    public int Namespaces { get; }
    /// <summary>Number of bridges.</summary>
    public int Bridges { get; }
    /// <summary>Number of veth links.</summary>
    public int Links { get; }
    /// <summary>The ovsdb socket of the lab's bridges; null for the system one.</summary>
    public string? OvsSocket { get; }
    /// <summary>The namespace of the Open vSwitch daemon; "" for the root namespace.</summary>
    public string SwitchNamespace { get; }
    /// <summary>Path of the lab's record.</summary>
    public string RecordPath { get; }
    /// <summary>The definition the lab was built from.</summary>
    public LabDefinition Definition { get; }
}

/// <summary>One live object of a lab (Get-NetLabState).</summary>
public sealed class NetLabObject
{
    /// <summary>Creates an object row.</summary>
    public NetLabObject(string lab, string kind, string @namespace, string name, string? peerNamespace, string? peerName, string? bridge, int? tag, IReadOnlyList<int> trunk, int? mtu, IReadOnlyList<string> addresses, bool exists, string? detail)
    {
        Lab = lab; Kind = kind; Namespace = @namespace; Name = name; PeerNamespace = peerNamespace; PeerName = peerName; Bridge = bridge;
        Tag = tag; Trunk = trunk; Mtu = mtu; Addresses = addresses; Exists = exists; Detail = detail;
    }

    /// <summary>Lab name.</summary>
    public string Lab { get; }
    /// <summary>Namespace, Bridge or Link.</summary>
    public string Kind { get; }
    /// <summary>Namespace of the object ("" for bridges and root objects).</summary>
    public string Namespace { get; }
    /// <summary>Name of the namespace, bridge or link (end A).</summary>
    public string Name { get; }
    /// <summary>Namespace of end B of a link (the switch namespace for a bridge port).</summary>
    public string? PeerNamespace { get; }
    /// <summary>Name of end B of a link.</summary>
    public string? PeerName { get; }
    /// <summary>Bridge of a bridge link.</summary>
    public string? Bridge { get; }
    /// <summary>Access VLAN tag of the port.</summary>
    public int? Tag { get; }
    /// <summary>Trunk VLANs of the port.</summary>
    public IReadOnlyList<int> Trunk { get; }
    /// <summary>MTU in bytes.</summary>
    public int? Mtu { get; }
    /// <summary>Addresses (CIDR) of end A (and of end B after a '|', for namespace-to-namespace links).</summary>
    public IReadOnlyList<string> Addresses { get; }
    /// <summary>True when the object exists now.</summary>
    public bool Exists { get; }
    /// <summary>Extra information (datapath type, state).</summary>
    public string? Detail { get; }
}

/// <summary>One difference between a definition and the live lab (Compare-NetLab).</summary>
public sealed class NetLabDifference
{
    /// <summary>Creates a difference.</summary>
    public NetLabDifference(string lab, string kind, string name, string status, string? property, string? expected, string? actual)
    {
        Lab = lab; Kind = kind; Name = name; Status = status; Property = property; Expected = expected; Actual = actual;
    }

    /// <summary>Lab name.</summary>
    public string Lab { get; }
    /// <summary>Namespace, Bridge, Link or Dhcp.</summary>
    public string Kind { get; }
    /// <summary>The object ("ns/name" for links).</summary>
    public string Name { get; }
    /// <summary>Missing (defined, not live), Extra (live, not defined) or Different.</summary>
    public string Status { get; }
    /// <summary>The property that differs, for Different.</summary>
    public string? Property { get; }
    /// <summary>The defined value.</summary>
    public string? Expected { get; }
    /// <summary>The live value.</summary>
    public string? Actual { get; }
}

/// <summary>One cell of a connectivity matrix (Test-NetLabConnectivity).</summary>
public sealed class NetLabPing
{
    /// <summary>Creates a cell.</summary>
    public NetLabPing(string lab, string source, string destination, string address, bool reachable, bool? expected, double? rttMs)
    {
        Lab = lab; Source = source; Destination = destination; Address = address; Reachable = reachable; Expected = expected; RttMs = rttMs;
    }

    /// <summary>Lab name.</summary>
    public string Lab { get; }
    /// <summary>Namespace the ping ran in.</summary>
    public string Source { get; }
    /// <summary>Namespace owning the address.</summary>
    public string Destination { get; }
    /// <summary>The address pinged.</summary>
    public string Address { get; }
    /// <summary>True when a reply came back.</summary>
    public bool Reachable { get; }
    /// <summary>The expected outcome, when an expectation was given.</summary>
    public bool? Expected { get; }
    /// <summary>True when an expectation was given and the outcome differs.</summary>
    public bool Differs => Expected is { } e && e != Reachable;
    /// <summary>Round-trip time in milliseconds, when reachable.</summary>
    public double? RttMs { get; }
}

/// <summary>An object removed by a sweep (Clear-NetLab).</summary>
public sealed class NetLabSweepItem
{
    /// <summary>Creates an item.</summary>
    public NetLabSweepItem(string lab, string kind, string @namespace, string name, string reason)
    {
        Lab = lab; Kind = kind; Namespace = @namespace; Name = name; Reason = reason;
    }

    /// <summary>The lab named by the owner mark.</summary>
    public string Lab { get; }
    /// <summary>Lab (a whole lab from its record), Namespace, Link, Bridge or Port.</summary>
    public string Kind { get; }
    /// <summary>Namespace of a link ("" for the root namespace).</summary>
    public string Namespace { get; }
    /// <summary>Object name.</summary>
    public string Name { get; }
    /// <summary>Why it was stale: "creator gone" or "no lab record".</summary>
    public string Reason { get; }
}
