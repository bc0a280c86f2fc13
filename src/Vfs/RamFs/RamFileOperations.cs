using Hardware.BlockLayer;
using Hardware.Vfs.Cache;

namespace Hardware.Vfs.RamFs;

/// <summary>ramfs regular files: the page-cache file operations, with writes charged against the size= limit (ENOSPC).</summary>
public sealed class RamFileOperations : PageCacheFileOperations
{
    public static RamFileOperations Instance { get; } = new();

    protected override Errno ReserveSpace(Inode inode, long position, ref int length)
    {
        var info = (RamSuperInfo)inode.SuperBlock.FileSystemInfo!;
        var data = (RamFileData)inode.Private!;
        long neededPages = (position + length + CachePage.Size - 1) >> CachePage.Shift;
        if (neededPages <= data.ChargedPages)
            return Errno.None;
        long extraBytes = (neededPages - data.ChargedPages) * CachePage.Size;
        if (info.LimitBytes != 0 && info.UsedBytes + extraBytes > info.LimitBytes)
        {
            long affordablePages = data.ChargedPages + (info.LimitBytes - info.UsedBytes) / CachePage.Size;
            long allowedEnd = affordablePages * CachePage.Size;
            if (allowedEnd <= position)
                return Errno.ENOSPC;
            length = (int)(allowedEnd - position);
            neededPages = affordablePages;
            extraBytes = (neededPages - data.ChargedPages) * CachePage.Size;
        }
        info.UsedBytes += extraBytes;
        data.ChargedPages = neededPages;
        inode.Blocks = neededPages * (CachePage.Size / 512);
        return Errno.None;
    }
}
