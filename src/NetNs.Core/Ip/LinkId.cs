namespace NetNs.Core.Ip;

/// <summary>
/// The identity of an interface: (namespace, name), "" being the root namespace. Gives the forms every message and
/// error target uses: <see cref="Target"/> ("ns/name" or "name") and <see cref="Where"/> ("namespace 'ns'" or "the root
/// namespace").
/// </summary>
internal readonly record struct LinkId(string Namespace, string Name)
{
    /// <summary>The error target and ShouldProcess target: "ns/name", or "name" in the root namespace.</summary>
    public string Target => Namespace.Length == 0 ? Name : Namespace + "/" + Name;

    /// <summary>Where the link is, for messages: "namespace 'ns'" or "the root namespace".</summary>
    public string Where => Describe(Namespace);

    /// <summary>"namespace 'x'" or "the root namespace".</summary>
    public static string Describe(string @namespace) => string.IsNullOrEmpty(@namespace) ? "the root namespace" : $"namespace '{@namespace}'";

    /// <inheritdoc />
    public override string ToString() => Target;
}
