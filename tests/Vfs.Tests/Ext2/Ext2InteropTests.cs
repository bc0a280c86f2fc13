using Hardware.BlockLayer;
using Hardware.BlockLayer.Tests;
using Hardware.Vfs.Syscalls;
using static Hardware.Vfs.Tests.Core.VfsRig;

namespace Hardware.Vfs.Tests.Ext2;

/// <summary>
/// Interop test 1 of issue 5: a tree packed by Debian's mke2fs -d is read back through the whole stack (emulated
/// AHCI disk, block layer, page cache, VFS syscalls) byte for byte, with names, types, modes, sizes, link counts and
/// symlink targets as in the source.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class Ext2InteropTests
{
    [OracleTheory("mke2fs")]
    [InlineData(1024, 256)]
    [InlineData(4096, 256)]
    [InlineData(1024, 128)]
    public void Every_file_of_a_tree_packed_by_mke2fs_reads_back_as_in_the_source(int blockSize, int inodeSize)
    {
        using var tree = new SourceTree();
        byte[] image = Ext2ImageRig.MakeImage(tree.Work, tree.Root, 24L << 20, "-b", $"{blockSize}", "-I", $"{inodeSize}");
        using var rig = new Ext2ImageRig(image);
        Ok(rig.Mount());

        int compared = Compare(rig, tree, tree.Root);
        Assert.True(compared > 1000 + 64 + 12, $"only {compared} entries compared");

        StatFs statFs = Ok(rig.Dev.Sys.StatFs(rig.Dev.Root, "/mnt"));
        Assert.Equal(0xEF53, statFs.Type);
        Assert.Equal(blockSize, statFs.BlockSize);
        Assert.True(statFs.FreeBlocks > 0 && statFs.FreeBlocks < statFs.Blocks);
        Assert.True((statFs.Flags & MountFlags.ReadOnly) != 0);
    }

    /// <summary>Compares the directory <paramref name="hostDirectory"/> with its image under /mnt; returns the entries compared.</summary>
    private static int Compare(Ext2ImageRig rig, SourceTree tree, string hostDirectory)
    {
        string relative = tree.Relative(hostDirectory);
        string path = relative.Length == 0 ? "/mnt" : $"/mnt/{relative}";
        FileStatus status = Ok(rig.Dev.Sys.Lstat(rig.Dev.Root, path));
        Assert.Equal(InodeType.Directory, status.Type);
        Assert.Equal((int)System.IO.File.GetUnixFileMode(hostDirectory), status.Permissions);
        // The image's root also holds lost+found, one more subdirectory than the source.
        Assert.Equal(tree.LinkCounts[relative] + (relative.Length == 0 ? 1 : 0), status.LinkCount);

        var names = new SortedSet<string>(StringComparer.Ordinal);
        int fd = rig.Dev.Open(path, OpenFlags.Directory);
        while (true)
        {
            IReadOnlyList<DirectoryEntry> batch = Ok(rig.Dev.Sys.GetDirectoryEntries(rig.Dev.Root, fd, 97));
            if (batch.Count == 0)
                break;
            foreach (DirectoryEntry entry in batch)
            {
                if (entry.Name is not ("." or ".."))
                    Assert.True(names.Add(entry.Name), $"{path}/{entry.Name} listed twice");
            }
        }
        rig.Dev.Close(fd);
        if (relative.Length == 0)
            Assert.True(names.Remove("lost+found"), "mke2fs makes lost+found");
        var expected = new SortedSet<string>(Directory.EnumerateFileSystemEntries(hostDirectory).Select(Path.GetFileName)!, StringComparer.Ordinal);
        Assert.Equal(expected, names);

        int compared = 1;
        foreach (string name in expected)
        {
            string host = Path.Combine(hostDirectory, name);
            string guest = $"{path}/{name}";
            FileStatus entry = Ok(rig.Dev.Sys.Lstat(rig.Dev.Root, guest));
            var info = new FileInfo(host);
            if (info.LinkTarget is not null)
            {
                Assert.Equal(InodeType.Symlink, entry.Type);
                Assert.Equal(info.LinkTarget, Ok(rig.Dev.Sys.ReadLink(rig.Dev.Root, guest)));
                Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(info.LinkTarget), entry.Size);
                compared++;
            }
            else if (Directory.Exists(host))
            {
                compared += Compare(rig, tree, host);
            }
            else
            {
                Assert.Equal(InodeType.Regular, entry.Type);
                Assert.Equal((int)System.IO.File.GetUnixFileMode(host), entry.Permissions);
                Assert.Equal(tree.LinkCounts.GetValueOrDefault(tree.Relative(host), 1), entry.LinkCount);
                Assert.Equal(info.Length, entry.Size);
                Assert.Equal(new DateTimeOffset(info.LastWriteTimeUtc).ToUnixTimeSeconds(), entry.ModifyTimeNs / 1_000_000_000);
                CompareContents(rig, host, guest, info.Length);
                compared++;
            }
        }
        return compared;
    }

    private static void CompareContents(Ext2ImageRig rig, string host, string guest, long size)
    {
        int fd = rig.Dev.Open(guest, OpenFlags.ReadOnly);
        if (size == SourceTree.SparseSize)
        {
            // Reading 5 GiB would be slow: check each data run, the holes around them, and the end of file.
            for (int i = 0; i < SourceTree.SparseRuns.Length; i++)
            {
                (long offset, int length) = SourceTree.SparseRuns[i];
                Assert.Equal(SourceTree.Pattern(length, 100 + i), rig.Dev.Pread(fd, length, offset));
                if (offset > 0)
                    Assert.Equal(new byte[4096], rig.Dev.Pread(fd, 4096, offset - 4096));
            }
            Assert.Equal(new byte[8192], rig.Dev.Pread(fd, 8192, 1L << 30));
            Assert.Equal(0, Ok(rig.Dev.Sys.Pread(rig.Dev.Root, fd, new byte[16], size)));
        }
        else
        {
            byte[] expected = System.IO.File.ReadAllBytes(host);
            var actual = new byte[expected.Length];
            var chunk = new byte[64 << 10];
            int done = 0;
            while (done < actual.Length)
            {
                int n = Ok(rig.Dev.Sys.Pread(rig.Dev.Root, fd, chunk, done));
                Assert.True(n > 0, $"{guest}: read stopped at {done} of {expected.Length}");
                chunk.AsSpan(0, Math.Min(n, actual.Length - done)).CopyTo(actual.AsSpan(done));
                done += n;
            }
            Assert.True(expected.AsSpan().SequenceEqual(actual), $"{guest}: contents differ from {host}");
        }
        rig.Dev.Close(fd);
    }

    [OracleFact("mke2fs")]
    public void Changes_to_an_ext2_volume_mounted_read_only_are_refused_with_erofs()
    {
        using var tree = new SourceTree();
        using var rig = new Ext2ImageRig(Ext2ImageRig.MakeImage(tree.Work, tree.Root, 24L << 20, "-b", "4096"));
        Ok(rig.Mount(MountFlags.ReadOnly));
        Fails(Errno.EROFS, rig.Dev.Sys.Mkdir(rig.Dev.Root, "/mnt/new"));
        Fails(Errno.EROFS, rig.Dev.Sys.Open(rig.Dev.Root, "/mnt/sizes/f1", OpenFlags.WriteOnly));
        Fails(Errno.EROFS, rig.Dev.Sys.Unlink(rig.Dev.Root, "/mnt/hard/a"));
        Assert.Equal("the bottom\n", System.Text.Encoding.UTF8.GetString(ReadAll(rig, "/mnt/links/slow")));
    }

    private static byte[] ReadAll(Ext2ImageRig rig, string path)
    {
        long size = Ok(rig.Dev.Sys.Stat(rig.Dev.Root, path)).Size;
        int fd = rig.Dev.Open(path, OpenFlags.ReadOnly);
        byte[] bytes = rig.Dev.Pread(fd, (int)size, 0);
        rig.Dev.Close(fd);
        return bytes;
    }
}
