using Hardware.BlockLayer;
using Hardware.Vfs.Cache;

namespace Hardware.Vfs.DevFs;

/// <summary>An open block-device file's private data: the bdev it is bound to, its read-ahead state and O_DIRECT segments.</summary>
internal sealed class BlockDeviceOpenFile
{
    public BlockDeviceOpenFile(BlockDeviceInode bdev, ReadAheadState readAhead)
    {
        Bdev = bdev;
        ReadAhead = readAhead;
    }

    public BlockDeviceInode Bdev { get; }

    public ReadAheadState ReadAhead { get; }

    /// <summary>Segment list reused by every O_DIRECT chunk of this open.</summary>
    public BioSegment[] Segments { get; } = new BioSegment[BlockDeviceFileOperations.DirectChunkPages];

    /// <summary>Bounce frames an O_DIRECT chunk moves data through (the caller's buffer is not guest memory).</summary>
    public CachePage[] Frames { get; } = new CachePage[BlockDeviceFileOperations.DirectChunkPages];

    /// <summary>An O_DIRECT transfer is using <see cref="Segments"/> and <see cref="Frames"/> (a concurrent one on a dup'ed descriptor gets its own).</summary>
    public bool DirectBusy { get; set; }
}
