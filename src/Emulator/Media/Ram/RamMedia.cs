namespace Hardware.Emulator.Media;

/// <summary>
/// A RAM disk like Linux null_blk: every access completes a fixed latency after it starts, with unlimited
/// concurrency. With a bandwidth configured, all accesses share one transfer pipe of that rate.
/// </summary>
public sealed class RamMedia : IMediaModel
{
    private readonly long _latencyNs;
    private readonly double _nsPerByte;
    private long _pipeBusyUntil;

    /// <summary>A RAM disk for a valid profile of kind "ram" (its ram section may be left out).</summary>
    public RamMedia(DeviceProfile profile)
    {
        MediaModels.RequireValid(profile, "ram");
        RamParameters parameters = profile.Ram ?? new RamParameters();
        Profile = profile;
        CapacitySectors = profile.CapacityBytes / profile.LogicalSectorSize;
        _latencyNs = (long)Math.Round(parameters.LatencyUs * 1e3);
        _nsPerByte = parameters.BandwidthMBps > 0 ? 1e3 / parameters.BandwidthMBps : 0;
    }

    public DeviceProfile Profile { get; }

    public long CapacitySectors { get; }

    public int LogicalSectorSize => Profile.LogicalSectorSize;

    public int PhysicalSectorSize => Profile.PhysicalSectorSize;

    public ushort NominalRotationRate => 1;

    /// <summary>Unlimited: callers bound their own queues (NCQ allows 32); do not size arrays by it.</summary>
    public int MaxConcurrentAccesses => int.MaxValue;

    public long Access(long start, MediaOperation operation, long lba, int sectorCount)
    {
        MediaRange.Validate(lba, sectorCount, 1, CapacitySectors);
        if (_nsPerByte == 0) return start + _latencyNs;
        long transferStart = Math.Max(start, _pipeBusyUntil);
        _pipeBusyUntil = transferStart + (long)Math.Round((long)sectorCount * LogicalSectorSize * _nsPerByte);
        return _pipeBusyUntil + _latencyNs;
    }

    public long EstimatePositioning(long start, MediaOperation operation, long lba)
    {
        MediaRange.Validate(lba, 1, 1, CapacitySectors);
        return _nsPerByte == 0 ? 0 : Math.Max(0, _pipeBusyUntil - start);
    }

    /// <summary>Nothing to unmap: RAM reads cost the same either way.</summary>
    public void Trim(long lba, long sectorCount) => MediaRange.Validate(lba, sectorCount, 0, CapacitySectors);
}
