namespace NetNs.Core.Ovs;

/// <summary>
/// Builders of RFC 7047 values and operations, for any schema: conditions, atoms (<c>["uuid",U]</c>, <c>["named-uuid",N]</c>),
/// sets, maps, and the <c>select</c>, <c>insert</c>, <c>update</c>, <c>mutate</c>, <c>wait</c> and <c>comment</c> operations
/// (section 5.2). The objects serialise with System.Text.Json to the wire format.
/// </summary>
internal static class OvsDbOps
{
    /// <summary>No condition: every row of the table.</summary>
    public static readonly object[] All = Array.Empty<object>();

    /// <summary>One <c>[column, "==", value]</c> condition.</summary>
    public static object[] Where(string column, object value) => new object[] { new object[] { column, "==", value } };

    /// <summary>A uuid atom.</summary>
    public static object[] Uuid(string uuid) => new object[] { "uuid", uuid };

    /// <summary>A reference to a row inserted earlier in the same transaction.</summary>
    public static object[] NamedUuid(string name) => new object[] { "named-uuid", name };

    /// <summary>A set of atoms (<c>["set",[…]]</c>); empty means "no value" for an optional column.</summary>
    public static object[] Set(IEnumerable<object> atoms) => new object[] { "set", atoms.ToArray() };

    /// <summary>The empty set.</summary>
    public static object[] EmptySet => Set(Array.Empty<object>());

    /// <summary>A string-to-string map (<c>["map",[[k,v],…]]</c>).</summary>
    public static object[] Map(IEnumerable<KeyValuePair<string, string>> pairs) =>
        new object[] { "map", pairs.Select(p => (object)new object[] { p.Key, p.Value }).ToArray() };

    /// <summary>A <c>select</c> of <paramref name="columns"/> from the rows of <paramref name="table"/> matching <paramref name="where"/>.</summary>
    public static object Select(string table, object[] where, IEnumerable<string> columns) => new Dictionary<string, object>
    {
        ["op"] = "select", ["table"] = table, ["where"] = where, ["columns"] = columns.ToArray(),
    };

    /// <summary>An <c>insert</c> of <paramref name="row"/>, named <paramref name="uuidName"/> for references later in the transaction.</summary>
    public static object Insert(string table, IDictionary<string, object> row, string? uuidName = null)
    {
        var op = new Dictionary<string, object> { ["op"] = "insert", ["table"] = table, ["row"] = row };
        if (uuidName is not null) op["uuid-name"] = uuidName;
        return op;
    }

    /// <summary>An <c>update</c> of the columns in <paramref name="row"/> of the matching rows.</summary>
    public static object Update(string table, object[] where, IDictionary<string, object> row) => new Dictionary<string, object>
    {
        ["op"] = "update", ["table"] = table, ["where"] = where, ["row"] = row,
    };

    /// <summary>A <c>mutate</c> of the matching rows: <c>[column, mutator, value]</c> (<c>insert</c>/<c>delete</c> on sets, <c>+=</c> on integers).</summary>
    public static object Mutate(string table, object[] where, string column, string mutator, object value) => new Dictionary<string, object>
    {
        ["op"] = "mutate", ["table"] = table, ["where"] = where, ["mutations"] = new object[] { new object[] { column, mutator, value } },
    };

    /// <summary>A <c>wait</c> with timeout 0: the transaction is aborted at once unless a row of <paramref name="table"/> has <paramref name="column"/> = <paramref name="value"/>.</summary>
    public static object WaitForRow(string table, string column, string value) => new Dictionary<string, object>
    {
        ["op"] = "wait", ["timeout"] = 0, ["table"] = table, ["where"] = Where(column, value),
        ["columns"] = new[] { column }, ["until"] = "==",
        ["rows"] = new object[] { new Dictionary<string, object> { [column] = value } },
    };

    /// <summary>A <c>comment</c> for the database log.</summary>
    public static object Comment(string text) => new Dictionary<string, object> { ["op"] = "comment", ["comment"] = text };
}
