using Hardware.BlockLayer;
using Hardware.Vfs.Ext2.Mkfs;
using Hardware.Vfs.Syscalls;
using static Hardware.Vfs.Tests.Core.VfsRig;

namespace Hardware.Vfs.Tests.Ext2.Mkfs;

/// <summary>
/// mkfs through the stack without outside tools: what it makes mounts in hwstack, the same seed makes the same
/// bytes, and bad options fail with EINVAL and a message naming the option and its value, before any write.
/// </summary>
public sealed class MkfsTests
{
    private const long Time = 1_700_000_000;

    [Theory]
    [InlineData(1024, 256, 1)]
    [InlineData(4096, 128, 1)]
    [InlineData(2048, 128, 0)]
    public void A_formatted_disk_mounts_with_an_empty_root_holding_lost_and_found(int blockSize, int inodeSize, int revision)
    {
        using var rig = new MkfsRig(32L << 20);
        Ext2Layout layout = Ok(rig.Format(new Ext2MkfsOptions
        {
            BlockSize = blockSize, InodeSize = inodeSize, Revision = revision, TimeSeconds = Time, Label = "fresh",
        }));
        Ok(rig.Mount());

        Assert.Equal(["lost+found"], List(rig, "/mnt"));
        Assert.Empty(List(rig, "/mnt/lost+found"));
        FileStatus root = Ok(rig.Sys.Lstat(rig.Root, "/mnt"));
        Assert.Equal(InodeType.Directory, root.Type);
        Assert.Equal(0x1ED, root.Permissions);
        Assert.Equal(3, root.LinkCount);
        Assert.Equal(2, root.InodeNumber);
        Assert.Equal(Time * 1_000_000_000, root.ModifyTimeNs);
        FileStatus lostAndFound = Ok(rig.Sys.Lstat(rig.Root, "/mnt/lost+found"));
        Assert.Equal(InodeType.Directory, lostAndFound.Type);
        Assert.Equal(0x1C0, lostAndFound.Permissions);
        Assert.Equal(2, lostAndFound.LinkCount);
        Assert.Equal(11, lostAndFound.InodeNumber);
        Assert.Equal((long)layout.LostAndFoundBlocks * blockSize, lostAndFound.Size);

        StatFs statFs = Ok(rig.Sys.StatFs(rig.Root, "/mnt"));
        Assert.Equal(blockSize, statFs.BlockSize);
        Assert.Equal(layout.FreeBlocksCount, statFs.FreeBlocks);
        Assert.Equal(layout.FreeBlocksCount - layout.ReservedBlocksCount, statFs.AvailableBlocks);
        Assert.Equal(layout.InodesCount, statFs.Files);
        Assert.Equal(layout.InodesCount - 11, statFs.FreeFiles);
    }

    [Fact]
    public void The_same_seed_gives_byte_identical_images_and_another_seed_another_uuid()
    {
        const long bytes = 8L << 20;
        var options = new Ext2MkfsOptions { Seed = 42, TimeSeconds = Time };
        (byte[] first, Ext2Layout layout) = FormatAndRead(bytes, options);
        (byte[] second, _) = FormatAndRead(bytes, options);
        (byte[] other, Ext2Layout otherLayout) = FormatAndRead(bytes, options with { Seed = 43 });

        Assert.True(first.AsSpan().SequenceEqual(second), "the same seed made different images");
        Assert.Equal(layout.Uuid, new Guid(first.AsSpan(1024 + 104, 16), bigEndian: true));
        Assert.Equal(otherLayout.Uuid, new Guid(other.AsSpan(1024 + 104, 16), bigEndian: true));
        Assert.NotEqual(layout.Uuid, otherLayout.Uuid);
        Assert.NotEqual(layout.HashSeed, otherLayout.HashSeed);
        Assert.NotEqual(layout.Uuid, layout.HashSeed);
        // Version 4, RFC 4122 variant, as uuid_generate makes them.
        Assert.Equal(0x40, first[1024 + 104 + 6] & 0xF0);
        Assert.Equal(0x80, first[1024 + 104 + 8] & 0xC0);
        Ext2Layout planned = Ok(Ext2Mkfs.Plan(bytes, options));
        Assert.Equal(planned.ToString(), layout.ToString());
        Assert.Equal(planned.Groups, layout.Groups);
    }

    [Theory]
    [InlineData(1024, false)]
    [InlineData(4096, false)]
    [InlineData(1024, true)]
    public void Over_old_data_every_metadata_block_is_as_on_a_clean_disk_and_only_free_blocks_keep_old_bytes(int blockSize, bool cacheFull)
    {
        const long bytes = 16L << 20;
        var options = new Ext2MkfsOptions { Seed = 9, TimeSeconds = Time, BlockSize = blockSize };
        (byte[] clean, Ext2Layout layout) = FormatAndRead(bytes, options);

        using var rig = new MkfsRig(bytes);
        rig.FillWithGarbage(salt: blockSize);
        if (cacheFull)
        {
            // Reading the raw device fills the pool with clean cached pages: none is spare for mkfs's zero page,
            // so its zeros go through the cache, which evicts as it goes.
            int fd = Ok(rig.Sys.Open(rig.Root, "/dev/sda", OpenFlags.ReadOnly));
            var buffer = new byte[1 << 20];
            for (long offset = 0; offset < 2 * rig.Pool.LimitBytes; offset += buffer.Length)
                Assert.Equal(buffer.Length, Ok(rig.Sys.Pread(rig.Root, fd, buffer, offset)));
            Ok(rig.Sys.Close(rig.Root, fd));
            Assert.True(rig.Pool.IsFull, $"{rig.Pool.RentedPages} of {rig.Pool.LimitPages} pages rented");
        }
        Ok(rig.Format(options));
        byte[] formatted = rig.ReadDisk(0, (int)bytes);

        int differing = 0;
        for (long block = 0; block < layout.BlocksCount; block++)
        {
            Span<byte> ours = formatted.AsSpan((int)(block * blockSize), blockSize);
            if (ours.SequenceEqual(clean.AsSpan((int)(block * blockSize), blockSize)))
                continue;
            differing++;
            Ext2GroupLayout group = layout.Groups[(int)((block - layout.FirstDataBlock) / layout.BlocksPerGroup)];
            Assert.True(block > group.LastBlock - group.FreeBlocks, $"block {block} of group {group.Index} is metadata, but kept old bytes");
        }
        Assert.True(differing > 0, "the old data was not there to keep");
    }

    public static TheoryData<string, Ext2MkfsOptions, long> BadOptions => new()
    {
        { "block size 512", new Ext2MkfsOptions { BlockSize = 512 }, 64L << 20 },
        { "block size 8192", new Ext2MkfsOptions { BlockSize = 8192 }, 64L << 20 },
        { "inode size 512", new Ext2MkfsOptions { InodeSize = 512 }, 64L << 20 },
        { "inode size 100", new Ext2MkfsOptions { InodeSize = 100 }, 64L << 20 },
        { "inode size 256", new Ext2MkfsOptions { InodeSize = 256, Revision = 0 }, 64L << 20 },
        { "revision 2", new Ext2MkfsOptions { Revision = 2 }, 64L << 20 },
        { "inode ratio 512", new Ext2MkfsOptions { InodeRatio = 512 }, 64L << 20 },
        { "inode count 1000000", new Ext2MkfsOptions { InodeCount = 1_000_000 }, 64L << 20 },
        { "inode count -1", new Ext2MkfsOptions { InodeCount = -1 }, 64L << 20 },
        { "reserved percent 51", new Ext2MkfsOptions { ReservedPercent = 51 }, 64L << 20 },
        { "reserved percent -1", new Ext2MkfsOptions { ReservedPercent = -1 }, 64L << 20 },
        { "reserved percent NaN", new Ext2MkfsOptions { ReservedPercent = double.NaN }, 64L << 20 },
        { "label 'seventeen-bytes-x'", new Ext2MkfsOptions { Label = "seventeen-bytes-x" }, 64L << 20 },
        { "time -5", new Ext2MkfsOptions { TimeSeconds = -5 }, 64L << 20 },
        { "device size 4096", new Ext2MkfsOptions(), 4096 },
        { "device size 40960", new Ext2MkfsOptions { BlockSize = 4096 }, 40960 },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void A_bad_option_fails_with_EINVAL_naming_the_option_and_value(string named, Ext2MkfsOptions options, long deviceBytes)
    {
        VfsResult<Ext2Layout> plan = Ext2Mkfs.Plan(deviceBytes, options);
        Assert.Equal(Errno.EINVAL, plan.Errno);
        Assert.Contains(named, plan.Message);
        Assert.StartsWith("mkfs.ext2: ", plan.Message);
    }

    [Fact]
    public void A_bad_option_writes_nothing_to_the_device()
    {
        using var rig = new MkfsRig(16L << 20);
        VfsResult<Ext2Layout> result = rig.Format(new Ext2MkfsOptions { BlockSize = 3000 });
        Assert.Equal(Errno.EINVAL, result.Errno);
        Assert.Equal("mkfs.ext2 sda: block size 3000: must be 1024, 2048 or 4096", result.Message);
        Assert.Equal(0, rig.Store.AllocatedBytes);
    }

    [Fact]
    public void A_device_beyond_32_bit_block_numbers_fails_with_EFBIG()
    {
        VfsResult<Ext2Layout> plan = Ext2Mkfs.Plan(8L << 40, new Ext2MkfsOptions { BlockSize = 1024 });
        Assert.Equal(Errno.EFBIG, plan.Errno);
        Assert.Contains("device size 8796093022208", plan.Message);
    }

    private static (byte[] Image, Ext2Layout Layout) FormatAndRead(long bytes, Ext2MkfsOptions options)
    {
        using var rig = new MkfsRig(bytes);
        Ext2Layout layout = Ok(rig.Format(options));
        return (rig.ReadDisk(0, (int)bytes), layout);
    }

    private static List<string> List(MkfsRig rig, string path)
    {
        int fd = Ok(rig.Sys.Open(rig.Root, path, OpenFlags.Directory));
        var names = new List<string>();
        while (true)
        {
            IReadOnlyList<DirectoryEntry> batch = Ok(rig.Sys.GetDirectoryEntries(rig.Root, fd));
            if (batch.Count == 0)
                break;
            names.AddRange(batch.Select(e => e.Name).Where(n => n is not ("." or "..")));
        }
        Ok(rig.Sys.Close(rig.Root, fd));
        return names;
    }
}
