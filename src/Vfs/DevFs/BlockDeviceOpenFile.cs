using Hardware.BlockLayer;
using Hardware.Vfs.Cache;

namespace Hardware.Vfs.DevFs;

/// <summary>An open block-device file's private data: the bdev it is bound to, its read-ahead state and O_DIRECT segments.</summary>
internal sealed class BlockDeviceOpenFile
{
    private readonly Stack<DirectRequest> _spare = new();
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
    /// The request (segment list, bounce frames, the wait) of one O_DIRECT transfer, reused: concurrent transfers on
    /// this open (an asynchronous engine at iodepth N) each take one and give it back, so steady state allocates none.
    /// </summary>
    public DirectRequest RentDirect() => _spare.TryPop(out DirectRequest? request) ? request : new DirectRequest(this);

    public void ReturnDirect(DirectRequest request) => _spare.Push(request);
}
