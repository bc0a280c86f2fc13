using System.Runtime.CompilerServices;
using Hardware.BlockLayer;
using Hardware.Emulator.Simulation;

namespace Hardware.Vfs.Cache;

/// <summary>
/// Address-space operations for data laid out contiguously on a block device from <see cref="StartSector"/>: a raw
/// device's own page cache (the buffer cache's backing) or a file in one extent. Each batch becomes one bio whose
/// segments are the batch's page frames, so the device DMAs straight into the cache; the part of a page past the
/// device's end is zero-filled. Bios are pooled.
/// </summary>
public sealed class BlockDeviceMapping : IAddressSpaceOperations
{
    private readonly Simulation _simulation;
    private readonly Stack<Bio> _bios = new();

    public BlockDeviceMapping(Simulation simulation, BlockDevice device, long startSector = 0, BioFlags extraFlags = BioFlags.None)
    {
        ArgumentNullException.ThrowIfNull(simulation);
        ArgumentNullException.ThrowIfNull(device);
        if (startSector < 0 || startSector >= device.CapacitySectors)
            throw new ArgumentOutOfRangeException(nameof(startSector), startSector, $"{device.Name} has {device.CapacitySectors} sectors");
        _simulation = simulation;
        Device = device;
        StartSector = startSector;
        ExtraFlags = extraFlags;
    }

    public BlockDevice Device { get; }

    public long StartSector { get; }

    /// <summary>Flags added to every data bio (Meta for the buffer cache).</summary>
    public BioFlags ExtraFlags { get; }

    /// <summary>Bytes the mapping can address: from the start sector to the device's end.</summary>
    public long CapacityBytes => (Device.CapacitySectors - StartSector) * Bio.SectorSize;

    public int IoPages => (int)((long)Device.Limits.MaxSectors * Bio.SectorSize / CachePage.Size);

    public ValueTask<Errno> ReadPagesAsync(PageBatch batch) => TransferAsync(batch, BioOp.Read);

    public ValueTask<Errno> WritePagesAsync(PageBatch batch) => TransferAsync(batch, BioOp.Write);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<Errno> TransferAsync(PageBatch batch, BioOp op)
    {
        Bio bio = RentBio();
        long firstSector = StartSector + (batch.FirstIndex << (CachePage.Shift - 9));
        bio.Reset(op, firstSector, batch.Flags | ExtraFlags, batch.ProcessId);
        foreach (CachePage page in batch.Pages)
        {
            long pageSector = StartSector + (page.Index << (CachePage.Shift - 9));
            long bytes = Math.Min(CachePage.Size, (Device.CapacitySectors - pageSector) * Bio.SectorSize);
            if (bytes < CachePage.Size && op == BioOp.Read)
                page.Bytes[(int)Math.Max(0, bytes)..].Clear();
            if (bytes > 0)
                bio.AddSegment(new BioSegment(page.Address, (int)bytes));
        }
        Errno status = bio.SegmentCount == 0 ? Errno.None : await Device.SubmitAndWaitAsync(bio);
        _bios.Push(bio);
        return status;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<Errno> FlushAsync(int processId)
    {
        Bio bio = RentBio();
        bio.Reset(BioOp.Flush, 0, BioFlags.Preflush | BioFlags.Sync, processId);
        Errno status = await Device.SubmitAndWaitAsync(bio);
        _bios.Push(bio);
        return status;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<Errno> DirectIOAsync(AddressSpace space, BioOp op, long position, ReadOnlyMemory<BioSegment> segments, int processId)
    {
        Bio bio = SubmitDirect(op, position, segments.Span, processId);
        Errno status = await bio.Completion.Task;
        ReleaseDirect(bio);
        return status;
    }

    /// <summary>
    /// The submitting half of <see cref="DirectIOAsync"/>: one synchronous bio over <paramref name="segments"/>,
    /// submitted and unplugged, not waited for. The caller waits on its <see cref="Bio.Completion"/> and then gives it
    /// back with <see cref="ReleaseDirect"/>.
    /// </summary>
    public Bio SubmitDirect(BioOp op, long position, ReadOnlySpan<BioSegment> segments, int processId)
    {
        Bio bio = RentBio();
        bio.Reset(op, StartSector + position / Bio.SectorSize, BioFlags.Sync, processId);
        foreach (BioSegment segment in segments)
            bio.AddSegment(segment);
        Device.SubmitAndUnplug(bio);
        return bio;
    }

    /// <summary>Returns a completed bio of <see cref="SubmitDirect"/> to the pool.</summary>
    public void ReleaseDirect(Bio bio) => _bios.Push(bio);

    private Bio RentBio() => _bios.TryPop(out Bio? bio) ? bio : new Bio(_simulation, 32);
}
