using System.Globalization;
using NetNs.Core.Errors;

namespace NetNs.Core.Ovs;

/// <summary>The 802.1Q role of a port, as NetNs sets it.</summary>
public enum OvsVlanKind
{
    /// <summary>A normal port: no tag, no trunks, no mode (carries every VLAN).</summary>
    Untagged,
    /// <summary>An access port of one VLAN (<c>vlan_mode=access</c>, <c>tag=N</c>).</summary>
    Access,
    /// <summary>A trunk of the listed VLANs (<c>vlan_mode=trunk</c>, <c>trunks=…</c>).</summary>
    Trunk,
    /// <summary>A trunk whose native VLAN is sent and received untagged (<c>vlan_mode=native-untagged</c>, <c>tag=NATIVE</c>, <c>trunks=…</c>).</summary>
    NativeTrunk,
}

/// <summary>
/// A validated VLAN setting of an OVS port (IEEE 802.1Q VLAN ids 1–4094; 0 and 4095 are reserved and refused,
/// although OVS accepts them). Build it with <see cref="Create"/>.
/// </summary>
public sealed class OvsVlan
{
    /// <summary>Lowest usable VLAN id.</summary>
    public const int MinVlan = 1;

    /// <summary>Highest usable VLAN id (4095 is reserved by 802.1Q).</summary>
    public const int MaxVlan = 4094;

    private OvsVlan(OvsVlanKind kind, int? tag, IReadOnlyList<int> trunks)
    {
        Kind = kind;
        Tag = tag;
        Trunks = trunks;
    }

    /// <summary>The normal-port setting.</summary>
    public static OvsVlan Untagged { get; } = new(OvsVlanKind.Untagged, null, Array.Empty<int>());

    /// <summary>The role.</summary>
    public OvsVlanKind Kind { get; }

    /// <summary>Access VLAN or native VLAN; null otherwise.</summary>
    public int? Tag { get; }

    /// <summary>Trunk VLANs in the order given; empty for access and normal ports.</summary>
    public IReadOnlyList<int> Trunks { get; }

    /// <summary>The OVS <c>vlan_mode</c> value, or null for a normal port.</summary>
    public string? Mode => Kind switch
    {
        OvsVlanKind.Access => "access",
        OvsVlanKind.Trunk => "trunk",
        OvsVlanKind.NativeTrunk => "native-untagged",
        _ => null,
    };

    /// <summary>
    /// Validates and builds a setting. Give <paramref name="tag"/> alone (access), <paramref name="trunks"/> with an optional
    /// <paramref name="nativeVlan"/> (trunk), <paramref name="untagged"/> alone, or nothing (returns null: leave VLANs alone).
    /// </summary>
    /// <exception cref="NetNsException">InvalidArgument: <c>InvalidVlanTag</c>, <c>InvalidTrunk</c>, <c>DuplicateTrunkVlan</c>,
    /// <c>NativeVlanNotInTrunk</c>, <c>NativeVlanWithoutTrunk</c>, <c>ConflictingVlanParameters</c>.</exception>
    public static OvsVlan? Create(int? tag, IReadOnlyList<int>? trunks, int? nativeVlan, bool untagged, object? target = null)
    {
        var hasTrunk = trunks is not null;
        var given = (tag is not null ? 1 : 0) + (hasTrunk ? 1 : 0) + (untagged ? 1 : 0);
        if (given > 1)
            throw new NetNsException("ConflictingVlanParameters", NetNsErrorCategory.InvalidArgument,
                "Give only one of -Tag (access port), -Trunk (trunk port, with -NativeVlan for an untagged native VLAN) or -Untagged.", target);
        if (nativeVlan is not null && !hasTrunk)
            throw new NetNsException("NativeVlanWithoutTrunk", NetNsErrorCategory.InvalidArgument,
                "-NativeVlan needs -Trunk: the native VLAN must be one of the trunk's VLANs.", target);
        if (untagged) return Untagged;
        if (tag is not null)
        {
            CheckId(tag.Value, "Tag", "InvalidVlanTag", target);
            return new OvsVlan(OvsVlanKind.Access, tag, Array.Empty<int>());
        }
        if (!hasTrunk) return null;
        if (trunks!.Count == 0)
            throw new NetNsException("InvalidTrunk", NetNsErrorCategory.InvalidArgument, "-Trunk needs at least one VLAN id (1-4094).", target);
        foreach (var t in trunks) CheckId(t, "Trunk", "InvalidTrunk", target);
        var dup = trunks.GroupBy(t => t).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (dup.Count > 0)
            throw new NetNsException("DuplicateTrunkVlan", NetNsErrorCategory.InvalidArgument,
                $"-Trunk lists VLAN {string.Join(", ", dup)} more than once; give each VLAN once.", target);
        if (nativeVlan is not null)
        {
            CheckId(nativeVlan.Value, "NativeVlan", "InvalidVlanTag", target);
            if (!trunks.Contains(nativeVlan.Value))
                throw new NetNsException("NativeVlanNotInTrunk", NetNsErrorCategory.InvalidArgument,
                    $"-NativeVlan {nativeVlan} is not in -Trunk {string.Join(",", trunks)}; add it to the trunk list.", target);
            return new OvsVlan(OvsVlanKind.NativeTrunk, nativeVlan, trunks.ToArray());
        }
        return new OvsVlan(OvsVlanKind.Trunk, null, trunks.ToArray());
    }

    /// <summary>Throws <paramref name="errorId"/> (InvalidArgument) unless <paramref name="id"/> is 1–4094.</summary>
    public static void CheckId(int id, string parameter, string errorId, object? target = null)
    {
        if (id < MinVlan || id > MaxVlan)
            throw new NetNsException(errorId, NetNsErrorCategory.InvalidArgument,
                $"VLAN id {id} for -{parameter} is out of range: use 1-4094 (0 means 'no VLAN' and 4095 is reserved by IEEE 802.1Q).", target ?? id);
    }

    /// <summary>The Port column settings for <c>add-port BR PORT col=value…</c>; empty for a normal port.</summary>
    public IReadOnlyList<string> ColumnSettings()
    {
        var a = new List<string>();
        if (Tag is not null) a.Add("tag=" + Tag.Value.ToString(CultureInfo.InvariantCulture));
        if (Trunks.Count > 0) a.Add("trunks=" + TrunkText);
        if (Mode is not null) a.Add("vlan_mode=" + Mode);
        return a;
    }

    /// <summary>The trunk list as OVS writes it: <c>10,20,30</c>.</summary>
    public string TrunkText => string.Join(",", Trunks.Select(t => t.ToString(CultureInfo.InvariantCulture)));

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        OvsVlanKind.Access => $"access VLAN {Tag}",
        OvsVlanKind.Trunk => $"trunk {TrunkText}",
        OvsVlanKind.NativeTrunk => $"trunk {TrunkText}, native VLAN {Tag} untagged",
        _ => "untagged (normal port)",
    };
}
