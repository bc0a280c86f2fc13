using Hardware.BlockLayer;
using Hardware.Vfs;
using Hardware.Vfs.Syscalls;

namespace Hardware.Cli.Images;

/// <summary>The inside of a mounted image as a side of a copy; every call is a syscall through the emulated stack.</summary>
public sealed class ImageTree(ImageFiles files) : IFileTree
{
    /// <summary>Files are created owner-only and get their real mode after their data (so setuid bits survive).</summary>
    private const int CreateMode = 0x180;

    public ImageFiles Files { get; } = files;

    public string Name(string path) => Files.Name(path);

    public string Join(string directory, string name) => ImageFiles.Join(directory, name);

    public EntryStatus? Lstat(string path) => Files.TryLstat(path) is { } status ? Convert(status) : null;

    public EntryStatus? Stat(string path)
    {
        VfsResult<FileStatus> status = Files.Session.Sys.Stat(Files.Session.Process, ImageSession.Guest(path));
        if (status.Errno == Errno.ENOENT)
            return null;
        return status.Ok ? Convert(status.Value) : throw ImageErrors.Fail(Name(path), status.Status);
    }

    public IReadOnlyList<string> List(string directory) => Files.List(directory);

    public string ReadLink(string path) => Files.ReadLink(path);

    public ISourceFile OpenRead(string path) => new ImageSource(Files, path, Files.Open(path, OpenFlags.ReadOnly));

    public ITargetFile Create(string path) =>
        new ImageTarget(Files, path, Files.Open(path, OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Truncate | OpenFlags.NoFollow, CreateMode));

    public void MakeDirectory(string path) => Files.Mkdir(path, 0x1C0);

    public void Symlink(string target, string path) => Files.Symlink(target, path);

    public void Link(string existing, string path) => Files.Link(existing, path);

    public void SetPermissions(string path, int permissions) => Files.Chmod(path, permissions);

    public void SetModifyTime(string path, long modifyTimeNs, bool isSymlink) => Files.SetModifyTime(path, modifyTimeNs, followLast: !isSymlink);

    public void Remove(string path, bool isDirectory)
    {
        if (isDirectory)
            Files.Rmdir(path);
        else
            Files.Unlink(path);
    }

    private static EntryStatus Convert(FileStatus status)
    {
        EntryKind kind = status.Type switch
        {
            InodeType.Regular => EntryKind.Regular,
            InodeType.Directory => EntryKind.Directory,
            InodeType.Symlink => EntryKind.Symlink,
            _ => EntryKind.Special,
        };
        return new EntryStatus(kind, status.Permissions, status.Size, status.LinkCount, (0, status.InodeNumber), status.ModifyTimeNs);
    }

    private sealed class ImageSource(ImageFiles files, string path, int fd) : ISourceFile
    {
        public IReadOnlyList<(long Offset, long Length)> DataRegions(long size) => files.DataRegions(path, fd, size);

        public int Read(byte[] buffer, int count, long offset) => files.Pread(path, fd, buffer, count, offset);

        public void Dispose() => files.Session.Sys.Close(files.Session.Process, fd);
    }

    private sealed class ImageTarget(ImageFiles files, string path, int fd) : ITargetFile
    {
        private bool _closed;

        public void Write(byte[] buffer, int start, int count, long offset) => files.PwriteAll(path, fd, buffer, start, count, offset);

        /// <summary>ftruncate to the size, fsync (a full disk or failed write shows here, not later), close.</summary>
        public void Finish(long size)
        {
            files.Ftruncate(path, fd, size);
            files.Fsync(path, fd);
            _closed = true;
            files.Close(path, fd);
        }

        public void Dispose()
        {
            if (!_closed)
                files.Session.Sys.Close(files.Session.Process, fd);
        }
    }
}
