using Hardware.BlockLayer;
using Hardware.Vfs.Cache;

namespace Hardware.Vfs;

/// <summary>
/// File operations of a regular file whose data is in the page cache (generic_file_read_iter / write_iter): reads
/// copy once from the inode's address space (a hit completes synchronously without allocating), writes dirty pages.
/// A filesystem subclasses it to account space before a write.
/// </summary>
public class PageCacheFileOperations : IFileOperations
{
    public bool IsSeekable => true;

    /// <summary>Whether O_DIRECT opens are accepted (the filesystem moves data between the device and caller memory).</summary>
    protected virtual bool SupportsDirectIO => false;

    /// <summary>O_DIRECT on a filesystem without direct I/O is refused with EINVAL, as open(2) does.</summary>
    public virtual Errno Open(File file) =>
        (file.Flags & OpenFlags.Direct) != 0 && !SupportsDirectIO ? Errno.EINVAL : Errno.None;

    public virtual void Release(File file)
    {
    }

    public ValueTask<IoResult> ReadAsync(File file, long position, Memory<byte> buffer)
    {
        AddressSpace space = file.Inode.Mapping!;
        ValueTask<CacheResult> read = space.Cache.ReadAsync(space, position, buffer, file.ReadAhead, file.ProcessId);
        if (read.IsCompletedSuccessfully)
        {
            CacheResult result = read.Result;
            return new ValueTask<IoResult>(new IoResult(result.Bytes, result.Error));
        }
        return AwaitRead(read);
    }

    private static async ValueTask<IoResult> AwaitRead(ValueTask<CacheResult> read)
    {
        CacheResult result = await read;
        return new IoResult(result.Bytes, result.Error);
    }

    public ValueTask<IoResult> WriteAsync(File file, long position, ReadOnlyMemory<byte> buffer)
    {
        Inode inode = file.Inode;
        long maxSize = inode.SuperBlock.MaxFileSize;
        if (position >= maxSize)
            return new ValueTask<IoResult>(new IoResult(0, Errno.EFBIG));
        int length = (int)Math.Min(buffer.Length, maxSize - position);
        Errno reserved = ReserveSpace(inode, position, ref length);
        if (reserved != Errno.None)
            return new ValueTask<IoResult>(new IoResult(0, reserved));
        AddressSpace space = inode.Mapping!;
        ValueTask<CacheResult> write = space.Cache.WriteAsync(space, position, buffer[..length], file.ProcessId);
        if (write.IsCompletedSuccessfully)
            return new ValueTask<IoResult>(CompleteWrite(inode, write.Result));
        return AwaitWrite(inode, write);
    }

    private static async ValueTask<IoResult> AwaitWrite(Inode inode, ValueTask<CacheResult> write) => CompleteWrite(inode, await write);

    private static IoResult CompleteWrite(Inode inode, CacheResult result)
    {
        if (result.Bytes > 0)
            inode.Touch();
        return new IoResult(result.Bytes, result.Error);
    }

    /// <summary>
    /// Called before a write of <paramref name="length"/> bytes at <paramref name="position"/>: may shorten the write
    /// to what fits, or refuse it (ENOSPC) when nothing does.
    /// </summary>
    protected virtual Errno ReserveSpace(Inode inode, long position, ref int length) => Errno.None;

    public async ValueTask<Errno> FsyncAsync(File file, bool dataOnly)
    {
        AddressSpace space = file.Inode.Mapping!;
        return await space.Cache.FsyncAsync(space, file.ProcessId);
    }

    /// <summary>Without a block map every byte below the size is data and the only hole is the end (generic_file_llseek).</summary>
    public virtual ValueTask<long> SeekDataOrHoleAsync(File file, long offset, bool data)
    {
        long size = file.Inode.Size;
        if (offset >= size)
            return new(-1L);
        return new(data ? offset : size);
    }
}
