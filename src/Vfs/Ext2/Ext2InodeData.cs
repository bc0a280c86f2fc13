namespace Hardware.Vfs.Ext2;

/// <summary>An ext2 inode's private data (i_private): its number and its on-disk record.</summary>
internal sealed partial class Ext2InodeData(uint number, Ext2Inode record)
{
    public uint Number { get; } = number;

    public Ext2Inode Record { get; } = record;

    /// <summary>A symlink's target, read on first use.</summary>
    public string? Target { get; set; }
}
