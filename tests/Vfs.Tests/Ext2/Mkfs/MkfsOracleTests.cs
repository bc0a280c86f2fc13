using Hardware.BlockLayer.Tests;
using Hardware.Vfs.Ext2.Mkfs;
using static Hardware.Vfs.Tests.Core.VfsRig;

namespace Hardware.Vfs.Tests.Ext2.Mkfs;

/// <summary>
/// mkfs against Debian's e2fsprogs. An image made through the whole stack (mkfs, page cache, block layer, AHCI,
/// emulated drive) passes `e2fsck -fn` and is the image `mke2fs -t ext2` makes with the same options on a device of
/// the same size (E2FSPROGS_FAKE_TIME set to mkfs's time): byte for byte on small devices, and as `dumpe2fs` reads
/// it (superblock and every group's bitmaps, inode table, reserved GDT blocks and free counts) on large ones - all
/// but the UUID and the directory hash seed, which are random by design.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class MkfsOracleTests : IDisposable
{
    private const long Time = 1_700_000_000;
    private const int UuidOffset = 104;      // s_uuid
    private const int HashSeedOffset = 236;  // s_hash_seed

    private readonly string _work = Directory.CreateTempSubdirectory("hwstack-mkfs-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    public static TheoryData<string, long, Ext2MkfsOptions> SmallDevices => new()
    {
        { "floppy, 1 MiB", 1L << 20, new Ext2MkfsOptions() },
        { "small, 64 MiB", 64L << 20, new Ext2MkfsOptions() },
        { "-b 1024 -I 128", 24L << 20, new Ext2MkfsOptions { BlockSize = 1024, InodeSize = 128 } },
        { "-b 2048 -I 128", 64L << 20, new Ext2MkfsOptions { BlockSize = 2048, InodeSize = 128 } },
        { "-b 2048 -I 256", 40L << 20, new Ext2MkfsOptions { BlockSize = 2048, InodeSize = 256 } },
        { "-b 4096 -I 256", 64L << 20, new Ext2MkfsOptions { BlockSize = 4096, InodeSize = 256 } },
        { "-b 4096 -I 128", 48L << 20, new Ext2MkfsOptions { BlockSize = 4096, InodeSize = 128 } },
        { "-N 5000", 16L << 20, new Ext2MkfsOptions { InodeCount = 5000 } },
        { "-i 65536", 16L << 20, new Ext2MkfsOptions { InodeRatio = 65536 } },
        { "-i 1024 -b 4096 (smaller groups)", 16L << 20, new Ext2MkfsOptions { InodeRatio = 1024, BlockSize = 4096 } },
        { "-m 0.5", 16L << 20, new Ext2MkfsOptions { ReservedPercent = 0.5 } },
        { "-m 0", 16L << 20, new Ext2MkfsOptions { ReservedPercent = 0 } },
        { "-L", 16L << 20, new Ext2MkfsOptions { Label = "hwstack-volume16" } },
        { "-r 0", 4L << 20, new Ext2MkfsOptions { Revision = 0 } },
        { "-r 0 -b 4096, 40 MiB", 40L << 20, new Ext2MkfsOptions { Revision = 0, BlockSize = 4096 } },
        { "last group dropped", 8212L << 10, new Ext2MkfsOptions { BlockSize = 1024 } },
        { "last group kept", 16500L << 10, new Ext2MkfsOptions { BlockSize = 1024 } },
    };

    [OracleTheory("mke2fs", "e2fsck", "dumpe2fs")]
    [MemberData(nameof(SmallDevices))]
    public void A_small_image_is_byte_for_byte_what_mke2fs_makes_apart_from_uuid_and_hash_seed(string name, long bytes, Ext2MkfsOptions options)
    {
        options = options with { TimeSeconds = Time, Seed = 11 };
        (string ours, string theirs, Ext2Layout layout) = MakeBoth(bytes, options);
        AssertE2fsckClean(ours, name);
        Assert.Equal(E2fsprogs.Dump(theirs), E2fsprogs.Dump(ours));

        byte[] a = System.IO.File.ReadAllBytes(ours);
        byte[] b = System.IO.File.ReadAllBytes(theirs);
        Assert.Equal(b.Length, a.Length);
        foreach (long at in SuperBlockOffsets(layout))
        {
            foreach (byte[] image in new[] { a, b })
            {
                image.AsSpan((int)at + UuidOffset, 16).Clear();
                image.AsSpan((int)at + HashSeedOffset, 16).Clear();
            }
        }
        int differs = a.AsSpan().CommonPrefixLength(b);
        Assert.True(differs == a.Length,
            $"{name}: first difference at byte {differs} (block {differs / layout.BlockSize}, offset {differs % layout.BlockSize}): ours {a[Math.Min(differs, a.Length - 1)]:x2}, mke2fs {b[Math.Min(differs, b.Length - 1)]:x2}");
    }

    [OracleTheory("mke2fs", "e2fsck", "dumpe2fs")]
    [InlineData(600L << 20, 0)]
    [InlineData(8L << 30, 0)]
    [InlineData(8L << 30, 1024)]
    public void A_large_sparse_image_has_mke2fs_layout_and_passes_e2fsck(long bytes, int blockSize)
    {
        var options = new Ext2MkfsOptions { BlockSize = blockSize, TimeSeconds = Time, Seed = 12 };
        (string ours, string theirs, _) = MakeBoth(bytes, options);
        AssertE2fsckClean(ours, $"{bytes} bytes");
        Assert.Equal(E2fsprogs.Dump(theirs), E2fsprogs.Dump(ours));
    }

    [OracleTheory("e2fsck")]
    [InlineData(1024, 256)]
    [InlineData(4096, 128)]
    public void Formatted_over_old_data_an_image_passes_e2fsck(int blockSize, int inodeSize)
    {
        string ours = Path.Combine(_work, "reused.img");
        using (var rig = new MkfsRig(24L << 20))
        {
            rig.FillWithGarbage(salt: 3);
            Ok(rig.Format(new Ext2MkfsOptions { BlockSize = blockSize, InodeSize = inodeSize, TimeSeconds = Time }));
            rig.ExtractImage(ours);
        }
        AssertE2fsckClean(ours, $"-b {blockSize} -I {inodeSize} over old data");
    }

    [OracleFact("mke2fs")]
    public void The_plan_summary_reads_as_mke2fs_verbose_output()
    {
        const long bytes = 64L << 20;
        var options = new Ext2MkfsOptions { Label = "data", Seed = 3 };
        Ext2Layout layout = Ok(Ext2Mkfs.Plan(bytes, options));
        string image = Path.Combine(_work, "dry-run.img");
        using (var file = new FileStream(image, FileMode.Create, FileAccess.Write))
            file.SetLength(bytes);
        (int exit, string output) = E2fsprogs.Run("mke2fs", ["-n", "-v", "-F", "-t", "ext2", "-L", "data", image]);
        Assert.Equal(0, exit);
        string[] theirs = Summary(output);
        string[] ours = Summary(layout.ToString());
        Assert.True(theirs.Length > 10, output);
        Assert.Equal(theirs, ours);
    }

    /// <summary>The lines from "Filesystem label=" to the backup list, without the random UUID.</summary>
    private static string[] Summary(string text) => text.Split('\n')
        .SkipWhile(line => !line.StartsWith("Filesystem label=", StringComparison.Ordinal))
        .Select(line => line.TrimEnd())
        .Where(line => line.Length > 0 && !line.StartsWith("Filesystem UUID:", StringComparison.Ordinal))
        .Where(line => !line.StartsWith("mke2fs ", StringComparison.Ordinal))
        .ToArray();

    private (string Ours, string Theirs, Ext2Layout Layout) MakeBoth(long bytes, Ext2MkfsOptions options)
    {
        string ours = Path.Combine(_work, "ours.img");
        string theirs = Path.Combine(_work, "theirs.img");
        Ext2Layout layout;
        using (var rig = new MkfsRig(bytes))
        {
            layout = Ok(rig.Format(options));
            rig.ExtractImage(ours);
        }
        E2fsprogs.MakeImage(theirs, bytes, options);
        return (ours, theirs, layout);
    }

    private static void AssertE2fsckClean(string image, string name)
    {
        (int exit, string output) = E2fsprogs.Check(image);
        Assert.True(exit == 0, $"{name}: e2fsck -fn exited {exit}:\n{output}");
    }

    /// <summary>Byte offsets of every superblock copy: byte 1024, then the first block of each backup group.</summary>
    private static IEnumerable<long> SuperBlockOffsets(Ext2Layout layout) =>
        layout.BackupGroups.Select(g => g.FirstBlock * layout.BlockSize).Prepend(1024);
}
