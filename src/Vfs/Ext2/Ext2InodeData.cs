namespace Hardware.Vfs.Ext2;

/// <summary>An ext2 inode's private data (i_private): its number, its on-disk record and, for a directory, its entries.</summary>
internal sealed partial class Ext2InodeData(uint number, Ext2Inode record)
{
    public uint Number { get; } = number;

    public Ext2Inode Record { get; } = record;

    /// <summary>A directory's live entries besides . and .., in on-disk order (getdents order).</summary>
    public List<(string Name, Inode Inode)> Entries { get; } = [];

    public Dictionary<string, int> Index { get; } = new(StringComparer.Ordinal);

    /// <summary>A symlink's target.</summary>
    public string? Target { get; set; }
}
