namespace Hardware.BlockLayer.Partitions;

/// <summary>
/// Finds the partitions of a disk the way Linux block/partitions does: a protective MBR leads to GPT (efi.c),
/// any other MBR with the 0x55AA signature to the DOS scheme with its extended chain (msdos.c). Damaged input
/// comes back as values: an <see cref="IoError"/> and warnings naming the structure and value at fault.
/// </summary>
public static class PartitionTableReader
{
    public const int MinSectorSize = 512;
    public const int MaxSectorSize = 65536;

    public static ValueTask<PartitionScanResult> ScanAsync(ISectorReader disk) => ScanAsync(disk, "disk");

    /// <summary>Scans <paramref name="disk"/>; <paramref name="deviceName"/> (e.g. "sda") prefixes every message.</summary>
    public static ValueTask<PartitionScanResult> ScanAsync(ISectorReader disk, string deviceName)
    {
        ArgumentNullException.ThrowIfNull(disk);
        ArgumentException.ThrowIfNullOrEmpty(deviceName);

        int sectorSize = disk.SectorSize;
        if (sectorSize < MinSectorSize || sectorSize > MaxSectorSize || (sectorSize & (sectorSize - 1)) != 0)
            return ValueTask.FromResult(PartitionScan.Failed(new IoError(Errno.EINVAL,
                $"{deviceName}: logical sector size {sectorSize} is not a power of two in {MinSectorSize}..{MaxSectorSize}")));
        if (disk.CapacitySectors < 0)
            return ValueTask.FromResult(PartitionScan.Failed(new IoError(Errno.EINVAL,
                $"{deviceName}: capacity {disk.CapacitySectors} sectors is negative")));
        if (disk.CapacitySectors == 0)
            return ValueTask.FromResult(PartitionScan.Failed(null));

        return ScanCoreAsync(new PartitionScan(disk, deviceName));
    }

    private static async ValueTask<PartitionScanResult> ScanCoreAsync(PartitionScan scan)
    {
        SectorRead first = await scan.ReadAsync(0, 1);
        if (first.Failed)
        {
            scan.Fail(first.Error.Errno, $"MBR at sector 0: {first.Error.Message}");
            return scan.ToResult();
        }

        var mbr = MasterBootRecord.Read(first.Data);
        if (!mbr.HasBootSignature)
            return scan.ToResult();

        if (GptScanner.FindProtectiveEntry(mbr) is { } protective)
        {
            if (protective.Entry.StartLba == 1)
                await GptScanner.ScanAsync(scan);
            else
                // Linux's is_pmbr_valid requires the 0xEE entry to start at LBA 1, and msdos.c refuses any
                // table holding a 0xEE entry, so such a disk shows no partitions at all.
                scan.Warn($"MBR entry {protective.Index + 1} has the GPT protective type 0xEE but starts at LBA " +
                          $"{protective.Entry.StartLba}, not 1: neither a GPT nor a DOS table, no partitions");
            return scan.ToResult();
        }

        await MbrScanner.ScanAsync(scan, mbr);
        return scan.ToResult();
    }
}
