using Hardware.BlockLayer;
using Hardware.Vfs.Cache;

namespace Hardware.Vfs.DevFs;

/// <summary>An open block-device file's private data: the bdev it is bound to, its read-ahead state and O_DIRECT segments.</summary>
internal sealed class BlockDeviceOpenFile
{
    private readonly Stack<DirectBuffers> _spare = new();
    private string? _directRenter;

    public BlockDeviceOpenFile(BlockDeviceInode bdev, ReadAheadState readAhead)
    {
        Bdev = bdev;
        ReadAhead = readAhead;
    }

    public BlockDeviceInode Bdev { get; }

    public ReadAheadState ReadAhead { get; }

    /// <summary>The renter name of O_DIRECT bounce frames (made once, not per I/O).</summary>
    public string DirectRenter => _directRenter ??= $"O_DIRECT {Bdev.Device.Name}";

    /// <summary>
    /// Segment list and bounce frames for one O_DIRECT transfer, reused: concurrent transfers on this open (an
    /// asynchronous engine at iodepth N) each take a set and give it back, so steady state allocates none.
    /// </summary>
    public DirectBuffers RentDirect() => _spare.TryPop(out DirectBuffers? buffers) ? buffers : new DirectBuffers();

    public void ReturnDirect(DirectBuffers buffers) => _spare.Push(buffers);
}

/// <summary>The segments and bounce frames (the caller's buffer is not guest memory) of one O_DIRECT transfer.</summary>
internal sealed class DirectBuffers
{
    public BioSegment[] Segments { get; } = new BioSegment[BlockDeviceFileOperations.DirectChunkPages];

    public CachePage[] Frames { get; } = new CachePage[BlockDeviceFileOperations.DirectChunkPages];
}
