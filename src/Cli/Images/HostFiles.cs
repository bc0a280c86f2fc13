using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Hardware.Cli.Images;

/// <summary>What lstat says about a host file, in the units the VFS uses.</summary>
public readonly record struct HostStatus(int Mode, long Inode, long Device, int Links, long Size, long AllocatedBlocks, long ModifyTimeNs)
{
    public int Type => Mode & 0xF000;

    public int Permissions => Mode & 0xFFF;
}

/// <summary>
/// The host calls .NET does not expose and cp needs to be faithful: statx for inode numbers and link counts (hard
/// links), lseek SEEK_DATA/SEEK_HOLE for holes and utimensat for nanosecond modification times. Linux only; the
/// callers fall back (no hard-link detection, no holes found, microsecond times) elsewhere.
/// </summary>
public static class HostFiles
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxBasicStats = 0x7FF;
    private const int SeekData = 3;
    private const int SeekHole = 4;
    private const long UtimeOmit = (1L << 30) - 2;

    /// <summary>lstat(2) through statx; null when the path does not exist.</summary>
    public static HostStatus? Lstat(string path)
    {
        if (OperatingSystem.IsLinux())
        {
            var buffer = new byte[256];
            if (Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxBasicStats, buffer) != 0)
                return null;
            // struct statx: stx_nlink @16, stx_mode @28, stx_ino @32, stx_size @40, stx_blocks @48, stx_mtime @112,
            // stx_dev_major @136, stx_dev_minor @140.
            long mtime = BinaryPrimitives.ReadInt64LittleEndian(buffer.AsSpan(112)) * 1_000_000_000L + BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(120));
            long device = (long)BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(136)) << 32 | BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(140));
            return new HostStatus(BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(28)), (long)BinaryPrimitives.ReadUInt64LittleEndian(buffer.AsSpan(32)),
                device, (int)BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(16)), (long)BinaryPrimitives.ReadUInt64LittleEndian(buffer.AsSpan(40)),
                (long)BinaryPrimitives.ReadUInt64LittleEndian(buffer.AsSpan(48)), mtime);
        }
        var info = new FileInfo(path);
        if (!info.Exists && !Directory.Exists(path) && info.LinkTarget is null)
            return null;
        int type = info.LinkTarget is not null ? 0xA000 : Directory.Exists(path) ? 0x4000 : 0x8000;
        int mode = OperatingSystem.IsWindows() ? 0x1ED : (int)info.UnixFileMode;
        long size = type == 0x8000 ? info.Length : 0;
        long ns = (info.LastWriteTimeUtc - DateTime.UnixEpoch).Ticks * 100;
        return new HostStatus(type | mode, 0, 0, 1, size, (size + 511) / 512, ns);
    }

    /// <summary>The data regions of an open host file (SEEK_DATA/SEEK_HOLE); the whole file where holes cannot be asked for.</summary>
    public static List<(long Offset, long Length)> DataRegions(SafeFileHandle handle, long size)
    {
        var regions = new List<(long, long)>();
        if (!OperatingSystem.IsLinux())
        {
            if (size > 0)
                regions.Add((0, size));
            return regions;
        }
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            int fd = (int)handle.DangerousGetHandle();
            long position = 0;
            while (position < size)
            {
                long data = Lseek(fd, position, SeekData);
                if (data < 0)
                {
                    // ENXIO: no data past position. EINVAL: the filesystem cannot tell; treat the rest as data.
                    if (Marshal.GetLastPInvokeError() != 6)
                        regions.Add((position, size - position));
                    break;
                }
                long hole = Lseek(fd, data, SeekHole);
                if (hole < 0 || hole > size)
                    hole = size;
                regions.Add((data, hole - data));
                position = hole;
            }
        }
        finally
        {
            if (added)
                handle.DangerousRelease();
        }
        return regions;
    }

    /// <summary>Sets the modification time (leaving the access time) without following a final symlink.</summary>
    public static bool SetModifyTime(string path, long modifyTimeNs)
    {
        if (!OperatingSystem.IsLinux())
        {
            if (System.IO.File.GetAttributes(path).HasFlag(FileAttributes.ReparsePoint))
                return false;
            System.IO.File.SetLastWriteTimeUtc(path, DateTime.UnixEpoch.AddTicks(modifyTimeNs / 100));
            return true;
        }
        long[] times = [0, UtimeOmit, Math.DivRem(modifyTimeNs, 1_000_000_000L, out long rest), rest];
        if (rest < 0)
        {
            times[2] -= 1;
            times[3] = rest + 1_000_000_000L;
        }
        return Utimensat(AtFdCwd, path, times, AtSymlinkNoFollow) == 0;
    }

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int Statx(int directoryFd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);

    [DllImport("libc", EntryPoint = "lseek", SetLastError = true)]
    private static extern long Lseek(int fd, long offset, int whence);

    [DllImport("libc", EntryPoint = "utimensat", SetLastError = true)]
    private static extern int Utimensat(int directoryFd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, long[] times, int flags);
}
