using Hardware.BlockLayer;
using Hardware.Vfs.Cache;

namespace Hardware.Vfs.Ext2.Mkfs;

/// <summary>
/// Writes the image through the block device's page cache, as mke2fs writes /dev/sdX with buffered I/O and fsyncs
/// at the end: whole pages need no read, a partial page (a 1 KiB block's neighbours) is read first. Runs of zero
/// blocks (the inode tables, most of a filesystem's metadata) go around the cache as direct writes whose segments all
/// point at one zeroed page, as ext2fs_zero_blocks2 hands them to the device; there is no write-zeroes command, and
/// TRIM does not promise zeros. Without a spare page in the pool the zeros go through the cache too.
/// </summary>
internal sealed class Ext2MkfsWriter
{
    private const int StagingBlocks = 64;
    private const int ZeroChunkBytes = 256 * 1024;
    private const int ZeroSegments = 256;
    private static readonly ReadOnlyMemory<byte> Zeros = new byte[ZeroChunkBytes];

    private readonly PageCache _cache;
    private readonly BlockDevice _device;
    private readonly AddressSpace _space;
    private readonly int _blockSize;
    private readonly int _processId;
    private readonly CachePage? _zeroPage;
    private readonly BioSegment[] _zeroSegments = [];

    private Ext2MkfsWriter(PageCache cache, BlockDevice device, int blockSize, int processId)
    {
        _cache = cache;
        _device = device;
        _blockSize = blockSize;
        _processId = processId;
        _space = cache.CreateAddressSpace($"{device.Name} (mkfs)", new BlockDeviceMapping(cache.Simulation, device, 0, BioFlags.Meta), device.CapacityBytes);
        if (cache.Pool.TryRent($"{device.Name} mkfs zeros", out CachePage page))
        {
            page.Bytes.Clear();
            _zeroPage = page;
            _zeroSegments = new BioSegment[ZeroSegments];
            _zeroSegments.AsSpan().Fill(new BioSegment(page.Address, CachePage.Size));
        }
    }

    /// <summary>Writes every region of <paramref name="image"/>, syncs and drops the pages; the first error names device and block.</summary>
    public static async ValueTask<VfsResult> WriteAsync(PageCache cache, BlockDevice device, Ext2Layout layout, Ext2MkfsImage image, int processId)
    {
        var writer = new Ext2MkfsWriter(cache, device, layout.BlockSize, processId);
        VfsResult result = await writer.WriteRegionsAsync(image);
        Errno sync = await cache.FsyncAsync(writer._space, processId);
        await cache.ReleaseAsync(writer._space);
        if (writer._zeroPage is not null)
            cache.Pool.Return(writer._zeroPage);
        if (!result.Ok)
            return result;
        return sync == Errno.None ? VfsResult.Success : VfsResult.Fail(sync, $"mkfs.ext2 {device.Name}: writing the filesystem back failed ({sync})");
    }

    private async ValueTask<VfsResult> WriteRegionsAsync(Ext2MkfsImage image)
    {
        byte[] staging = new byte[StagingBlocks * _blockSize];
        foreach (Ext2MkfsRegion region in image.Regions())
        {
            long zeroStart = -1, stagedStart = 0;
            int staged = 0;
            long end = region.FirstBlock + region.BlockCount;
            for (long block = region.FirstBlock; block < end; block++)
            {
                if (image.Render(block, staging.AsSpan(staged * _blockSize, _blockSize)))
                {
                    if (zeroStart >= 0 && await ZeroAsync(zeroStart, block - zeroStart) is { Ok: false } zeroFailed)
                        return zeroFailed;
                    zeroStart = -1;
                    if (staged++ == 0)
                        stagedStart = block;
                    if (staged == StagingBlocks)
                    {
                        if (await WriteAsync(stagedStart, staging.AsMemory(0, staged * _blockSize)) is { Ok: false } failed)
                            return failed;
                        staged = 0;
                    }
                    continue;
                }
                if (staged > 0)
                {
                    if (await WriteAsync(stagedStart, staging.AsMemory(0, staged * _blockSize)) is { Ok: false } failed)
                        return failed;
                    staged = 0;
                }
                if (zeroStart < 0)
                    zeroStart = block;
            }
            if (staged > 0 && await WriteAsync(stagedStart, staging.AsMemory(0, staged * _blockSize)) is { Ok: false } lastFailed)
                return lastFailed;
            if (zeroStart >= 0 && await ZeroAsync(zeroStart, end - zeroStart) is { Ok: false } lastZeroFailed)
                return lastZeroFailed;
        }
        return VfsResult.Success;
    }

    private async ValueTask<VfsResult> WriteAsync(long block, ReadOnlyMemory<byte> data)
    {
        CacheResult result = await _cache.WriteAsync(_space, block * _blockSize, data, _processId);
        if (result.Ok && result.Bytes == data.Length)
            return VfsResult.Success;
        Errno errno = result.Ok ? Errno.EIO : result.Error;
        return VfsResult.Fail(errno, $"mkfs.ext2 {_device.Name}: writing {data.Length / _blockSize} block(s) at block {block} failed ({errno})");
    }

    private async ValueTask<VfsResult> ZeroAsync(long block, long count)
    {
        long position = block * _blockSize;
        long end = position + count * _blockSize;
        if (_zeroPage is not null)
            return await ZeroDirectAsync(position, end);
        while (position < end)
        {
            int length = (int)Math.Min(ZeroChunkBytes, end - position);
            CacheResult result = await _cache.WriteAsync(_space, position, Zeros[..length], _processId);
            if (!result.Ok || result.Bytes != length)
            {
                Errno errno = result.Ok ? Errno.EIO : result.Error;
                return VfsResult.Fail(errno, $"mkfs.ext2 {_device.Name}: zeroing block {position / _blockSize} failed ({errno})");
            }
            position += length;
        }
        return VfsResult.Success;
    }

    private async ValueTask<VfsResult> ZeroDirectAsync(long position, long end)
    {
        while (position < end)
        {
            long length = Math.Min((long)ZeroSegments * CachePage.Size, end - position);
            int whole = (int)(length / CachePage.Size);
            int tail = (int)(length % CachePage.Size);
            BioSegment[] segments = _zeroSegments;
            if (tail != 0)
            {
                segments = new BioSegment[whole + 1];
                _zeroSegments.AsSpan(0, whole).CopyTo(segments);
                segments[whole] = new BioSegment(_zeroPage!.Address, tail);
            }
            CacheResult result = await _cache.DirectIOAsync(_space, BioOp.Write, position, segments.AsMemory(0, tail != 0 ? whole + 1 : whole), _processId);
            if (!result.Ok || result.Bytes != length)
            {
                Errno errno = result.Ok ? Errno.EIO : result.Error;
                return VfsResult.Fail(errno, $"mkfs.ext2 {_device.Name}: zeroing block {position / _blockSize} failed ({errno})");
            }
            position += length;
        }
        return VfsResult.Success;
    }
}
