using System.Runtime.InteropServices;
using Hardware.Vfs.Syscalls;
using Hardware.Vfs.Tests.DevFs;
using static Hardware.Vfs.Tests.Core.VfsRig;

namespace Hardware.Vfs.Tests.Ext2.Interop;

/// <summary>
/// Moving trees between the host and a mounted guest filesystem through the syscall layer, and comparing host trees
/// (a source with what debugfs or the kernel extracted).
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal static class GuestTree
{
    private const int Chunk = 64 << 10;

    /// <summary>
    /// Copies the host directory's contents into <paramref name="guestDirectory"/> (which exists): directories,
    /// files (all-zero chunks left as holes), symlinks, hard links within the tree, modes and modification times.
    /// </summary>
    public static void CopyIn(DevFsRig dev, string hostDirectory, string guestDirectory)
    {
        var linked = new Dictionary<ulong, string>();
        CopyDirectory(dev, hostDirectory, guestDirectory, linked);
        SetAttributes(dev, hostDirectory, guestDirectory);
    }

    private static void CopyDirectory(DevFsRig dev, string host, string guest, Dictionary<ulong, string> linked)
    {
        foreach (string child in Directory.EnumerateFileSystemEntries(host).Order(StringComparer.Ordinal))
        {
            string target = $"{guest}/{Path.GetFileName(child)}";
            var info = new FileInfo(child);
            if (info.LinkTarget is not null)
            {
                Ok(dev.Sys.Symlink(dev.Root, info.LinkTarget, target));
            }
            else if (Directory.Exists(child))
            {
                Ok(dev.Sys.Mkdir(dev.Root, target, 0x1C0));
                CopyDirectory(dev, child, target, linked);
                SetAttributes(dev, child, target);
            }
            else if (linked.TryGetValue(InodeNumber(child), out string? first))
            {
                Ok(dev.Sys.Link(dev.Root, first, target));
            }
            else
            {
                CopyFile(dev, child, target);
                linked[InodeNumber(child)] = target;
                SetAttributes(dev, child, target);
            }
        }
    }

    private static void CopyFile(DevFsRig dev, string host, string guest)
    {
        int fd = dev.Open(guest, OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Truncate);
        using (FileStream source = System.IO.File.OpenRead(host))
        {
            var buffer = new byte[Chunk];
            // SEEK_DATA on the host skips holes, so a 5 GiB sparse file costs only its data runs.
            for (long data = SeekData(source, 0); data >= 0; data = SeekData(source, source.Position))
            {
                long offset = data - data % Chunk;
                source.Position = offset;
                int read = source.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
                if (read == 0)
                    break;
                if (buffer.AsSpan(0, read).ContainsAnyExcept((byte)0))
                    Assert.Equal(read, Ok(dev.Sys.Pwrite(dev.Root, fd, buffer[..read], offset)));
            }
            Ok(dev.Sys.Ftruncate(dev.Root, fd, source.Length));
        }
        dev.Close(fd);
    }

    /// <summary>
    /// Copies the guest directory's contents out to <paramref name="hostDirectory"/> through the syscalls: names from
    /// getdents, lstat, readlink and file data (for <paramref name="sparse"/> files only the interop tree's data runs).
    /// </summary>
    public static void CopyOut(DevFsRig dev, string guestDirectory, string hostDirectory, ISet<string> ignored, Func<string, bool> sparse)
    {
        Directory.CreateDirectory(hostDirectory);
        var names = new List<string>();
        int fd = dev.Open(guestDirectory, OpenFlags.Directory);
        for (IReadOnlyList<DirectoryEntry> batch; (batch = Ok(dev.Sys.GetDirectoryEntries(dev.Root, fd, 64))).Count > 0;)
            names.AddRange(batch.Select(entry => entry.Name).Where(name => name is not ("." or "..") && !ignored.Contains(name)));
        dev.Close(fd);
        foreach (string name in names)
        {
            string guest = $"{guestDirectory}/{name}";
            string host = Path.Combine(hostDirectory, name);
            FileStatus status = Ok(dev.Sys.Lstat(dev.Root, guest));
            switch (status.Type)
            {
                case InodeType.Symlink:
                    System.IO.File.CreateSymbolicLink(host, Ok(dev.Sys.ReadLink(dev.Root, guest)));
                    continue;
                case InodeType.Directory:
                    CopyOut(dev, guest, host, ignored, sparse);
                    break;
                default:
                    CopyFileOut(dev, guest, host, status.Size, sparse(name));
                    break;
            }
            System.IO.File.SetUnixFileMode(host, (UnixFileMode)status.Permissions);
            System.IO.File.SetLastWriteTimeUtc(host, DateTimeOffset.FromUnixTimeSeconds(status.ModifyTimeNs / 1_000_000_000).UtcDateTime);
        }
    }

    private static void CopyFileOut(DevFsRig dev, string guest, string host, long size, bool sparse)
    {
        int fd = dev.Open(guest, OpenFlags.ReadOnly);
        using (FileStream target = System.IO.File.Create(host))
        {
            target.SetLength(size);
            IEnumerable<(long Offset, int Length)> runs = sparse
                ? SourceTree.SparseRuns
                : Enumerable.Range(0, (int)((size + Chunk - 1) / Chunk)).Select(i => ((long)i * Chunk, (int)Math.Min(Chunk, size - (long)i * Chunk)));
            foreach ((long offset, int length) in runs)
            {
                target.Position = offset;
                target.Write(dev.Pread(fd, length, offset));
            }
        }
        dev.Close(fd);
    }

    private static void SetAttributes(DevFsRig dev, string host, string guest)
    {
        Ok(dev.Sys.Chmod(dev.Root, guest, (int)System.IO.File.GetUnixFileMode(host)));
        long mtime = new DateTimeOffset(System.IO.File.GetLastWriteTimeUtc(host)).ToUnixTimeSeconds() * 1_000_000_000L;
        Ok(dev.Sys.Utimens(dev.Root, guest, mtime, mtime));
    }

    /// <summary>
    /// Asserts <paramref name="actual"/> holds what <paramref name="expected"/> holds: names, types, permission
    /// bits, sizes, contents, symlink targets and file modification times. Names in <paramref name="ignored"/> are
    /// skipped on both sides; <paramref name="sparse"/> files are compared by size and data runs only.
    /// </summary>
    public static int AssertSameTree(string expected, string actual, ISet<string> ignored, Func<string, bool> sparse,
        UnixFileMode modeMask = (UnixFileMode)0xFFF)
    {
        string[] Names(string directory) => Directory.EnumerateFileSystemEntries(directory).Select(Path.GetFileName)
            .Where(name => !ignored.Contains(name!)).Order(StringComparer.Ordinal).ToArray()!;
        Assert.Equal(Names(expected), Names(actual));
        int compared = 0;
        foreach (string name in Names(expected))
        {
            string left = Path.Combine(expected, name);
            string right = Path.Combine(actual, name);
            var leftInfo = new FileInfo(left);
            var rightInfo = new FileInfo(right);
            compared++;
            if (leftInfo.LinkTarget is not null)
            {
                Assert.Equal(leftInfo.LinkTarget, rightInfo.LinkTarget);
                continue;
            }
            Assert.True(rightInfo.LinkTarget is null, $"{right} is a symlink");
            Assert.Equal(System.IO.File.GetUnixFileMode(left) & modeMask, System.IO.File.GetUnixFileMode(right) & modeMask);
            if (Directory.Exists(left))
            {
                Assert.True(Directory.Exists(right), $"{right} is not a directory");
                compared += AssertSameTree(left, right, ignored, sparse, modeMask);
                continue;
            }
            Assert.Equal(leftInfo.Length, rightInfo.Length);
            Assert.Equal(new DateTimeOffset(leftInfo.LastWriteTimeUtc).ToUnixTimeSeconds(), new DateTimeOffset(rightInfo.LastWriteTimeUtc).ToUnixTimeSeconds());
            if (sparse(name))
            {
                foreach ((long offset, int length) in SourceTree.SparseRuns)
                    Assert.Equal(ReadAt(left, offset, length), ReadAt(right, offset, length));
            }
            else
            {
                Assert.True(System.IO.File.ReadAllBytes(left).AsSpan().SequenceEqual(System.IO.File.ReadAllBytes(right)), $"{right}: contents differ from {left}");
            }
        }
        return compared;
    }

    private static byte[] ReadAt(string path, long offset, int length)
    {
        using FileStream file = System.IO.File.OpenRead(path);
        file.Position = offset;
        var bytes = new byte[length];
        file.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>Saves the first <paramref name="bytes"/> of the emulated disk as a sparse host image.</summary>
    public static void SaveImage(DevFsRig dev, string path, long bytes)
    {
        using FileStream file = System.IO.File.Create(path);
        file.SetLength(bytes);
        var buffer = new byte[1 << 20];
        for (long offset = 0; offset < bytes; offset += buffer.Length)
        {
            int length = (int)Math.Min(buffer.Length, bytes - offset);
            dev.Machine.Store.Read(offset, buffer.AsSpan(0, length));
            if (!buffer.AsSpan(0, length).ContainsAnyExcept((byte)0))
                continue;
            file.Position = offset;
            file.Write(buffer, 0, length);
        }
    }

    private static ulong InodeNumber(string path)
    {
        var buffer = new byte[256];
        Assert.Equal(0, Stat(path, buffer));
        return BitConverter.ToUInt64(buffer, 8);
    }

    [DllImport("libc", EntryPoint = "stat", SetLastError = true)]
    private static extern int Stat(string path, byte[] buffer);

    private const int SeekDataWhence = 3;

    /// <summary>lseek(SEEK_DATA): the next data at or after <paramref name="offset"/>, or -1 past the last.</summary>
    private static long SeekData(FileStream file, long offset) =>
        offset >= file.Length ? -1 : LSeek((int)file.SafeFileHandle.DangerousGetHandle(), offset, SeekDataWhence);

    [DllImport("libc", EntryPoint = "lseek", SetLastError = true)]
    private static extern long LSeek(int fd, long offset, int whence);
}
