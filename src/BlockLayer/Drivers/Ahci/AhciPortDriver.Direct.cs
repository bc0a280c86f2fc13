namespace Hardware.BlockLayer.Drivers.Ahci;

/// <summary>
/// I/O straight on the disk for callers without a request queue (the boot workload): each call becomes a request on
/// a minimal built-in host, so it takes the same path - and the same error handling - as the block layer's requests.
/// </summary>
public sealed partial class AhciPortDriver
{
    private DirectRequestHost? _direct;

    /// <summary>
    /// Reads or writes <paramref name="sectors"/> logical sectors at <paramref name="lba"/> through the guest-memory
    /// segments of <paramref name="buffer"/>; returns how it ended after error handling (EIO when recovery gave up).
    /// </summary>
    public ValueTask<Errno> TransferAsync(bool write, long lba, int sectors, ReadOnlyMemory<BioSegment> buffer, bool forceUnitAccess = false)
    {
        AtaDiskFeatures features = RequireDirectPath();
        if (buffer.Length > MaxPrdEntries)
            throw new ArgumentException($"{LogSource}: {buffer.Length} segments exceed the {MaxPrdEntries} PRD entries of a command table", nameof(buffer));
        long bytes = 0;
        foreach (BioSegment segment in buffer.Span)
        {
            if ((segment.Address & 1) != 0)
                throw new ArgumentException($"{LogSource}: segment at 0x{segment.Address:x} is not word aligned", nameof(buffer));
            bytes += segment.Length;
        }
        if (sectors <= 0 || sectors > AtaCommands.MaxSectorsLba48)
            throw new ArgumentOutOfRangeException(nameof(sectors), sectors, $"{LogSource}: one transfer moves 1 to {AtaCommands.MaxSectorsLba48} sectors");
        if (bytes != (long)sectors * features.Identify.LogicalSectorSize)
            throw new ArgumentException($"{LogSource}: {sectors} sectors of {features.Identify.LogicalSectorSize} bytes do not match a buffer of {bytes} bytes", nameof(buffer));
        if (lba < 0 || lba + sectors > features.Identify.CapacitySectors)
            throw new ArgumentOutOfRangeException(nameof(lba), lba, $"{LogSource}: sectors {lba}+{sectors} are outside the disk's {features.Identify.CapacitySectors}");
        return _direct!.SubmitAsync(write ? BioOp.Write : BioOp.Read, lba * features.SectorsPerBlock,
            forceUnitAccess ? BioFlags.Fua : BioFlags.None, buffer);
    }

    /// <summary>FLUSH CACHE EXT: everything written so far is on the medium when this succeeds.</summary>
    public ValueTask<Errno> FlushAsync()
    {
        RequireDirectPath();
        return _direct!.SubmitAsync(BioOp.Flush, 0, BioFlags.None, ReadOnlyMemory<BioSegment>.Empty);
    }

    private AtaDiskFeatures RequireDirectPath()
    {
        AtaDiskFeatures features = _features ?? throw new InvalidOperationException($"{LogSource}: the disk has not been identified");
        if (_host is null)
        {
            _direct = new DirectRequestHost(this, Simulation, _options.DirectRequestTimeoutNs);
            _host = _direct;
        }
        else if (!ReferenceEquals(_host, _direct))
        {
            throw new InvalidOperationException($"{LogSource}: the disk belongs to a request queue; submit I/O through it");
        }
        return features;
    }
}
