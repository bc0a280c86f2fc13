using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Hardware.BlockLayer;
using Hardware.BlockLayer.Tests;
using Hardware.Vfs.Tests.Ext2.Data;
using Hardware.Vfs.Tests.Ext2.Interop;
using Microsoft.Win32.SafeHandles;
using static Hardware.Vfs.Tests.Core.VfsRig;

namespace Hardware.Vfs.Tests.Ext2.Seek;

/// <summary>
/// SEEK_DATA / SEEK_HOLE on ext2 read the block map: on an mke2fs -d image the interop sparse file's data runs come
/// back exactly as debugfs lists its blocks (and as a kernel whose ext2 reads the block map answers on the same
/// image); on a read-write mount written data counts before writeback allocates it, and truncation turns the tail
/// into a hole.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed partial class Ext2SeekDataTests
{
    [OracleTheory("mke2fs", "debugfs")]
    [InlineData(1024)]
    [InlineData(4096)]
    public void Seek_data_and_hole_walk_the_sparse_files_runs_as_debugfs_lists_its_blocks(int blockSize)
    {
        using var work = new SparseImage(blockSize);
        List<(long Data, long Hole)> expected = DebugfsRuns(work.Image, "/sparse", blockSize, SourceTree.SparseSize);
        Assert.Equal(SourceTree.SparseRuns.Length, expected.Count);

        using var rig = new Ext2ImageRig(System.IO.File.ReadAllBytes(work.Image));
        Ok(rig.Mount());
        int fd = rig.Dev.Open("/mnt/sparse", OpenFlags.ReadOnly);
        Func<long, bool, long> seek = (offset, data) => Seek(rig.Dev.Sys, rig.Dev.Root, fd, offset, data);
        Assert.Equal(expected, Walk(seek));

        // Inside a run SEEK_DATA stays put; inside a hole SEEK_HOLE stays put and SEEK_DATA goes to the next run.
        (long secondData, long secondHole) = expected[1];
        Assert.Equal(secondData + 10, seek(secondData + 10, true));
        Assert.Equal(expected[0].Hole + 10, seek(expected[0].Hole + 10, false));
        Assert.Equal(secondData, seek(expected[0].Hole + 10, true));
        Assert.Equal(secondHole, seek(secondData + 10, false));
        Assert.Equal(-1, seek(SourceTree.SparseSize, true));
        Assert.Equal(-1, seek(SourceTree.SparseSize, false));
        Assert.Equal(-1, seek(SourceTree.SparseSize + (1L << 40), true));
        rig.Dev.Close(fd);
    }

    [KernelMountFact]
    public void The_kernel_reports_the_same_data_runs_as_hwstack_on_the_same_image()
    {
        foreach (int blockSize in new[] { 1024, 4096 })
        {
            using var work = new SparseImage(blockSize);
            string target = Path.Combine(work.Directory, "kernel");
            Directory.CreateDirectory(target);
            (int mounted, string output) = HostTools.Run("mount", "-o", "loop,ro", "-t", "ext2", work.Image, target);
            Assert.True(mounted == 0, $"mount failed: {output}");
            List<(long Data, long Hole)> kernel;
            try
            {
                using SafeFileHandle handle = System.IO.File.OpenHandle(Path.Combine(target, "sparse"));
                int hostFd = (int)handle.DangerousGetHandle();
                kernel = Walk((offset, data) => HostSeek(hostFd, offset, data));
            }
            finally
            {
                HostTools.Run("umount", target);
            }
            // A kernel whose ext2 is fs/ext2 answers with generic_file_llseek (one run: the whole file), where hwstack
            // is finer; one that mounts ext2 with the ext4 driver (CONFIG_EXT4_USE_FOR_EXT2) reads the block map like
            // hwstack, and the runs must agree.
            if (kernel.Count == 1 && kernel[0] == (0, SourceTree.SparseSize))
                continue;

            using var rig = new Ext2ImageRig(System.IO.File.ReadAllBytes(work.Image));
            Ok(rig.Mount());
            int fd = rig.Dev.Open("/mnt/sparse", OpenFlags.ReadOnly);
            Assert.Equal(kernel, Walk((offset, data) => Seek(rig.Dev.Sys, rig.Dev.Root, fd, offset, data)));
            rig.Dev.Close(fd);
        }
    }

    [OracleFact("mke2fs")]
    public void Written_data_not_yet_allocated_is_data_and_a_truncated_tail_is_a_hole()
    {
        using var rig = new Ext2WritableRig(8L << 20, 1024, _ => { });
        rig.Mount();
        int fd = rig.Dev.Open("/mnt/f", OpenFlags.ReadWrite | OpenFlags.Create);
        Func<long, bool, long> seek = (offset, data) => Seek(rig.Sys, rig.Root, fd, offset, data);
        // 1 KiB blocks: block 4 only (the rest of its page stays a hole), then four blocks in the double indirect tree.
        Ok(rig.Sys.Pwrite(rig.Root, fd, new byte[100], 5000));
        const long far = 1L << 20;
        Ok(rig.Sys.Pwrite(rig.Root, fd, Ext2WritableRig.Pattern(4096, 1), far));
        Assert.Equal(0, Ok(rig.Dev.Calls.Fstat(rig.Root, fd)).Blocks);
        Assert.True(rig.Volume.DelayedBlocks > 0, "the writes must still wait for writeback");
        Assert.Equal([(4096, 5120), (far, far + 4096)], Walk(seek));
        Assert.Equal(5000, seek(5000, true));

        Ok(rig.Sys.Fsync(rig.Root, fd));
        Assert.Equal(0, rig.Volume.DelayedBlocks);
        Assert.True(Ok(rig.Dev.Calls.Fstat(rig.Root, fd)).Blocks > 0);
        Assert.Equal([(4096, 5120), (far, far + 4096)], Walk(seek));

        // A pending write cut off by a truncate before writeback leaves nothing behind.
        Ok(rig.Sys.Pwrite(rig.Root, fd, new byte[2048], 3 * far));
        Assert.Equal(3 * far, seek(2 * far, true));
        Ok(rig.Sys.Ftruncate(rig.Root, fd, far + 1500));
        Ok(rig.Sys.Ftruncate(rig.Root, fd, 4 * far));
        Assert.Equal([(4096, 5120), (far, far + 2048)], Walk(seek));
        Assert.Equal(-1, seek(far + 2048, true));
        Assert.Equal(far + 3000, seek(far + 3000, false));
        Assert.Equal(-1, seek(4 * far, false));
        Assert.Equal(-1, seek(4 * far, true));
        rig.Dev.Close(fd);
    }

    [OracleFact("mke2fs")]
    public void A_byte_written_in_the_triple_indirect_tree_is_found_across_the_hole_before_writeback_and_after()
    {
        using var rig = new Ext2WritableRig(8L << 20, 4096, _ => { });
        rig.Mount();
        int fd = rig.Dev.Open("/mnt/big", OpenFlags.ReadWrite | OpenFlags.Create);
        // 4 KiB blocks: past 12 + 1024 + 1024 * 1024 blocks lies the triple indirect tree.
        const long at = (5L << 30) + 12345;
        const long block = at - at % 4096;
        Func<long, bool, long> seek = (offset, data) => Seek(rig.Sys, rig.Root, fd, offset, data);
        Ok(rig.Sys.Pwrite(rig.Root, fd, [7], at));
        Assert.Equal([(block, at + 1)], Walk(seek));
        Ok(rig.Sys.Fsync(rig.Root, fd));
        Ok(rig.Sys.Ftruncate(rig.Root, fd, at + 8192));
        Assert.Equal([(block, block + 4096)], Walk(seek));
        Assert.Equal(block, seek(100, true));
        Assert.Equal(100, seek(100, false));
        rig.Dev.Close(fd);
    }

    [OracleFact("mke2fs", "debugfs")]
    public void A_corrupt_double_indirect_pointer_makes_the_rest_count_as_data_and_is_reported_as_corruption()
    {
        using var work = new SparseImage(4096);
        uint number = uint.Parse(InodeNumber().Match(HostTools.Debugfs(work.Image, "stat /sparse")).Groups[1].Value);
        var editor = new ImageEditor(System.IO.File.ReadAllBytes(work.Image));
        editor.SetBlockPointer(number, Hardware.Vfs.Ext2.Ext2Inode.DoubleIndirectSlot, 0x7FFFFFF0);
        using var rig = new Ext2ImageRig(editor.Image);
        Ok(rig.Mount());
        int fd = rig.Dev.Open("/mnt/sparse", OpenFlags.ReadOnly);
        Func<long, bool, long> seek = (offset, data) => Seek(rig.Dev.Sys, rig.Dev.Root, fd, offset, data);
        // The direct blocks still answer exactly; the search past them meets the bad pointer.
        Assert.Equal(4096, seek(0, false));
        Assert.Equal(8192, seek(8192, true));
        var volume = (Hardware.Vfs.Ext2.Ext2Volume)rig.Dev.Vfs.FileSystems.Find("ext2")!.SuperBlocks[0].FileSystemInfo!;
        Assert.Contains(volume.Errors, e => e.Contains($"inode {number}", StringComparison.Ordinal) && e.Contains("indirect pointer slot 13", StringComparison.Ordinal));
        rig.Dev.Close(fd);
    }

    [GeneratedRegex(@"Inode: (\d+)")]
    private static partial Regex InodeNumber();

    /// <summary>(data, hole) pairs from offset 0 on, SEEK_DATA then SEEK_HOLE, until ENXIO; -1 from the seek is ENXIO.</summary>
    private static List<(long Data, long Hole)> Walk(Func<long, bool, long> seek)
    {
        var runs = new List<(long, long)>();
        long position = 0;
        while (runs.Count < 100)
        {
            long data = seek(position, true);
            if (data < 0)
                break;
            long hole = seek(data, false);
            Assert.True(hole > data, $"SEEK_HOLE from {data} gave {hole}");
            runs.Add((data, hole));
            position = hole;
        }
        return runs;
    }

    private static long Seek(Hardware.Vfs.Syscalls.BlockingSystemCalls sys, Process process, int fd, long offset, bool data)
    {
        VfsResult<long> result = sys.Lseek(process, fd, offset, data ? SeekOrigin.Data : SeekOrigin.Hole);
        if (result.Errno == Errno.ENXIO)
            return -1;
        return Ok(result);
    }

    /// <summary>
    /// The data runs debugfs's stat lists under BLOCKS ("(0-3):290-293, (IND):296, (71680-71683):297-300, ..."),
    /// adjacent file blocks merged, as byte ranges ending at most at <paramref name="size"/>.
    /// </summary>
    private static List<(long Data, long Hole)> DebugfsRuns(string image, string path, int blockSize, long size)
    {
        string stat = HostTools.Debugfs(image, $"stat {path}");
        string blocks = stat[(stat.IndexOf("BLOCKS:", StringComparison.Ordinal) + 7)..];
        var runs = new List<(long Data, long Hole)>();
        foreach (Match match in FileBlockRange().Matches(blocks))
        {
            long first = long.Parse(match.Groups[1].Value);
            long last = match.Groups[2].Success ? long.Parse(match.Groups[2].Value) : first;
            (long data, long hole) = (first * blockSize, Math.Min(size, (last + 1) * blockSize));
            if (runs.Count > 0 && runs[^1].Hole == data)
                runs[^1] = (runs[^1].Data, hole);
            else
                runs.Add((data, hole));
        }
        return runs;
    }

    [GeneratedRegex(@"\((\d+)(?:-(\d+))?\):")]
    private static partial Regex FileBlockRange();

    private const int SeekData = 3;
    private const int SeekHole = 4;

    [DllImport("libc", EntryPoint = "lseek", SetLastError = true)]
    private static extern long LibcLseek(int fd, long offset, int whence);

    private static long HostSeek(int fd, long offset, bool data)
    {
        long result = LibcLseek(fd, offset, data ? SeekData : SeekHole);
        if (result >= 0)
            return result;
        int errno = Marshal.GetLastPInvokeError();
        Assert.True(errno == 6, $"lseek({offset}, {(data ? "SEEK_DATA" : "SEEK_HOLE")}) failed with errno {errno}");
        return -1;
    }

    /// <summary>A 4 MiB image made by mke2fs -d over a directory holding only the interop sparse file.</summary>
    private sealed class SparseImage : IDisposable
    {
        public SparseImage(int blockSize)
        {
            Directory = System.IO.Directory.CreateTempSubdirectory("ext2seek-").FullName;
            string tree = Path.Combine(Directory, "tree");
            System.IO.Directory.CreateDirectory(tree);
            using (FileStream sparse = System.IO.File.Create(Path.Combine(tree, "sparse")))
            {
                for (int i = 0; i < SourceTree.SparseRuns.Length; i++)
                {
                    sparse.Position = SourceTree.SparseRuns[i].Offset;
                    sparse.Write(SourceTree.Pattern(SourceTree.SparseRuns[i].Length, 100 + i));
                }
                sparse.SetLength(SourceTree.SparseSize);
            }
            Image = Path.Combine(Directory, "sparse.img");
            System.IO.File.WriteAllBytes(Image, Ext2ImageRig.MakeImage(Directory, tree, 4L << 20, "-b", $"{blockSize}"));
        }

        public string Directory { get; }

        public string Image { get; }

        public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
    }
}
