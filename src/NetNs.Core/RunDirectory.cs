using NetNs.Core.Errors;

#pragma warning disable CA1416 // NetNs runs on Linux only

namespace NetNs.Core;

/// <summary>
/// The module's run directory (<c>/run/netns-ps</c>): state NetNs owns, such as the pid, lease and log files of
/// the DHCP servers and clients it starts. Directories are mode 0700 and files 0600, owned by root. A symbolic
/// link planted where NetNs writes is refused (ErrorId <c>UnsafeRunPath</c>, PermissionDenied), never followed.
/// </summary>
internal static class RunDirectory
{
    /// <summary>Mode of every directory NetNs creates here (0700).</summary>
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Mode of every data file NetNs creates here (0600).</summary>
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Mode of the scripts NetNs writes here for tools to run (0700).</summary>
    public const UnixFileMode ScriptMode = DirectoryMode;

    /// <summary>The root of the run directory; <c>/run/netns-ps</c> unless changed (tests only).</summary>
    public static string Root { get; set; } = "/run/netns-ps";

    /// <summary>The full path of <paramref name="parts"/> below <see cref="Root"/>.</summary>
    public static string PathOf(params string[] parts) => Path.Combine(new[] { Root }.Concat(parts).ToArray());

    /// <summary>
    /// Creates (or checks) <see cref="Root"/> and each directory of <paramref name="parts"/> below it with mode 0700,
    /// and returns the full path. Throws <c>UnsafeRunPath</c> when one of them is a symbolic link or not a directory.
    /// </summary>
    public static string EnsureDirectory(params string[] parts)
    {
        var path = Root;
        EnsureOne(path);
        foreach (var p in parts)
        {
            path = Path.Combine(path, p);
            EnsureOne(path);
        }
        return path;
    }

    private static void EnsureOne(string path) => EnsurePrivateDirectory(path, Unsafe);

    /// <summary>
    /// The one safety check of NetNs's private directories (this run directory, the lab records): creates
    /// <paramref name="path"/> with mode 0700 or checks and fixes its mode; a symbolic link or a file there is refused
    /// with the error <paramref name="unsafeError"/> (path, why) makes.
    /// </summary>
    internal static void EnsurePrivateDirectory(string path, Func<string, string, NetNsException> unsafeError)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null) throw unsafeError(path, "is a symbolic link");
        if (info.Exists) throw unsafeError(path, "is a file, not a directory");
        if (!Directory.Exists(path))
        {
            Directory.CreateDirectory(path, DirectoryMode);
        }
        if (File.GetUnixFileMode(path) != DirectoryMode) File.SetUnixFileMode(path, DirectoryMode);
    }

    /// <summary>
    /// Writes <paramref name="content"/> to a new file at <paramref name="path"/> with <paramref name="mode"/>
    /// (0600 unless given). A regular file already there is replaced; a symbolic link is refused, never followed
    /// (the file is created with O_EXCL, which does not follow links).
    /// </summary>
    public static void WriteFile(string path, string content, UnixFileMode mode = FileMode)
    {
        RemoveFile(path);
        var options = new FileStreamOptions
        {
            Mode = System.IO.FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = mode,
        };
        using (var s = new FileStream(path, options))
        using (var w = new StreamWriter(s))
        {
            w.Write(content);
        }
        File.SetUnixFileMode(path, mode);
    }

    /// <summary>
    /// Checks a file a tool created at <paramref name="path"/>: refuses a symbolic link and sets mode 0600.
    /// Does nothing when the file does not exist.
    /// </summary>
    public static void Secure(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null) throw Unsafe(path, "is a symbolic link");
        if (info.Exists && File.GetUnixFileMode(path) != FileMode) File.SetUnixFileMode(path, FileMode);
    }

    /// <summary>Reads a file below the run directory; null when it does not exist. Refuses a symbolic link.</summary>
    public static string? ReadFile(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null) throw Unsafe(path, "is a symbolic link");
        if (!info.Exists) return null;
        try
        {
            return File.ReadAllText(path);
        }
        catch (FileNotFoundException) { return null; }
        catch (DirectoryNotFoundException) { return null; }
    }

    /// <summary>Deletes a file or a symbolic link (the link itself, not its target) when present.</summary>
    public static void RemoveFile(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null) throw Unsafe(path, "is a symbolic link");
        if (Directory.Exists(path)) throw Unsafe(path, "is a directory, not a file");
        if (info.Exists) File.Delete(path);
    }

    /// <summary>Deletes a directory below <see cref="Root"/> and everything in it, without following links.</summary>
    public static void RemoveDirectory(string path)
    {
        var info = new DirectoryInfo(path);
        if (info.LinkTarget is not null)
        {
            info.Delete();
            return;
        }
        if (!info.Exists) return;
        foreach (var e in info.EnumerateFileSystemInfos())
        {
            if (e is DirectoryInfo d && d.LinkTarget is null) RemoveDirectory(d.FullName);
            else e.Delete();
        }
        info.Delete();
    }

    private static NetNsException Unsafe(string path, string why) =>
        new("UnsafeRunPath", NetNsErrorCategory.PermissionDenied,
            $"Refusing to use '{path}': it {why}. NetNs keeps its state in {Root} (mode 0700) and never writes through a link; remove it and retry.", path);
}
