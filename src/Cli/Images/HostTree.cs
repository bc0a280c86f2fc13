using Hardware.Cli.Commands;
using Microsoft.Win32.SafeHandles;

namespace Hardware.Cli.Images;

/// <summary>The host's filesystem as a side of a copy.</summary>
public sealed class HostTree : IFileTree
{
    public string Name(string path) => path;

    public string Join(string directory, string name) => Path.Combine(directory, name);

    public EntryStatus? Lstat(string path) => HostFiles.Lstat(path) is { } status ? Convert(status) : null;

    public EntryStatus? Stat(string path)
    {
        EntryStatus? status = Lstat(path);
        if (status is not { Kind: EntryKind.Symlink })
            return status;
        FileSystemInfo? target = new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true);
        return target is null || !target.Exists && !Directory.Exists(target.FullName) ? null : Lstat(target.FullName);
    }

    public IReadOnlyList<string> List(string directory) =>
        Guard(directory, () => Directory.EnumerateFileSystemEntries(directory).Select(p => Path.GetFileName(p)).Order(StringComparer.Ordinal).ToList());

    public string ReadLink(string path) => Guard(path, () => new FileInfo(path).LinkTarget ?? throw new CliException($"{path}: not a symbolic link"));

    public ISourceFile OpenRead(string path) => Guard(path, () => new HostSource(path, System.IO.File.OpenHandle(path, FileMode.Open, FileAccess.Read)));

    public ITargetFile Create(string path) =>
        Guard(path, () => new HostTarget(path, System.IO.File.OpenHandle(path, FileMode.Create, FileAccess.Write, FileShare.None)));

    public void MakeDirectory(string path) => Guard(path, () =>
    {
        if (OperatingSystem.IsWindows())
            Directory.CreateDirectory(path);
        else
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return 0;
    });

    public void Symlink(string target, string path) => Guard(path, () => System.IO.File.CreateSymbolicLink(path, target));

    public void Link(string existing, string path) => Guard(path, () =>
    {
        if (!OperatingSystem.IsLinux() || LinkNative(existing, path) != 0)
            throw new CliException($"{path}: cannot make a hard link to {existing}");
        return 0;
    });

    public void SetPermissions(string path, int permissions) => Guard(path, () =>
    {
        if (!OperatingSystem.IsWindows())
            System.IO.File.SetUnixFileMode(path, (UnixFileMode)permissions);
        return 0;
    });

    public void SetModifyTime(string path, long modifyTimeNs, bool isSymlink) => Guard(path, () =>
    {
        if (!HostFiles.SetModifyTime(path, modifyTimeNs) && !isSymlink)
            throw new CliException($"{path}: setting the modification time failed");
        return 0;
    });

    public void Remove(string path, bool isDirectory) => Guard(path, () =>
    {
        if (isDirectory)
            Directory.Delete(path);
        else
            System.IO.File.Delete(path);
        return 0;
    });

    private static EntryStatus Convert(HostStatus status)
    {
        EntryKind kind = status.Type switch
        {
            0x8000 => EntryKind.Regular,
            0x4000 => EntryKind.Directory,
            0xA000 => EntryKind.Symlink,
            _ => EntryKind.Special,
        };
        return new EntryStatus(kind, status.Permissions, status.Size, status.Links, (status.Device, status.Inode), status.ModifyTimeNs);
    }

    /// <summary>Runs a host call, turning its expected failures into one line naming the path (exit 1 for I/O errors).</summary>
    internal static T Guard<T>(string path, Func<T> call)
    {
        try
        {
            return call();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            int exit = e is IOException and not (FileNotFoundException or DirectoryNotFoundException or PathTooLongException) ? 1 : CommandLine.ExitUsage;
            throw new CliException($"{path}: {Reason(e)}", exit);
        }
    }

    private static string Reason(Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => "No such file or directory",
        UnauthorizedAccessException => "Permission denied",
        _ => e.Message.TrimEnd('.'),
    };

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "link", SetLastError = true)]
    private static extern int LinkNative([System.Runtime.InteropServices.MarshalAs(System.Runtime.InteropServices.UnmanagedType.LPUTF8Str)] string existing,
        [System.Runtime.InteropServices.MarshalAs(System.Runtime.InteropServices.UnmanagedType.LPUTF8Str)] string path);

    private sealed class HostSource(string path, SafeFileHandle handle) : ISourceFile
    {
        public IReadOnlyList<(long Offset, long Length)> DataRegions(long size) => HostFiles.DataRegions(handle, size);

        public int Read(byte[] buffer, int count, long offset) => Guard(path, () => RandomAccess.Read(handle, buffer.AsSpan(0, count), offset));

        public void Dispose() => handle.Dispose();
    }

    private sealed class HostTarget(string path, SafeFileHandle handle) : ITargetFile
    {
        public void Write(byte[] buffer, int start, int count, long offset)
        {
            try
            {
                RandomAccess.Write(handle, buffer.AsSpan(start, count), offset);
            }
            catch (IOException e)
            {
                throw new CliException($"{path}: {e.Message.TrimEnd('.')}", 1);
            }
        }

        public void Finish(long size) => Guard(path, () =>
        {
            RandomAccess.SetLength(handle, size);
            RandomAccess.FlushToDisk(handle);
            return 0;
        });

        public void Dispose() => handle.Dispose();
    }
}
