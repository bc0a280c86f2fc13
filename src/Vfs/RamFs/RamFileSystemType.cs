using System.Globalization;
using Hardware.BlockLayer;
using Hardware.Vfs.Cache;

namespace Hardware.Vfs.RamFs;

/// <summary>
/// ramfs (and rootfs, the same filesystem under the name the root mount uses): a filesystem with no device whose
/// mount fabricates a fresh superblock and an empty root directory. Options: size=N[k|m|g] caps the file data
/// (ENOSPC past it; no cap by default, as ramfs), mode=OCTAL sets the root directory's mode (default 0755).
/// </summary>
public sealed class RamFileSystemType : FileSystemType
{
    /// <summary>MAX_LFS_FILESIZE: ramfs files are bounded only by memory.</summary>
    public const long MaxFileSize = long.MaxValue;

    public RamFileSystemType(string name = "ramfs")
        : base(name, FileSystemFlags.None)
    {
    }

    protected override ValueTask<VfsResult<SuperBlock>> FillSuperAsync(VirtualFileSystem vfs, MountRequest request)
    {
        long limit = 0;
        int rootMode = 0x1ED;
        foreach (string option in request.Options.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int equals = option.IndexOf('=');
            string key = equals < 0 ? option : option[..equals];
            string value = equals < 0 ? "" : option[(equals + 1)..];
            switch (key)
            {
                case "size" when TryParseSize(value, out limit):
                    break;
                case "mode" when TryParseOctal(value, out rootMode):
                    break;
                default:
                    return new(VfsResult<SuperBlock>.Fail(Errno.EINVAL, $"{Name}: bad mount option '{option}'"));
            }
        }
        var superBlock = new SuperBlock(this, NextAnonymousId(), vfs.Simulation, vfs.Cache, null, CachePage.Size, MaxFileSize, request.Flags);
        var info = new RamSuperInfo(limit);
        superBlock.FileSystemInfo = info;
        superBlock.Operations = info;
        var operations = new RamInodeOperations(vfs);
        Inode root = operations.NewInode(superBlock, InodeType.Directory, rootMode, Credentials.Root, null, 0);
        superBlock.Root = DentryCache.CreateRoot(root);
        return new(VfsResult<SuperBlock>.Success(superBlock));
    }

    /// <summary>A byte count with an optional k/m/g suffix (powers of 1024), rounded up to whole pages.</summary>
    private static bool TryParseSize(string text, out long bytes)
    {
        bytes = 0;
        if (text.Length == 0)
            return false;
        long multiplier = char.ToLowerInvariant(text[^1]) switch { 'k' => 1L << 10, 'm' => 1L << 20, 'g' => 1L << 30, _ => 1 };
        string digits = multiplier == 1 ? text : text[..^1];
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long count) || count <= 0)
            return false;
        bytes = (count * multiplier + CachePage.Size - 1) / CachePage.Size * CachePage.Size;
        return true;
    }

    private static bool TryParseOctal(string text, out int mode)
    {
        mode = 0;
        if (text.Length == 0)
            return false;
        foreach (char c in text)
        {
            if (c is < '0' or > '7')
                return false;
            mode = mode * 8 + (c - '0');
        }
        return mode <= ModeBits.All;
    }
}
