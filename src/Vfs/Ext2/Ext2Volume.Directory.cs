using System.Text;
using Hardware.BlockLayer;
using Hardware.Vfs.Cache;

namespace Hardware.Vfs.Ext2;

/// <summary>
/// Reading directories on demand (ext2_find_entry, ext2_readdir, ext2_empty_dir): each lookup walks the
/// directory's blocks through the buffer cache, so a warm directory costs no I/O and a cold one reads only its own
/// blocks. Directory positions (getdents cookies) are 2 + the byte offset of the next record, as ext2's f_pos is
/// the byte offset; cookies 0 and 1 are the VFS's . and ..
/// </summary>
public sealed partial class Ext2Volume
{
    private const long FirstCookie = 2;

    /// <summary>
    /// Directory block <paramref name="fileBlock"/> of <paramref name="directory"/>, validated. On success the caller
    /// owns (and disposes) the lease.
    /// </summary>
    internal async ValueTask<(BufferLease Lease, uint Block, Errno Error)> ReadDirectoryBlockAsync(Ext2InodeData directory, long fileBlock)
    {
        (uint block, Errno error) = await MapBlockAsync(directory.Number, directory.Record, fileBlock);
        if (error != Errno.None)
            return (default, 0, error);
        if (block == 0)
            return (default, 0, Corrupt($"directory inode {directory.Number} has a hole at file block {fileBlock}"));
        BufferLease lease = await Buffers.GetBlockAsync(block);
        if (!lease.Ok)
            return (default, block, lease.Status);
        string? problem = Ext2DirectoryBlock.Validate(lease.Data, Record.InodesCount);
        if (problem is not null)
        {
            lease.Dispose();
            return (default, block, Corrupt($"directory inode {directory.Number} block {block}: {problem}"));
        }
        return (lease, block, Errno.None);
    }

    /// <summary>
    /// Encodes a directory entry's name as UTF-8 into <paramref name="key"/> (at least MaxNameLength bytes; the caller
    /// has checked the length) and returns its length. Names are encoded per block on the stack, never into an array.
    /// </summary>
    private static int EncodeName(string name, Span<byte> key) => Encoding.UTF8.GetBytes(name, key);

    /// <summary>The offset of the record named <paramref name="name"/> in a directory block, or -1 (the name is encoded on the stack).</summary>
    private static int FindName(ReadOnlySpan<byte> block, string name)
    {
        Span<byte> key = stackalloc byte[Ext2DirectoryEntry.MaxNameLength];
        return Ext2DirectoryBlock.Find(block, key[..EncodeName(name, key)]);
    }

    /// <summary>The number of directory blocks (i_size / block size).</summary>
    internal long DirectoryBlocks(Inode directory) => directory.Size / BlockSize;

    /// <summary>ext2_inode_by_name: the inode number named <paramref name="name"/>, or 0.</summary>
    internal async ValueTask<(uint Number, Errno Error)> FindEntryAsync(Inode directory, string name)
    {
        var data = (Ext2InodeData)directory.Private!;
        if (Encoding.UTF8.GetByteCount(name) > Ext2DirectoryEntry.MaxNameLength)
            return (0, Errno.None);
        long blocks = DirectoryBlocks(directory);
        for (long fileBlock = 0; fileBlock < blocks; fileBlock++)
        {
            (BufferLease lease, _, Errno error) = await ReadDirectoryBlockAsync(data, fileBlock);
            if (error != Errno.None)
                return (0, error);
            using (lease)
            {
                int offset = FindName(lease.Data, name);
                if (offset >= 0)
                    return (Ext2DirectoryEntry.ReadHeader(lease.Data[offset..]).Inode, Errno.None);
            }
        }
        return (0, Errno.None);
    }

    /// <summary>getdents over the directory's records from <paramref name="position"/>; see the type's remarks for cookies.</summary>
    internal async ValueTask<(int Count, Errno Error)> ReadEntriesAsync(Inode directory, long position, List<DirectoryEntry> entries, int max)
    {
        var data = (Ext2InodeData)directory.Private!;
        bool typed = (Record.FeatureIncompat & Ext2IncompatFeatures.FileType) != 0;
        long start = Math.Max(0, position - FirstCookie);
        long blocks = DirectoryBlocks(directory);
        var found = new List<(string Name, uint Inode, byte FileType, int Next)>();
        int added = 0;
        for (long fileBlock = start / BlockSize; fileBlock < blocks && added < max; fileBlock++)
        {
            int from = fileBlock == start / BlockSize ? (int)(start % BlockSize) : 0;
            (BufferLease lease, _, Errno error) = await ReadDirectoryBlockAsync(data, fileBlock);
            if (error != Errno.None)
                return (added, error);
            found.Clear();
            using (lease)
                Ext2DirectoryBlock.Collect(lease.Data, from, found, max - added);
            foreach ((string name, uint number, byte fileType, int next) in found)
            {
                InodeType? type = typed ? Ext2DirectoryBlock.TypeOf(fileType) : null;
                if (type is null)
                {
                    VfsResult<Inode> inode = await GetInodeAsync(number);
                    if (!inode.Ok)
                        return (added, inode.Errno);
                    type = inode.Value.Type;
                }
                entries.Add(new DirectoryEntry(name, number, type.Value, FirstCookie + fileBlock * BlockSize + next));
                added++;
            }
        }
        return (added, Errno.None);
    }

    /// <summary>ext2_empty_dir: no live record besides . and ..</summary>
    internal async ValueTask<(bool Empty, Errno Error)> IsEmptyDirectoryAsync(Inode directory)
    {
        var data = (Ext2InodeData)directory.Private!;
        long blocks = DirectoryBlocks(directory);
        for (long fileBlock = 0; fileBlock < blocks; fileBlock++)
        {
            (BufferLease lease, _, Errno error) = await ReadDirectoryBlockAsync(data, fileBlock);
            if (error != Errno.None)
                return (false, error);
            using (lease)
            {
                if (Ext2DirectoryBlock.HasEntries(lease.Data))
                    return (false, Errno.None);
            }
        }
        return (true, Errno.None);
    }
}
