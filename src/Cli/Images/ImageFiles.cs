using Hardware.BlockLayer;
using Hardware.Cli.Commands;
using Hardware.Vfs;
using Hardware.Vfs.Cache;
using Hardware.Vfs.Syscalls;
using SeekOrigin = Hardware.Vfs.SeekOrigin;

namespace Hardware.Cli.Images;

/// <summary>
/// The syscalls the commands make on a mounted image, by image path (e.g. "/etc"), each failure turned into a
/// one-line <see cref="CliException"/> that names <c>IMAGE:PATH</c>.
/// </summary>
public sealed class ImageFiles(ImageSession session)
{
    public ImageSession Session { get; } = session;

    private BlockingSystemCalls Sys => Session.Sys;

    private Process Process => Session.Process;

    /// <summary>How <paramref name="path"/> is named in messages.</summary>
    public string Name(string path) => $"{Session.ImagePath}:{path}";

    public FileStatus Lstat(string path) => Check(path, Sys.Lstat(Process, ImageSession.Guest(path)));

    public FileStatus Stat(string path) => Check(path, Sys.Stat(Process, ImageSession.Guest(path)));

    /// <summary>lstat, or null when nothing is there (ENOENT); other failures throw.</summary>
    public FileStatus? TryLstat(string path)
    {
        VfsResult<FileStatus> status = Sys.Lstat(Process, ImageSession.Guest(path));
        if (status.Errno == Errno.ENOENT)
            return null;
        return Check(path, status);
    }

    public string ReadLink(string path) => Check(path, Sys.ReadLink(Process, ImageSession.Guest(path)));

    public StatFs StatFs() => Check("/", Sys.StatFs(Process, ImageSession.MountPoint));

    /// <summary>The names in directory <paramref name="path"/> (without . and ..), in byte order.</summary>
    public List<string> List(string path, bool withDots = false)
    {
        int fd = Check(path, Sys.Open(Process, ImageSession.Guest(path), OpenFlags.Directory));
        var names = new List<string>();
        try
        {
            while (true)
            {
                IReadOnlyList<DirectoryEntry> batch = Check(path, Sys.GetDirectoryEntries(Process, fd, 256));
                if (batch.Count == 0)
                    break;
                foreach (DirectoryEntry entry in batch)
                {
                    if (withDots || entry.Name is not ("." or ".."))
                        names.Add(entry.Name);
                }
            }
        }
        finally
        {
            Sys.Close(Process, fd);
        }
        names.Sort(StringComparer.Ordinal);
        return names;
    }

    public int Open(string path, OpenFlags flags, int mode = 0x1A4) => Check(path, Sys.Open(Process, ImageSession.Guest(path), flags, mode));

    public void Close(string path, int fd) => Check(path, Sys.Close(Process, fd));

    /// <summary>pread into the first <paramref name="count"/> bytes of <paramref name="buffer"/>.</summary>
    public int Pread(string path, int fd, byte[] buffer, int count, long offset) =>
        Check(path, Sys.Call(c => c.PreadAsync(Process, fd, buffer.AsMemory(0, count), offset)));

    /// <summary>sendfile: up to <paramref name="count"/> bytes at <paramref name="offset"/> to <paramref name="sink"/> straight from the page cache.</summary>
    public int Sendfile(string path, int fd, long offset, int count, IPageSpanSink sink) =>
        Check(path, Sys.Call(c => c.SendfileAsync(Process, fd, offset, count, sink)));

    public void PwriteAll(string path, int fd, byte[] buffer, int start, int count, long offset)
    {
        int done = 0;
        while (done < count)
        {
            int written = Check(path, Sys.Call(c => c.PwriteAsync(Process, fd, buffer.AsMemory(start + done, count - done), offset + done)));
            done += written;
        }
    }

    /// <summary>The file's data regions (SEEK_DATA/SEEK_HOLE), up to <paramref name="size"/>.</summary>
    public List<(long Offset, long Length)> DataRegions(string path, int fd, long size)
    {
        var regions = new List<(long, long)>();
        long position = 0;
        while (position < size)
        {
            VfsResult<long> data = Sys.Lseek(Process, fd, position, SeekOrigin.Data);
            if (data.Errno == Errno.ENXIO)
                break;
            long start = Check(path, data);
            long end = Math.Min(size, Check(path, Sys.Lseek(Process, fd, start, SeekOrigin.Hole)));
            regions.Add((start, end - start));
            position = end;
        }
        return regions;
    }

    public void Ftruncate(string path, int fd, long size) => Check(path, Sys.Ftruncate(Process, fd, size));

    public void Fsync(string path, int fd) => Check(path, Sys.Fsync(Process, fd));

    public void Mkdir(string path, int mode) => Check(path, Sys.Mkdir(Process, ImageSession.Guest(path), mode));

    public void Symlink(string target, string path) => Check(path, Sys.Symlink(Process, target, ImageSession.Guest(path)));

    public void Link(string existing, string path) => Check(path, Sys.Link(Process, ImageSession.Guest(existing), ImageSession.Guest(path)));

    public void Unlink(string path) => Check(path, Sys.Unlink(Process, ImageSession.Guest(path)));

    public void Rmdir(string path) => Check(path, Sys.Rmdir(Process, ImageSession.Guest(path)));

    public void Rename(string from, string to) => Check($"{from} -> {to}", Sys.Rename(Process, ImageSession.Guest(from), ImageSession.Guest(to)));

    public void Chmod(string path, int mode) => Check(path, Sys.Chmod(Process, ImageSession.Guest(path), mode));

    public void SetModifyTime(string path, long modifyTimeNs, bool followLast) =>
        Check(path, Sys.Utimens(Process, ImageSession.Guest(path), null, modifyTimeNs, followLast));

    /// <summary>rm -r: removes <paramref name="path"/> and everything below it.</summary>
    public void RemoveTree(string path)
    {
        FileStatus status = Lstat(path);
        if (status.Type == InodeType.Directory)
        {
            foreach (string name in List(path))
                RemoveTree(Join(path, name));
            Rmdir(path);
        }
        else
        {
            Unlink(path);
        }
    }

    public static string Join(string directory, string name) => directory == "/" ? "/" + name : $"{directory}/{name}";

    private T Check<T>(string path, VfsResult<T> result) => result.Ok ? result.Value : throw ImageErrors.Fail(Name(path), result.Status);

    private void Check(string path, VfsResult result)
    {
        if (!result.Ok)
            throw ImageErrors.Fail(Name(path), result);
    }
}
