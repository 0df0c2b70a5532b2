using NetNs.Core.Errors;
using NetNs.Core.Ovs;
using Xunit;

namespace NetNs.Tests;

public class OvsVlanTests
{
    private static void Refused(string errorId, Func<object?> f)
    {
        var ex = Assert.Throws<NetNsException>(f);
        Assert.Equal(errorId, ex.ErrorId);
        Assert.Equal(NetNsErrorCategory.InvalidArgument, ex.Category);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    [InlineData(4094)]
    public void Access_accepts_1_to_4094(int tag)
    {
        var v = OvsVlan.Create(tag, null, null, false)!;
        Assert.Equal(OvsVlanKind.Access, v.Kind);
        Assert.Equal(tag, v.Tag);
        Assert.Equal("access", v.Mode);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4095)]
    [InlineData(4096)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public void Access_refuses_reserved_and_out_of_range(int tag) => Refused("InvalidVlanTag", () => OvsVlan.Create(tag, null, null, false));

    [Fact]
    public void Trunk_keeps_order_given()
    {
        var v = OvsVlan.Create(null, new[] { 30, 10, 20 }, null, false)!;
        Assert.Equal(OvsVlanKind.Trunk, v.Kind);
        Assert.Null(v.Tag);
        Assert.Equal("30,10,20", v.TrunkText);
        Assert.Equal(new[] { "trunks=30,10,20", "vlan_mode=trunk" }, v.ColumnSettings());
    }

    [Fact]
    public void Native_trunk()
    {
        var v = OvsVlan.Create(null, new[] { 10, 20 }, 10, false)!;
        Assert.Equal(OvsVlanKind.NativeTrunk, v.Kind);
        Assert.Equal(10, v.Tag);
        Assert.Equal("native-untagged", v.Mode);
    }

    [Fact]
    public void Trunk_refuses_duplicates() => Refused("DuplicateTrunkVlan", () => OvsVlan.Create(null, new[] { 10, 20, 10 }, null, false));

    [Theory]
    [InlineData(0)]
    [InlineData(4095)]
    [InlineData(-5)]
    public void Trunk_refuses_out_of_range(int bad) => Refused("InvalidTrunk", () => OvsVlan.Create(null, new[] { 10, bad }, null, false));

    [Fact]
    public void Trunk_refuses_empty_list() => Refused("InvalidTrunk", () => OvsVlan.Create(null, Array.Empty<int>(), null, false));

    [Fact]
    public void Native_must_be_in_trunk() => Refused("NativeVlanNotInTrunk", () => OvsVlan.Create(null, new[] { 10, 20 }, 30, false));

    [Fact]
    public void Native_out_of_range() => Refused("InvalidVlanTag", () => OvsVlan.Create(null, new[] { 10, 20 }, 4095, false));

    [Fact]
    public void Native_needs_trunk() => Refused("NativeVlanWithoutTrunk", () => OvsVlan.Create(null, null, 10, false));

    [Fact]
    public void Tag_and_trunk_conflict() => Refused("ConflictingVlanParameters", () => OvsVlan.Create(10, new[] { 10 }, null, false));

    [Fact]
    public void Untagged_and_tag_conflict() => Refused("ConflictingVlanParameters", () => OvsVlan.Create(10, null, null, true));

    [Fact]
    public void Nothing_given_means_leave_alone() => Assert.Null(OvsVlan.Create(null, null, null, false));

    [Fact]
    public void Untagged_has_no_settings()
    {
        var v = OvsVlan.Create(null, null, null, true)!;
        Assert.Same(OvsVlan.Untagged, v);
        Assert.Null(v.Mode);
        Assert.Empty(v.ColumnSettings());
    }
}
