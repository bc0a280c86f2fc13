namespace Hardware.Vfs.Ext2.Mkfs;

/// <summary>
/// What `mke2fs -t ext2` takes on its command line, with its defaults: zero means "choose as mke2fs.conf would" (the
/// floppy, small, default, big and huge types by device size). Units are bytes and seconds.
/// </summary>
public sealed record Ext2MkfsOptions
{
    /// <summary>-b: 1024, 2048 or 4096; 0 takes the size type's block size (1 KiB below 512 MiB, else 4 KiB).</summary>
    public int BlockSize { get; init; }

    /// <summary>-I: 128 or 256; 0 takes 256 (mke2fs.conf's inode_size), and revision 0 always has 128.</summary>
    public int InodeSize { get; init; }

    /// <summary>-N: the inodes wanted (rounded up to fill whole inode-table blocks); 0 derives it from the ratio.</summary>
    public long InodeCount { get; init; }

    /// <summary>-i: bytes per inode; 0 takes the size type's inode_ratio.</summary>
    public int InodeRatio { get; init; }

    /// <summary>-m: percent of the blocks reserved for the super-user (s_r_blocks_count), 0 to 50.</summary>
    public double ReservedPercent { get; init; } = 5;

    /// <summary>-L: s_volume_name, at most 16 bytes of UTF-8.</summary>
    public string Label { get; init; } = "";

    /// <summary>The filesystem UUID and s_hash_seed derive from this seed alone: the same seed gives the same image.</summary>
    public ulong Seed { get; init; }

    /// <summary>-r: 1 (dynamic, the default features) or 0 (good old revision: no features, 128-byte inodes).</summary>
    public int Revision { get; init; } = 1;

    /// <summary>s_mkfs_time, s_wtime, s_lastcheck and the times of the inodes mkfs writes (seconds since 1970).</summary>
    public long TimeSeconds { get; init; }
}
