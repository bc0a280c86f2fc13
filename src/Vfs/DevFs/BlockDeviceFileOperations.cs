using System.Runtime.CompilerServices;
using Hardware.BlockLayer;
using Hardware.Vfs.Cache;

namespace Hardware.Vfs.DevFs;

/// <summary>
/// The file operations of every block-device inode (def_blk_fops). Open binds the file to the block device its inode
/// names (ENXIO when none is registered under the number) and to that device's single page cache; buffered reads and
/// writes go through it with read-ahead, fsync writes it back and flushes the disk cache, O_DIRECT moves exactly the
/// requested blocks (offset and length aligned to the logical block size, else EINVAL) past the cache. A read-only
/// device refuses writes with EROFS; writes at or past the end give ENOSPC, as blkdev_write_iter does.
/// </summary>
public sealed class BlockDeviceFileOperations : IFileOperations
{
    private readonly VirtualFileSystem _vfs;
    private readonly Dictionary<BlockDevice, BlockDeviceInode> _bdevs = [];

    public BlockDeviceFileOperations(VirtualFileSystem vfs)
    {
        ArgumentNullException.ThrowIfNull(vfs);
        _vfs = vfs;
    }

    /// <summary>The bdev state of every device opened so far (its page cache lives until <see cref="ReleaseUnusedAsync"/>).</summary>
    public IReadOnlyCollection<BlockDeviceInode> Devices => _bdevs.Values;

    public bool IsSeekable => true;

    /// <summary>The shared page cache of <paramref name="device"/> (bdev_inode's mapping), made on first use.</summary>
    public BlockDeviceInode GetBdev(BlockDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (!_bdevs.TryGetValue(device, out BlockDeviceInode? bdev))
        {
            AddressSpace mapping = _vfs.Cache.CreateAddressSpace($"bdev:{device.Name}", new BlockDeviceMapping(_vfs.Simulation, device), device.CapacityBytes);
            bdev = new BlockDeviceInode(device, mapping);
            _bdevs.Add(device, bdev);
        }
        return bdev;
    }

    public Errno Open(File file)
    {
        BlockDevice? device = _vfs.FindBlockDevice(file.Inode.DeviceNumber);
        if (device is null)
            return Errno.ENXIO;
        BlockDeviceInode bdev = GetBdev(device);
        bdev.OpenCount++;
        file.Inode.Size = device.CapacityBytes;
        file.Private = new BlockDeviceOpenFile(bdev, _vfs.Cache.CreateReadAheadState());
        return Errno.None;
    }

    public void Release(File file) => State(file).Bdev.OpenCount--;

    public ValueTask<IoResult> ReadAsync(File file, long position, Memory<byte> buffer)
    {
        BlockDeviceOpenFile open = State(file);
        if ((file.Flags & OpenFlags.Direct) != 0)
            return Direct(file, open, BioOp.Read, position, buffer, default);
        AddressSpace space = open.Bdev.Mapping;
        ValueTask<CacheResult> read = space.Cache.ReadAsync(space, position, buffer, open.ReadAhead, file.ProcessId);
        if (read.IsCompletedSuccessfully)
            return new ValueTask<IoResult>(ToIo(read.Result));
        return AwaitCache(read);
    }

    public ValueTask<IoResult> WriteAsync(File file, long position, ReadOnlyMemory<byte> buffer)
    {
        BlockDeviceOpenFile open = State(file);
        BlockDevice device = open.Bdev.Device;
        if (device.ReadOnly)
            return new ValueTask<IoResult>(new IoResult(0, Errno.EROFS));
        if (buffer.Length == 0)
            return new ValueTask<IoResult>(new IoResult(0));
        if (position >= device.CapacityBytes)
            return new ValueTask<IoResult>(new IoResult(0, Errno.ENOSPC));
        int length = (int)Math.Min(buffer.Length, device.CapacityBytes - position);
        if ((file.Flags & OpenFlags.Direct) != 0)
            return Direct(file, open, BioOp.Write, position, default, buffer[..length]);
        AddressSpace space = open.Bdev.Mapping;
        ValueTask<CacheResult> write = space.Cache.WriteAsync(space, position, buffer[..length], file.ProcessId);
        if (write.IsCompletedSuccessfully)
            return new ValueTask<IoResult>(ToIo(write.Result));
        return AwaitCache(write);
    }

    /// <summary>blkdev_fsync: every dirty page of the device written and waited for, then a cache flush to the disk.</summary>
    public async ValueTask<Errno> FsyncAsync(File file, bool dataOnly)
    {
        AddressSpace space = State(file).Bdev.Mapping;
        return await space.Cache.FsyncAsync(space, file.ProcessId);
    }

    /// <summary>A device is data from start to end.</summary>
    public ValueTask<long> SeekDataOrHoleAsync(File file, long offset, bool data)
    {
        long size = State(file).Bdev.Device.CapacityBytes;
        if (offset >= size)
            return new(-1L);
        return new(data ? offset : size);
    }

    /// <summary>
    /// The last close of each unopened device (blkdev_flush_mapping): writes back and flushes its cache, then drops it.
    /// Returns the first error.
    /// </summary>
    public async ValueTask<Errno> ReleaseUnusedAsync(int processId = 0)
    {
        Errno first = Errno.None;
        foreach (BlockDeviceInode bdev in _bdevs.Values.ToArray())
        {
            if (bdev.OpenCount > 0)
                continue;
            Errno error = await _vfs.Cache.FsyncAsync(bdev.Mapping, processId);
            if (first == Errno.None)
                first = error;
            await _vfs.Cache.ReleaseAsync(bdev.Mapping);
            _bdevs.Remove(bdev.Device);
        }
        return first;
    }

    /// <summary>
    /// O_DIRECT: offset and length aligned to the logical block size (else EINVAL), a read clamped at the device's end.
    /// The caller's buffer is host memory, so the data moves through guest frames rented for the transfer, which the
    /// device DMAs into or out of as one exact-size bio per chunk of <see cref="PageCache.DirectChunkPages"/>. A transfer of one
    /// chunk (every 4 KiB to 128 KiB I/O) is prepared and submitted without waiting and completes in the bio's
    /// completion event (<see cref="DirectRequest"/>): the system call's await is its only suspension.
    /// </summary>
    private ValueTask<IoResult> Direct(File file, BlockDeviceOpenFile open, BioOp op, long position, Memory<byte> destination,
        ReadOnlyMemory<byte> source)
    {
        BlockDevice device = open.Bdev.Device;
        int length = op == BioOp.Read ? destination.Length : source.Length;
        int blockSize = device.LogicalBlockSize;
        if (position < 0 || position % blockSize != 0 || length % blockSize != 0)
            return new ValueTask<IoResult>(new IoResult(0, Errno.EINVAL));
        if (op == BioOp.Read)
        {
            if (position >= device.CapacityBytes || length == 0)
                return new ValueTask<IoResult>(new IoResult(0));
            length = (int)Math.Min(length, device.CapacityBytes - position);
        }
        if (length > PageCache.DirectChunkPages * CachePage.Size)
            return DirectChunksAsync(file, open, op, position, length, destination, source);
        return open.RentDirect().Start(_vfs.Simulation, open.Bdev.Mapping, op, position, length, destination, source, file.ProcessId);
    }

    /// <summary>O_DIRECT larger than one chunk: the cache's bounce transfer, a bio of up to <see cref="PageCache.DirectChunkPages"/> pages at a time.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<IoResult> DirectChunksAsync(File file, BlockDeviceOpenFile open, BioOp op, long position, int length,
        Memory<byte> destination, ReadOnlyMemory<byte> source)
    {
        AddressSpace space = open.Bdev.Mapping;
        DirectRequest request = open.RentDirect();
        try
        {
            return ToIo(await space.Cache.DirectBounceAsync(space, request.Buffers, open.DirectRenter, op, position, length, destination, source, file.ProcessId));
        }
        finally
        {
            open.ReturnDirect(request);
        }
    }

    private static async ValueTask<IoResult> AwaitCache(ValueTask<CacheResult> operation) => ToIo(await operation);

    private static IoResult ToIo(CacheResult result) => new(result.Bytes, result.Error);

    private static BlockDeviceOpenFile State(File file) =>
        file.Private as BlockDeviceOpenFile ?? throw new InvalidOperationException($"{file} was not opened as a block device");
}
