using System.Runtime.InteropServices;
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
        var tmp = path + ".tmp-" + Environment.ProcessId + "-" + Guid.NewGuid().ToString("N");
        using (var fs = new FileStream(tmp, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite }))
            JsonSerializer.Serialize(fs, record, LabStoreJson.Default.LabRecord);
        File.Move(tmp, path, overwrite: true);
    }

    [DllImport("libc", EntryPoint = "link", SetLastError = true)]
    private static extern int Link(string oldPath, string newPath);

    private const int EEXIST = 17;

    /// <summary>
    /// Creates a lab's first record exclusively and returns false when a record of that name exists already. The name
    /// is claimed atomically: the complete record is written to a temp file and hard-linked to its name (link(2) fails
    /// with EEXIST when the name is taken), so of two processes building the same lab name at once exactly one goes on,
    /// and a reader never sees a half-written record. (File.Move without overwrite is not atomic: it checks, then renames.)
    /// </summary>
    public static bool TryClaim(LabRecord record)
    {
        EnsureDirectory();
        var path = PathOf(record.Name);
        var tmp = path + ".tmp-" + Environment.ProcessId + "-" + Guid.NewGuid().ToString("N");
        try
        {
            using (var fs = new FileStream(tmp, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite }))
                JsonSerializer.Serialize(fs, record, LabStoreJson.Default.LabRecord);
            if (Link(tmp, path) == 0) return true;
            var errno = Marshal.GetLastPInvokeError();
            if (errno == EEXIST) return false;
            throw new NetNsException("LabStoreFailed", NetNsErrorCategory.InvalidOperation,
                $"Cannot create the lab record '{path}': {Marshal.GetPInvokeErrorMessage(errno)}.", path);
        }
        finally { File.Delete(tmp); }
    }

    /// <summary>Reads one record, or null when there is none. An unreadable one is <c>LabRecordCorrupt</c> naming the file.</summary>
    public static LabRecord? Load(string name)
    {
        var path = PathOf(name);
        return LoadPath(path);
    }

    /// <summary>
    /// The error of a record that cannot be read (truncated, not JSON, not a record): <c>LabRecordCorrupt</c>
    /// (InvalidResult), the file as target.
    /// </summary>
    public static NetNsException Corrupt(string path, string why) =>
        new("LabRecordCorrupt", NetNsErrorCategory.InvalidResult,
            $"The lab record '{path}' cannot be read ({why}). Clear-NetLab removes it and sweeps the lab's objects by their owner marks.", path);

    /// <summary>The lab name of a record file (its name without <c>.json</c>).</summary>
    public static string NameOfPath(string path) => Path.GetFileNameWithoutExtension(path);

    private static LabRecord? LoadPath(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) return null;
        if (info.LinkTarget is not null) throw Unsafe(path, "is a symbolic link");
        LabRecord? r;
        try { r = JsonSerializer.Deserialize(File.ReadAllText(path), LabStoreJson.Default.LabRecord); }
        catch (JsonException ex) { throw Corrupt(path, ex.Message.Split('\n')[0].TrimEnd('.')); }
        catch (FileNotFoundException) { return null; }
        if (r is null || r.Name != NameOfPath(path) || r.Definition.ValueKind != JsonValueKind.Object)
            throw Corrupt(path, r is null ? "empty" : r.Name != NameOfPath(path) ? $"it names lab '{r.Name}'" : "no definition");
        return r;
    }

    /// <summary>Every readable record; the errors of the others (unsafe, corrupt) go to <paramref name="problems"/>.</summary>
    public static List<LabRecord> LoadAll(List<NetNsException>? problems = null)
    {
        var dir = Directory;
        if (!System.IO.Directory.Exists(dir)) return new List<LabRecord>();
        return System.IO.Directory.EnumerateFiles(dir, "*.json").Order(StringComparer.Ordinal)
            .Select(p => { try { return LoadPath(p); } catch (NetNsException ex) { problems?.Add(ex); return null; } })
            .Where(r => r is not null).Select(r => r!).ToList();
    }

    /// <summary>
    /// Deletes the temp files of records (<c>NAME.json.tmp-PID-*</c>) whose writing process is gone (killed between
    /// writing and renaming), of labs matching <paramref name="labFilter"/>.
    /// </summary>
    public static void RemoveStaleTempFiles(Func<string, bool>? labFilter = null)
    {
        var dir = Directory;
        if (!System.IO.Directory.Exists(dir)) return;
        foreach (var p in System.IO.Directory.EnumerateFiles(dir, "*.json.tmp-*"))
        {
            var file = Path.GetFileName(p);
            var at = file.LastIndexOf(".json.tmp-", StringComparison.Ordinal);
            var rest = file[(at + ".json.tmp-".Length)..].Split('-')[0];
            if (!int.TryParse(rest, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid) || Signals.Alive(pid)) continue;
            if (!(labFilter?.Invoke(file[..at]) ?? true)) continue;
            try { File.Delete(p); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
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
