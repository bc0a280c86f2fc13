using Hardware.BlockLayer;
using Hardware.BlockLayer.Tests;
using Hardware.Vfs.Tests.Ext2.Interop;
using static Hardware.Vfs.Tests.Core.VfsRig;

namespace Hardware.Vfs.Tests.Ext2.Data;

/// <summary>
/// O_DIRECT on ext2 files (ext2_direct_IO): reads and writes move between the device and the caller past the page
/// cache, sector-aligned, and the image stays one e2fsck passes and debugfs reads the same.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class Ext2DirectIOTests
{
    private const OpenFlags DirectRead = OpenFlags.ReadOnly | OpenFlags.Direct;
    private const OpenFlags DirectWrite = OpenFlags.ReadWrite | OpenFlags.Direct;

    /// <summary>An image mke2fs packed with "data" (not a whole number of blocks) and "sparse" (a hole, then data).</summary>
    private static Ext2WritableRig Rig(int blockSize, byte[] data, byte[] tail)
    {
        var rig = new Ext2WritableRig(16L << 20, blockSize, tree =>
        {
            System.IO.File.WriteAllBytes(Path.Combine(tree, "data"), data);
            using FileStream sparse = System.IO.File.Create(Path.Combine(tree, "sparse"));
            sparse.Position = 1 << 20;
            sparse.Write(tail);
        });
        rig.Mount();
        return rig;
    }

    private static byte[] DirectPread(Ext2WritableRig rig, int fd, int length, long offset, int expected)
    {
        var buffer = new byte[length];
        Assert.Equal(expected, Ok(rig.Sys.Pread(rig.Root, fd, buffer, offset)));
        return buffer[..expected];
    }

    [OracleTheory("mke2fs")]
    [InlineData(1024)]
    [InlineData(4096)]
    public void Direct_reads_return_what_mke2fs_wrote_with_holes_as_zeros_and_stop_at_the_size(int blockSize)
    {
        byte[] data = Ext2WritableRig.Pattern(300_000, 3);
        byte[] tail = Ext2WritableRig.Pattern(5000, 4);
        using var rig = Rig(blockSize, data, tail);
        int fd = rig.Dev.Open("/mnt/data", DirectRead);

        Assert.Equal(data[..4096], DirectPread(rig, fd, 4096, 0, 4096));
        Assert.Equal(data.AsSpan(1536, 1024).ToArray(), DirectPread(rig, fd, 1024, 1536, 1024));
        // More than one 128 KiB bounce chunk, starting inside a block.
        Assert.Equal(data.AsSpan(512, 200_000).ToArray(), DirectPread(rig, fd, 200_192, 512, 200_192)[..200_000]);
        // Across the size: the count stops there; at the size nothing is read.
        Assert.Equal(data.AsSpan(299_008).ToArray(), DirectPread(rig, fd, 8192, 299_008, 992));
        Assert.Empty(DirectPread(rig, fd, 4096, 300_032, 0));
        rig.Dev.Close(fd);

        int sparse = rig.Dev.Open("/mnt/sparse", DirectRead);
        byte[] around = DirectPread(rig, sparse, 8192, (1 << 20) - 4096, 8192);
        Assert.Equal(new byte[4096], around[..4096]);
        Assert.Equal(tail[..4096], around[4096..]);
        rig.Dev.Close(sparse);
        rig.Umount();
    }

    [OracleFact("mke2fs")]
    public void Misaligned_direct_io_is_refused_with_EINVAL_and_changes_nothing()
    {
        byte[] data = Ext2WritableRig.Pattern(64 * 1024, 5);
        using var rig = Rig(4096, data, [1]);
        long free = rig.Volume.Record.FreeBlocksCount;
        int fd = rig.Dev.Open("/mnt/data", DirectWrite);
        Fails(Errno.EINVAL, rig.Sys.Pread(rig.Root, fd, new byte[4096], 100));
        Fails(Errno.EINVAL, rig.Sys.Pread(rig.Root, fd, new byte[1000], 0));
        Fails(Errno.EINVAL, rig.Sys.Pwrite(rig.Root, fd, new byte[4096], 700));
        Fails(Errno.EINVAL, rig.Sys.Pwrite(rig.Root, fd, new byte[4000], 1 << 20));
        rig.Dev.Close(fd);
        Assert.Equal(64 * 1024, rig.InodeOf("/mnt/data").Size);
        Assert.Equal(free, rig.Volume.Record.FreeBlocksCount);
        Assert.Equal(0, rig.Volume.DelayedBlocks);
        Assert.Equal(data, rig.Read("/mnt/data", 0, data.Length));
        rig.Umount();
    }

    [OracleFact("mke2fs")]
    public void A_direct_read_sees_bytes_still_dirty_in_the_page_cache_and_a_buffered_read_sees_a_direct_write()
    {
        byte[] data = Ext2WritableRig.Pattern(64 * 1024, 6);
        using var rig = Rig(1024, data, [1]);
        byte[] buffered = Ext2WritableRig.Pattern(4096, 7);
        rig.Write("/mnt/data", buffered, 8192);

        int fd = rig.Dev.Open("/mnt/data", DirectWrite);
        Assert.Equal(buffered, DirectPread(rig, fd, 4096, 8192, 4096));

        Assert.Equal(data[16384..32768], rig.Read("/mnt/data", 16384, 16384)); // now cached
        byte[] direct = Ext2WritableRig.Pattern(8192, 8);
        Assert.Equal(8192, Ok(rig.Sys.Pwrite(rig.Root, fd, direct, 20480)));
        Assert.Equal(direct, rig.Read("/mnt/data", 20480, 8192));
        rig.Dev.Close(fd);
        rig.Umount();
    }

    /// <summary>
    /// Direct writes over junk-filled free space: into a hole in whole blocks, one sector inside a hole (the rest of its
    /// new block must read as zeros), over data mke2fs wrote, past the end in several bounce chunks leaving a gap, and
    /// an overwrite starting inside a block. Unmounts and returns what the two files must hold.
    /// </summary>
    private static (byte[] Sparse, byte[] Data) WriteDirectly(Ext2WritableRig rig, byte[] data, byte[] tail)
    {
        long sparseSize = (1 << 20) + tail.Length;
        long past = (sparseSize + 4095) / 4096 * 4096 + 3584;
        long finalSize = past + (300 << 10) - 8192;
        byte[] expectedSparse = new byte[finalSize];
        tail.CopyTo(expectedSparse, 1 << 20);
        byte[] expectedData = data.ToArray();
        FillFreeBlocksWithJunk(rig);

        int fd = rig.Dev.Open("/mnt/sparse", DirectWrite);
        void Write(long offset, int length, int salt)
        {
            byte[] bytes = Ext2WritableRig.Pattern(length, salt);
            Assert.Equal(length, Ok(rig.Sys.Pwrite(rig.Root, fd, bytes, offset)));
            bytes.CopyTo(expectedSparse, offset);
        }
        Write(0, 4096, 11);
        Write(102_400 + 512, 512, 12);
        Write((1 << 20) + 1024, 2048, 13);
        Write(past, (300 << 10) - 8192, 14);
        rig.Dev.Close(fd);
        Assert.Equal(finalSize, rig.InodeOf("/mnt/sparse").Size);

        int dataFd = rig.Dev.Open("/mnt/data", DirectWrite);
        byte[] overwrite = Ext2WritableRig.Pattern(9216, 15);
        Assert.Equal(9216, Ok(rig.Sys.Pwrite(rig.Root, dataFd, overwrite, 512)));
        overwrite.CopyTo(expectedData, 512);
        rig.Dev.Close(dataFd);
        Assert.Equal(0, rig.Volume.DelayedBlocks);
        rig.Umount();
        return (expectedSparse, expectedData);
    }

    [OracleTheory("mke2fs", "e2fsck", "debugfs")]
    [InlineData(1024)]
    [InlineData(4096)]
    public void Direct_writes_fill_holes_extend_the_file_and_leave_an_image_e2fsck_passes_and_debugfs_reads_back(int blockSize)
    {
        byte[] data = Ext2WritableRig.Pattern(10_000, 9);
        byte[] tail = Ext2WritableRig.Pattern(3000, 10);
        using var rig = Rig(blockSize, data, tail);
        (byte[] sparse, byte[] expectedData) = WriteDirectly(rig, data, tail);

        string image = rig.SaveImage();
        Ext2WritableRig.AssertFsckClean(image);
        Assert.Equal(sparse, Ext2WritableRig.DebugfsCat(image, "/sparse"));
        Assert.Equal(expectedData, Ext2WritableRig.DebugfsCat(image, "/data"));
    }

    [KernelMountFact]
    public void The_kernel_reads_back_what_direct_writes_left_in_the_image()
    {
        byte[] data = Ext2WritableRig.Pattern(10_000, 9);
        byte[] tail = Ext2WritableRig.Pattern(3000, 10);
        using var rig = Rig(1024, data, tail);
        (byte[] sparse, byte[] expectedData) = WriteDirectly(rig, data, tail);
        string image = rig.SaveImage();
        string target = Path.Combine(rig.Work, "kernel");
        Directory.CreateDirectory(target);
        (int mounted, string output) = HostTools.Run("mount", "-o", "loop,ro", "-t", "ext2", image, target);
        Assert.True(mounted == 0, $"mount failed: {output}");
        try
        {
            Assert.Equal(sparse, System.IO.File.ReadAllBytes(Path.Combine(target, "sparse")));
            Assert.Equal(expectedData, System.IO.File.ReadAllBytes(Path.Combine(target, "data")));
        }
        finally
        {
            HostTools.Run("umount", target);
        }
    }

    /// <summary>Every free block gets non-zero bytes (a file filling the disk, synced, then removed), so a block allocated later holds junk until written.</summary>
    private static void FillFreeBlocksWithJunk(Ext2WritableRig rig)
    {
        int fd = Ok(rig.Sys.Open(rig.Root, "/mnt/junk", OpenFlags.WriteOnly | OpenFlags.Create, 0x1A4));
        byte[] junk = new byte[64 * 1024];
        Array.Fill(junk, (byte)0xA5);
        long written = 0;
        VfsResult<int> result;
        while ((result = rig.Sys.Pwrite(rig.Root, fd, junk, written)).Ok && result.Value > 0)
            written += result.Value;
        Assert.Equal(Errno.ENOSPC, result.Errno);
        Ok(rig.Sys.Fsync(rig.Root, fd));
        rig.Dev.Close(fd);
        Ok(rig.Sys.Unlink(rig.Root, "/mnt/junk"));
    }

    [OracleFact("mke2fs")]
    public void Direct_io_on_a_read_only_mount_reads_and_refuses_writes()
    {
        byte[] data = Ext2WritableRig.Pattern(8192, 16);
        using var rig = new Ext2WritableRig(8L << 20, 4096, tree => System.IO.File.WriteAllBytes(Path.Combine(tree, "data"), data));
        rig.Mount(MountFlags.ReadOnly);
        int fd = rig.Dev.Open("/mnt/data", DirectRead);
        Assert.Equal(data, DirectPread(rig, fd, 8192, 0, 8192));
        rig.Dev.Close(fd);
        Fails(Errno.EROFS, rig.Sys.Open(rig.Root, "/mnt/data", DirectWrite));
        rig.Umount();
    }

    [OracleFact("mke2fs")]
    public void A_direct_write_larger_than_the_free_space_writes_what_fits_and_then_gives_ENOSPC()
    {
        using var rig = new Ext2WritableRig(2L << 20, 1024, _ => { });
        rig.Mount();
        int fd = Ok(rig.Sys.Open(rig.Root, "/mnt/big", OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Direct, 0x1A4));
        byte[] chunk = Ext2WritableRig.Pattern(64 * 1024, 17);
        long written = 0;
        VfsResult<int> result;
        while ((result = rig.Sys.Pwrite(rig.Root, fd, chunk, written)).Ok && result.Value > 0)
            written += result.Value;
        Assert.Equal(Errno.ENOSPC, result.Errno);
        Assert.True(written > 1 << 20, $"only {written} bytes fit");
        Assert.Equal(written, rig.InodeOf("/mnt/big").Size);
        rig.Dev.Close(fd);
        Assert.Equal(0, rig.Volume.DelayedBlocks);
        rig.Umount();
        Ext2WritableRig.AssertFsckClean(rig.SaveImage());
    }
}
