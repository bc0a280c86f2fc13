using Hardware.Emulator.Simulation;

namespace Hardware.Vfs.Syscalls;

/// <summary>
/// The syscalls for code outside the simulation (tools, tests): each call runs as a simulated process and the
/// simulation runs until it completes, so virtual time advances by exactly what the call took.
/// </summary>
public sealed class BlockingSystemCalls
{
    private readonly Simulation _simulation;

    public BlockingSystemCalls(SystemCalls calls, Simulation simulation)
    {
        Calls = calls;
        _simulation = simulation;
    }

    public SystemCalls Calls { get; }

    /// <summary>Runs any asynchronous syscall to completion.</summary>
    public T Call<T>(Func<SystemCalls, ValueTask<T>> call) =>
        _simulation.RunUntilComplete(_simulation.Spawn(async () => await call(Calls)));

    public VfsResult<int> Open(Process process, string path, OpenFlags flags, int mode = 0x1B6) =>
        Call(c => c.OpenAsync(process, path, flags, mode));

    public VfsResult Close(Process process, int fd) => Call(c => c.CloseAsync(process, fd));

    public VfsResult<int> Read(Process process, int fd, byte[] buffer) => Call(c => c.ReadAsync(process, fd, buffer));

    public VfsResult<int> Write(Process process, int fd, byte[] buffer) => Call(c => c.WriteAsync(process, fd, buffer));

    public VfsResult<int> Pread(Process process, int fd, byte[] buffer, long offset) => Call(c => c.PreadAsync(process, fd, buffer, offset));

    public VfsResult<int> Pwrite(Process process, int fd, byte[] buffer, long offset) => Call(c => c.PwriteAsync(process, fd, buffer, offset));

    public VfsResult Fsync(Process process, int fd, bool dataOnly = false) => Call(c => c.FsyncAsync(process, fd, dataOnly));

    public VfsResult Truncate(Process process, string path, long length) => Call(c => c.TruncateAsync(process, path, length));

    public VfsResult Ftruncate(Process process, int fd, long length) => Call(c => c.FtruncateAsync(process, fd, length));

    public VfsResult Unlink(Process process, string path) => Call(c => c.UnlinkAsync(process, path));

    public VfsResult Rmdir(Process process, string path) => Call(c => c.RmdirAsync(process, path));

    public VfsResult Rename(Process process, string oldPath, string newPath, RenameFlags flags = RenameFlags.None) =>
        Call(c => c.RenameAsync(process, oldPath, newPath, flags));

    public VfsResult Mount(Process process, string source, string target, string type, MountFlags flags = MountFlags.None, string options = "") =>
        Call(c => c.MountAsync(process, source, target, type, flags, options));

    public VfsResult Umount(Process process, string target) => Call(c => c.UmountAsync(process, target));

    public VfsResult Sync(Process process) => Call(c => c.SyncAsync(process));

    public VfsResult<int> Dup2(Process process, int oldFd, int newFd) => Call(c => c.Dup2Async(process, oldFd, newFd));

    public VfsResult<FileStatus> Stat(Process process, string path) => Call(c => c.StatAsync(process, path));

    public VfsResult<FileStatus> Lstat(Process process, string path) => Call(c => c.LstatAsync(process, path));

    public VfsResult<FileStatus> Fstat(Process process, int fd) => Calls.Fstat(process, fd);

    public VfsResult Chmod(Process process, string path, int mode) => Call(c => c.ChmodAsync(process, path, mode));

    public VfsResult Chown(Process process, string path, int uid, int gid, bool followLast = true) => Call(c => c.ChownAsync(process, path, uid, gid, followLast));

    public VfsResult Utimens(Process process, string path, long? accessTimeNs, long? modifyTimeNs, bool followLast = true) =>
        Call(c => c.UtimensAsync(process, path, accessTimeNs, modifyTimeNs, followLast));

    public VfsResult<StatFs> StatFs(Process process, string path) => Call(c => c.StatFsAsync(process, path));

    public VfsResult Chdir(Process process, string path) => Call(c => c.ChdirAsync(process, path));

    public VfsResult Mkdir(Process process, string path, int mode = 0x1FF) => Call(c => c.MkdirAsync(process, path, mode));

    public VfsResult Mknod(Process process, string path, InodeType type, int mode, uint device = 0) => Call(c => c.MknodAsync(process, path, type, mode, device));

    public VfsResult Mkfifo(Process process, string path, int mode = 0x1B6) => Call(c => c.MkfifoAsync(process, path, mode));

    public VfsResult Symlink(Process process, string target, string linkPath) => Call(c => c.SymlinkAsync(process, target, linkPath));

    public VfsResult Link(Process process, string oldPath, string newPath) => Call(c => c.LinkAsync(process, oldPath, newPath));

    public VfsResult<string> ReadLink(Process process, string path) => Call(c => c.ReadLinkAsync(process, path));

    public VfsResult<IReadOnlyList<DirectoryEntry>> GetDirectoryEntries(Process process, int fd, int max = 128) =>
        Call(c => c.GetDirectoryEntriesAsync(process, fd, max));

    public VfsResult<long> Lseek(Process process, int fd, long offset, SeekOrigin origin) => Call(c => c.LseekAsync(process, fd, offset, origin));

    public VfsResult Bind(Process process, int fd, string path) => Call(c => c.BindAsync(process, fd, path));

    public VfsResult Connect(Process process, int fd, string path) => Call(c => c.ConnectAsync(process, fd, path));
}
