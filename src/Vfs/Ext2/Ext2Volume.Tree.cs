using System.Text;
using Hardware.BlockLayer;
using Hardware.Vfs.Cache;

namespace Hardware.Vfs.Ext2;

/// <summary>
/// Loading the namespace: the VFS's lookup and readdir are synchronous, so mount walks the directory tree once from
/// the root, reading every directory's blocks linearly (an indexed directory's htree blocks read as one empty entry)
/// and every reachable inode. File data stays on disk and is read through the page cache on demand.
/// </summary>
public sealed partial class Ext2Volume
{
    public const uint RootInode = 2;

    private readonly Dictionary<uint, Inode> _inodes = [];

    /// <summary>Inodes loaded at mount, by number.</summary>
    public int LoadedInodes => _inodes.Count;

    /// <summary>Reads the tree from the root; a failure names the structure and block.</summary>
    internal async ValueTask<VfsResult<Inode>> LoadTreeAsync(VirtualFileSystem vfs, SuperBlock superBlock)
    {
        VfsResult<Inode> root = await LoadInodeAsync(vfs, superBlock, RootInode);
        if (!root.Ok)
            return root;
        if (!root.Value.IsDirectory)
            return Fail<Inode>(Corrupt($"root inode {RootInode} is not a directory (mode {Convert.ToString(root.Value.FullMode, 8)})"));
        var pending = new Queue<Inode>();
        pending.Enqueue(root.Value);
        while (pending.Count > 0)
        {
            Inode directory = pending.Dequeue();
            VfsResult loaded = await LoadDirectoryAsync(vfs, superBlock, directory, pending);
            if (!loaded.Ok)
                return loaded;
        }
        return root;
    }

    private async ValueTask<VfsResult> LoadDirectoryAsync(VirtualFileSystem vfs, SuperBlock superBlock, Inode directory, Queue<Inode> pending)
    {
        var data = (Ext2InodeData)directory.Private!;
        long blocks = ((long)data.Record.FileSize + BlockSize - 1) / BlockSize;
        var found = new List<(string Name, uint Number)>();
        for (long fileBlock = 0; fileBlock < blocks; fileBlock++)
        {
            (uint block, Errno error) = await MapBlockAsync(data.Number, data.Record, fileBlock);
            if (error != Errno.None)
                return VfsResult.Fail(error, LastError);
            if (block == 0)
                return VfsResult.Fail(Corrupt($"directory inode {data.Number} has a hole at file block {fileBlock}"), LastError);
            using BufferLease lease = await Buffers.GetBlockAsync(block);
            if (!lease.Ok)
                return VfsResult.Fail(lease.Status, $"ext2 {DeviceName}: reading directory inode {data.Number} block {block} failed");
            string? problem = ParseDirectoryBlock(lease.Data, found);
            if (problem is not null)
                return VfsResult.Fail(Corrupt($"directory inode {data.Number} block {block}: {problem}"), LastError);
        }
        foreach ((string name, uint number) in found)
        {
            Inode? child = _inodes.GetValueOrDefault(number);
            if (child is null)
            {
                VfsResult<Inode> loaded = await LoadInodeAsync(vfs, superBlock, number);
                if (!loaded.Ok)
                    return loaded.Status;
                child = loaded.Value;
                if (child.IsDirectory)
                    pending.Enqueue(child);
            }
            if (data.Index.ContainsKey(name))
                return VfsResult.Fail(Corrupt($"directory inode {data.Number} holds the name '{name}' twice"), LastError);
            data.Index.Add(name, data.Entries.Count);
            data.Entries.Add((name, child));
        }
        return VfsResult.Success;
    }

    /// <summary>Appends the live entries of one directory block (not . or ..); returns what is wrong with it, or null.</summary>
    private string? ParseDirectoryBlock(ReadOnlySpan<byte> block, List<(string Name, uint Number)> found)
    {
        int offset = 0;
        while (offset < block.Length)
        {
            if (block.Length - offset < Ext2DirectoryEntry.HeaderSize)
                return $"entry at offset {offset} overruns the block";
            (uint inode, ushort recordLength, byte nameLength, _) = Ext2DirectoryEntry.ReadHeader(block[offset..]);
            if (recordLength < Ext2DirectoryEntry.HeaderSize || recordLength % 4 != 0 || offset + recordLength > block.Length)
                return $"bad rec_len {recordLength} at offset {offset}";
            if (Ext2DirectoryEntry.HeaderSize + nameLength > recordLength)
                return $"name_len {nameLength} does not fit rec_len {recordLength} at offset {offset}";
            if (inode != 0)
            {
                if (inode > Record.InodesCount)
                    return $"entry at offset {offset} names inode {inode} past the {Record.InodesCount} inodes";
                if (nameLength == 0)
                    return $"entry at offset {offset} has an empty name";
                ReadOnlySpan<byte> name = block.Slice(offset + Ext2DirectoryEntry.NameOffset, nameLength);
                bool dot = name.Length == 1 && name[0] == (byte)'.';
                bool dotDot = name.Length == 2 && name[0] == (byte)'.' && name[1] == (byte)'.';
                if (!dot && !dotDot)
                    found.Add((Encoding.UTF8.GetString(name), inode));
            }
            offset += recordLength;
        }
        return null;
    }

    private async ValueTask<VfsResult<Inode>> LoadInodeAsync(VirtualFileSystem vfs, SuperBlock superBlock, uint number)
    {
        (Ext2Inode? record, Errno error) = await ReadInodeAsync(number);
        if (record is null)
            return Fail<Inode>(error);
        InodeType type = record.Type;
        if (!Enum.IsDefined(type))
            return Fail<Inode>(Corrupt($"inode {number} has mode {Convert.ToString(record.Mode, 8)} of no file type"));
        if (record.LinksCount == 0)
            return Fail<Inode>(Corrupt($"inode {number} is in a directory but has no links (deleted)"));
        var data = new Ext2InodeData(number, record);
        IFileOperations fileOperations = type switch
        {
            InodeType.Regular => Ext2FileOperations.Instance,
            InodeType.Directory => DirectoryFileOperations.Instance,
            InodeType.Symlink => NoDeviceFileOperations.Instance,
            _ => vfs.SpecialFileOperations(type),
        };
        var inode = new Inode(superBlock, number, type, record.Mode, Ext2InodeOperations.Instance, fileOperations)
        {
            Uid = (int)record.Uid,
            Gid = (int)record.Gid,
            LinkCount = record.LinksCount,
            Blocks = record.Blocks,
            AccessTimeNs = Seconds(record.AccessTime),
            ModifyTimeNs = Seconds(record.ModifyTime),
            ChangeTimeNs = Seconds(record.ChangeTime),
            Private = data,
        };
        switch (type)
        {
            case InodeType.Regular:
                inode.Mapping = superBlock.Cache.CreateAddressSpace($"{superBlock.Id}:{number}", new Ext2AddressSpaceOperations(this, data), (long)record.FileSize);
                break;
            case InodeType.Symlink:
                VfsResult<string> target = await ReadSymlinkAsync(data);
                if (!target.Ok)
                    return target.Status;
                data.Target = target.Value;
                inode.Size = (long)record.FileSize;
                break;
            case InodeType.CharDevice or InodeType.BlockDevice:
                inode.DeviceNumber = DecodeDevice(record);
                break;
            default:
                inode.Size = (long)record.FileSize;
                break;
        }
        _inodes.Add(number, inode);
        return VfsResult<Inode>.Success(inode);
    }

    /// <summary>A fast symlink keeps its target in i_block (no data blocks besides an xattr block); a slow one in block 0.</summary>
    private async ValueTask<VfsResult<string>> ReadSymlinkAsync(Ext2InodeData data)
    {
        Ext2Inode record = data.Record;
        long eaBlocks = record.FileAcl != 0 ? BlockSize / 512 : 0;
        if (record.Blocks - eaBlocks == 0)
        {
            if (record.FileSize >= Ext2Inode.InlineBytes)
                return Fail<string>(Corrupt($"fast symlink inode {data.Number} claims a {record.FileSize}-byte target"));
            return VfsResult<string>.Success(Encoding.UTF8.GetString(record.BlockBytes[..(int)record.FileSize]));
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
        return VfsResult<string>.Success(Encoding.UTF8.GetString(lease.Data[..(int)record.FileSize]));
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

    private string LastError => _errors.Count > 0 ? _errors[^1] : $"ext2 {DeviceName}: error";

    private VfsResult<T> Fail<T>(Errno error) => VfsResult<T>.Fail(error, error == Errno.EUCLEAN ? LastError : $"ext2 {DeviceName}: I/O error {error}");
}
