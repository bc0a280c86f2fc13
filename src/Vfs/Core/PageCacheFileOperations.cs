using System.Runtime.CompilerServices;
using Hardware.BlockLayer;
using Hardware.Vfs.Cache;

namespace Hardware.Vfs;

/// <summary>
/// File operations of a regular file whose data is in the page cache (generic_file_read_iter / write_iter): reads
/// copy once from the inode's address space (a hit completes synchronously without allocating), writes dirty pages.
/// A filesystem subclasses it to account space before a write, and to accept O_DIRECT: then reads and writes of a
/// file opened with it go around the cache through the address space's direct I/O (the cache writes back and waits
/// for the range first, and drops it after a write).
/// </summary>
public class PageCacheFileOperations : IFileOperations
{
    public bool IsSeekable => true;

    /// <summary>Whether O_DIRECT opens are accepted (the filesystem moves data between the device and caller memory).</summary>
    protected virtual bool SupportsDirectIO => false;

    /// <summary>
    /// The alignment of an O_DIRECT offset and length on <paramref name="inode"/>: the logical block size of the
    /// device below (blockdev_direct_IO accepts it even when it is smaller than the filesystem's block).
    /// </summary>
    protected virtual int DirectIOAlignment(Inode inode) => Bio.SectorSize;

    /// <summary>O_DIRECT on a filesystem without direct I/O is refused with EINVAL, as open(2) does.</summary>
    public virtual Errno Open(File file) =>
        (file.Flags & OpenFlags.Direct) != 0 && !SupportsDirectIO ? Errno.EINVAL : Errno.None;

    public virtual void Release(File file)
    {
    }

    public ValueTask<IoResult> ReadAsync(File file, long position, Memory<byte> buffer)
    {
        AddressSpace space = file.Inode.Mapping!;
        if ((file.Flags & OpenFlags.Direct) != 0)
            return ReadDirect(file, space, position, buffer);
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
        bool direct = (file.Flags & OpenFlags.Direct) != 0;
        if (direct && !IsDirectAligned(inode, position, length))
            return new ValueTask<IoResult>(new IoResult(0, Errno.EINVAL));
        Errno reserved = ReserveSpace(inode, position, ref length);
        if (reserved != Errno.None)
            return new ValueTask<IoResult>(new IoResult(0, reserved));
        AddressSpace space = inode.Mapping!;
        if (direct)
            return WriteDirectAsync(file, space, position, buffer[..length]);
        ValueTask<CacheResult> write = space.Cache.WriteAsync(space, position, buffer[..length], file.ProcessId);
        if (write.IsCompletedSuccessfully)
            return new ValueTask<IoResult>(CompleteWrite(inode, write.Result));
        return AwaitWrite(inode, write);
    }

    /// <summary>O_DIRECT read: aligned (else EINVAL), nothing at or past the size, and no more than the size's last sector.</summary>
    private ValueTask<IoResult> ReadDirect(File file, AddressSpace space, long position, Memory<byte> buffer)
    {
        if (!IsDirectAligned(file.Inode, position, buffer.Length))
            return new ValueTask<IoResult>(new IoResult(0, Errno.EINVAL));
        long size = space.Size;
        if (position >= size || buffer.Length == 0)
            return new ValueTask<IoResult>(new IoResult(0));
        long toSize = (size - position + Bio.SectorSize - 1) / Bio.SectorSize * Bio.SectorSize;
        int length = (int)Math.Min(buffer.Length, toSize);
        return DirectAsync(file, space, BioOp.Read, position, length, buffer, default);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<IoResult> WriteDirectAsync(File file, AddressSpace space, long position, ReadOnlyMemory<byte> source)
    {
        IoResult result = await DirectAsync(file, space, BioOp.Write, position, source.Length, default, source);
        if (result.Bytes > 0)
            file.Inode.Touch();
        return result;
    }

    /// <summary>The transfer itself: the cache's bounce transfer with buffers borrowed for the call.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<IoResult> DirectAsync(File file, AddressSpace space, BioOp op, long position, int length,
        Memory<byte> destination, ReadOnlyMemory<byte> source)
    {
        PageCache cache = space.Cache;
        DirectBounceBuffers buffers = cache.RentDirectBuffers();
        try
        {
            CacheResult result = await cache.DirectBounceAsync(space, buffers, PageCache.DirectRenter, op, position, length,
                destination, source, file.ProcessId);
            return new IoResult(result.Bytes, result.Error);
        }
        finally
        {
            cache.ReturnDirectBuffers(buffers);
        }
    }

    private bool IsDirectAligned(Inode inode, long position, int length)
    {
        int alignment = DirectIOAlignment(inode);
        return position >= 0 && position % alignment == 0 && length % alignment == 0;
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
