using System.Text.Json;
using System.Text.Json.Serialization;
using NetNs.Core.Errors;
using NetNs.Core.Native;

// NetNs runs on Linux only; the Unix file-mode APIs below are what keeps the run directory private.
#pragma warning disable CA1416

namespace NetNs.Core.Lab;

/// <summary>The on-disk record of a lab: what it owns and who created it (run directory, JSON).</summary>
public sealed class LabRecord
{
    /// <summary>Lab name.</summary>
    public string Name { get; set; } = "";
    /// <summary>"Building" while the builder runs, "Complete" afterwards.</summary>
    public string State { get; set; } = "Building";
    /// <summary>Pid of the creating process.</summary>
    public int Pid { get; set; }
    /// <summary>Start time of the creating process in clock ticks since boot (/proc/PID/stat field 22), against pid reuse.</summary>
    public long PidStartTime { get; set; }
    /// <summary>When the build started (UTC).</summary>
    public DateTime Created { get; set; }
    /// <summary>The ovsdb socket the lab's bridges live in; null for the system one.</summary>
    public string? OvsSocket { get; set; }
    /// <summary>The namespace the Open vSwitch daemon (and so the bridge-port veth ends) lives in; "" for the root namespace.</summary>
    public string SwitchNamespace { get; set; } = "";
    /// <summary>The resolved datapath ("system"/"netdev") of each bridge.</summary>
    public Dictionary<string, string> Datapaths { get; set; } = new();
    /// <summary>The definition the lab was built from (normalised JSON tree).</summary>
    public JsonElement Definition { get; set; }
}

/// <summary>
/// The serializer of <see cref="LabRecord"/>, generated at compile time (no reflection: the first record read by a new
/// pwsh, e.g. Remove-NetLab's, costs no serializer warm-up).
/// </summary>
[JsonSourceGenerationOptions(WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(LabRecord))]
internal sealed partial class LabStoreJson : JsonSerializerContext
{
}

/// <summary>
/// Lab records under <c>/run/netns-ps/labs/NAME.json</c>: directory mode 0700, files 0600, symbolic links refused,
/// written atomically (temp file + rename). ErrorIds: <c>LabStoreUnsafe</c> (SecurityError-like: PermissionDenied).
/// </summary>
internal static class LabStore
{
    /// <summary>The directory; overridable with the environment variable <c>NETNS_LAB_DIR</c> (tests).</summary>
    public static string Directory => Environment.GetEnvironmentVariable("NETNS_LAB_DIR") is { Length: > 0 } d ? d : "/run/netns-ps/labs";


    private static void EnsureDirectory()
    {
        var dir = Directory;
        RunDirectory.EnsurePrivateDirectory(Path.GetDirectoryName(dir)!, Unsafe);
        RunDirectory.EnsurePrivateDirectory(dir, Unsafe);
    }

    private static NetNsException Unsafe(string path, string why) =>
        new("LabStoreUnsafe", NetNsErrorCategory.PermissionDenied, $"Refusing to use '{path}': it {why}. Remove it and retry.", path) { IsFatal = true };

    /// <summary>Path of a lab's record.</summary>
    public static string PathOf(string name) => Path.Combine(Directory, LabValidator.LabName(name) + ".json");

    /// <summary>Writes a record (0600, atomically).</summary>
    public static void Save(LabRecord record)
    {
        EnsureDirectory();
        var path = PathOf(record.Name);
        if (new FileInfo(path).LinkTarget is not null) throw Unsafe(path, "is a symbolic link");
        var tmp = path + ".tmp-" + Environment.ProcessId;
        File.Delete(tmp);
        using (var fs = new FileStream(tmp, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite }))
            JsonSerializer.Serialize(fs, record, LabStoreJson.Default.LabRecord);
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>Reads one record, or null when there is none (or it is unreadable).</summary>
    public static LabRecord? Load(string name)
    {
        var path = PathOf(name);
        return LoadPath(path);
    }

    private static LabRecord? LoadPath(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) return null;
        if (info.LinkTarget is not null) throw Unsafe(path, "is a symbolic link");
        try { return JsonSerializer.Deserialize(File.ReadAllText(path), LabStoreJson.Default.LabRecord); }
        catch (JsonException) { return null; }
    }

    /// <summary>Every readable record.</summary>
    public static List<LabRecord> LoadAll()
    {
        var dir = Directory;
        if (!System.IO.Directory.Exists(dir)) return new List<LabRecord>();
        return System.IO.Directory.EnumerateFiles(dir, "*.json").Order(StringComparer.Ordinal)
            .Select(p => { try { return LoadPath(p); } catch (NetNsException) { return null; } })
            .Where(r => r is not null).Select(r => r!).ToList();
    }

    /// <summary>Deletes a record (no error when absent).</summary>
    public static void Delete(string name)
    {
        var path = PathOf(name);
        if (File.Exists(path) || new FileInfo(path).LinkTarget is not null) File.Delete(path);
    }

    /// <summary>The start time (clock ticks since boot) of a process, or null when it does not exist.</summary>
    public static long? ProcessStartTime(int pid) => ProcStat.Read(pid)?.StartTime;

    /// <summary>True when the process that created the lab still runs (same pid and start time).</summary>
    public static bool CreatorAlive(LabRecord r) =>
        r.Pid > 0 && Signals.Alive(r.Pid) && ProcessStartTime(r.Pid) is { } st && (r.PidStartTime == 0 || st == r.PidStartTime);
}
