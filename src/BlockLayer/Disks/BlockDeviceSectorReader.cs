using Hardware.BlockLayer.Partitions;
using Hardware.Emulator.Machine;
using Hardware.Emulator.Platform;

namespace Hardware.BlockLayer.Disks;

/// <summary>
/// Reads sectors of a block device for the partition scanner: a bio into one borrowed guest page frame per
/// 4 KiB, then a copy out, the way the kernel reads a partition table through the page cache of the bdev.
/// </summary>
public sealed class BlockDeviceSectorReader : ISectorReader
{
    private readonly BlockDevice _device;
    private readonly PlatformServices _platform;
    private readonly int _processId;

    public BlockDeviceSectorReader(BlockDevice device, PlatformServices platform, int processId = 0)
    {
        _device = device;
        _platform = platform;
        _processId = processId;
    }

    public int SectorSize => _device.LogicalBlockSize;

    public long CapacitySectors => _device.CapacitySectors * Bio.SectorSize / SectorSize;

    public async ValueTask<Errno> ReadAsync(long sector, Memory<byte> destination)
    {
        if (destination.Length == 0 || destination.Length % SectorSize != 0)
            return Errno.EINVAL;
        long firstByte = sector * SectorSize;
        int frames = (destination.Length + PageFrame.Size - 1) / PageFrame.Size;
        PageFrame buffer = _platform.Frames.AllocateContiguous(frames);
        try
        {
            var bio = new Bio(_platform.Simulation);
            bio.Reset(BioOp.Read, firstByte / Bio.SectorSize, BioFlags.Sync | BioFlags.Meta, _processId);
            bio.AddSegment(new BioSegment(buffer.Address, destination.Length));
            Errno status = await _device.SubmitAndWaitAsync(bio);
            if (status == Errno.None)
                _platform.Memory.GetSpan(buffer.Address, destination.Length).CopyTo(destination.Span);
            return status;
        }
        finally
        {
            _platform.Frames.Free(buffer, frames);
        }
    }
}
