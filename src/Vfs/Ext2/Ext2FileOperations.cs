using Hardware.BlockLayer;

namespace Hardware.Vfs.Ext2;

/// <summary>ext2 regular files: page-cache reads; writes are refused with EROFS (this slice mounts read-only).</summary>
public sealed class Ext2FileOperations : PageCacheFileOperations
{
    public static Ext2FileOperations Instance { get; } = new();

    protected override Errno ReserveSpace(Inode inode, long position, ref int length) => Errno.EROFS;
}
