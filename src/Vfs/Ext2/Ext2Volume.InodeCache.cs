using System.Text;
using Hardware.BlockLayer;
using Hardware.Vfs.Cache;

namespace Hardware.Vfs.Ext2;

/// <summary>
/// The volume's live inodes (iget/iget_locked): an inode is read from its table block the first time a lookup
/// reaches it and stays one object while the VFS can reach it, so every name of a hard-linked file shares it.
/// Nothing is read at mount but the root.
/// </summary>
public sealed partial class Ext2Volume
{
    public const uint RootInode = 2;

    private readonly Dictionary<uint, Inode> _inodes = [];

    /// <summary>Inodes read so far and still live, by number.</summary>
    public int LoadedInodes => _inodes.Count;

    internal VirtualFileSystem Vfs { get; private set; } = null!;

    /// <summary>The superblock the volume was attached to at mount.</summary>
    internal SuperBlock SuperBlock => _superBlock!;

    /// <summary>Reads the root directory's inode (after <see cref="Attach"/>).</summary>
    internal async ValueTask<VfsResult<Inode>> GetRootAsync(VirtualFileSystem vfs, SuperBlock superBlock)
    {
        Vfs = vfs;
        VfsResult<Inode> root = await GetInodeAsync(RootInode);
        if (root.Ok && !root.Value.IsDirectory)
            return Fail<Inode>(Corrupt($"root inode {RootInode} is not a directory (mode {Convert.ToString(root.Value.FullMode, 8)})"));
        return root;
    }

    /// <summary>iget: the live inode <paramref name="number"/>, read from disk the first time.</summary>
    internal async ValueTask<VfsResult<Inode>> GetInodeAsync(uint number)
    {
        if (_inodes.TryGetValue(number, out Inode? live))
            return VfsResult<Inode>.Success(live);
        (Ext2Inode? record, Errno error) = await ReadInodeAsync(number);
        if (record is null)
            return Fail<Inode>(error);
        // Another process may have read it while this one waited for the disk.
        if (_inodes.TryGetValue(number, out live))
            return VfsResult<Inode>.Success(live);
        if (!Enum.IsDefined(record.Type))
            return Fail<Inode>(Corrupt($"inode {number} has mode {Convert.ToString(record.Mode, 8)} of no file type"));
        if (record.LinksCount == 0)
            return Fail<Inode>(Corrupt($"inode {number} is in a directory but has no links (deleted)"));
        string? implausible = CheckSize(record);
        if (implausible is not null)
            return Fail<Inode>(Corrupt($"inode {number}: {implausible}"));
        return VfsResult<Inode>.Success(Instantiate(number, record));
    }

    /// <summary>
    /// What is impossible about the record's i_size: a regular file past s_maxbytes, a directory that is empty or not
    /// a whole number of blocks (ext2_check_page's rule), or null.
    /// </summary>
    private string? CheckSize(Ext2Inode record)
    {
        long size = (long)Math.Min(record.FileSize, long.MaxValue);
        if (record.Type == InodeType.Regular && size > SuperBlock.MaxFileSize)
            return $"i_size {record.FileSize} is past the largest file this volume can hold ({SuperBlock.MaxFileSize})";
        if (record.Type == InodeType.Directory && (size == 0 || size % BlockSize != 0 || size / BlockSize > Record.BlocksCount))
            return $"directory i_size {record.FileSize} is not a whole number of blocks within the volume";
        return null;
    }

    /// <summary>The VFS inode over <paramref name="record"/> (read from the inode table), registered as live.</summary>
    internal Inode Instantiate(uint number, Ext2Inode record)
    {
        Inode inode = AllocateInode(number, record.Type);
        Ext2InodeData? data = TakeRecycledData(inode);
        if (data is null)
            data = new Ext2InodeData(number, record);
        else
            data.Reset(number, record);
        return Setup(inode, data);
    }

    /// <summary>alloc_inode for ext2: a recycled or new VFS inode of <paramref name="type"/> with ext2's operation tables.</summary>
    private Inode AllocateInode(uint number, InodeType type)
    {
        IFileOperations fileOperations = type switch
        {
            InodeType.Regular => Ext2FileOperations.Instance,
            InodeType.Directory => DirectoryFileOperations.Instance,
            InodeType.Symlink => NoDeviceFileOperations.Instance,
            _ => Vfs.SpecialFileOperations(type),
        };
        return Inode.Allocate(SuperBlock, number, type, 0, Ext2InodeOperations.Instance, fileOperations);
    }

    /// <summary>The private data a recycled inode brought along, when it can be reset (its map lock is free).</summary>
    private static Ext2InodeData? TakeRecycledData(Inode inode) =>
        inode.TakeRecycledPrivate<Ext2InodeData>() is { CanReset: true } data ? data : null;

    /// <summary>Fills <paramref name="inode"/>'s attributes from <paramref name="data"/>'s record and registers it as live.</summary>
    private Inode Setup(Inode inode, Ext2InodeData data)
    {
        Ext2Inode record = data.Record;
        uint number = data.Number;
        inode.Mode = record.Mode & ModeBits.All;
        inode.Uid = (int)record.Uid;
        inode.Gid = (int)record.Gid;
        inode.LinkCount = record.LinksCount;
        inode.Blocks = record.Blocks;
        inode.AccessTimeNs = Seconds(record.AccessTime);
        inode.ModifyTimeNs = Seconds(record.ModifyTime);
        inode.ChangeTimeNs = Seconds(record.ChangeTime);
        inode.Private = data;
        switch (inode.Type)
        {
            case InodeType.Regular:
                data.PageOperations ??= new Ext2AddressSpaceOperations(this, data);
                inode.CreateMapping(data.PageOperations, (long)record.FileSize);
                break;
            case InodeType.CharDevice or InodeType.BlockDevice:
                inode.DeviceNumber = DecodeDevice(record);
                break;
            default:
                inode.Size = (long)record.FileSize;
                break;
        }
        _inodes.Add(number, inode);
        return inode;
    }

    /// <summary>
    /// A symlink's target: a fast symlink keeps it in i_block (no data blocks besides an xattr block), a slow one in
    /// its first block.
    /// </summary>
    internal async ValueTask<VfsResult<string>> ReadSymlinkAsync(Ext2InodeData data)
    {
        if (data.Target is not null)
            return VfsResult<string>.Success(data.Target);
        Ext2Inode record = data.Record;
        long eaBlocks = record.FileAcl != 0 ? BlockSize / 512 : 0;
        if (record.Blocks - eaBlocks == 0)
        {
            if (record.FileSize >= Ext2Inode.InlineBytes)
                return Fail<string>(Corrupt($"fast symlink inode {data.Number} claims a {record.FileSize}-byte target"));
            data.Target = Encoding.UTF8.GetString(record.BlockBytes[..(int)record.FileSize]);
            return VfsResult<string>.Success(data.Target);
        }
        if (record.FileSize == 0 || record.FileSize >= (ulong)BlockSize)
            return Fail<string>(Corrupt($"symlink inode {data.Number} has a {record.FileSize}-byte target in a {BlockSize}-byte block"));
        (uint block, Errno error) = await MapBlockAsync(data.Number, record, 0);
        if (error != Errno.None)
            return Fail<string>(error);
        if (block == 0)
            return Fail<string>(Corrupt($"slow symlink inode {data.Number} has no data block"));
        using BufferLease lease = await Buffers.GetBlockAsync(block);
        if (!lease.Ok)
            return VfsResult<string>.Fail(lease.Status, $"ext2 {DeviceName}: reading symlink inode {data.Number} block {block} failed");
        data.Target = Encoding.UTF8.GetString(lease.Data[..(int)record.FileSize]);
        return VfsResult<string>.Success(data.Target);
    }

    /// <summary>Old encoding (8-bit major and minor) in i_block[0], else the new one in i_block[1].</summary>
    private static uint DecodeDevice(Ext2Inode record)
    {
        uint old = record.Block[0];
        if (old != 0)
            return Inode.MakeDevice((int)(old >> 8 & 0xFF), (int)(old & 0xFF));
        uint encoded = record.Block[1];
        return Inode.MakeDevice((int)((encoded & 0xFFF00) >> 8), (int)((encoded & 0xFF) | (encoded >> 12 & 0xFFF00)));
    }

    /// <summary>ext2 times are signed 32-bit seconds since the epoch.</summary>
    private static long Seconds(uint raw) => (int)raw * 1_000_000_000L;

    internal string LastError => _errors.Count > 0 ? _errors[^1] : $"ext2 {DeviceName}: error";

    internal VfsResult<T> Fail<T>(Errno error) => VfsResult<T>.Fail(error, error == Errno.EUCLEAN ? LastError : $"ext2 {DeviceName}: I/O error {error}");
}
