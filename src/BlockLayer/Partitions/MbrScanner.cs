namespace Hardware.BlockLayer.Partitions;

/// <summary>
/// The DOS partition scheme as Linux block/partitions/msdos.c reads it: primary entries 1-4, and for an
/// extended entry a chain of EBRs whose logical partitions are numbered from 5.
/// </summary>
internal static class MbrScanner
{
    public const int FirstLogicalNumber = 5;

    /// <summary>msdos.c gives up after this many EBR links in a row that hold no logical partition.</summary>
    public const int MaxLinksWithoutLogical = 100;

    public static async ValueTask ScanAsync(PartitionScan scan, MasterBootRecord mbr)
    {
        // A FAT boot sector also ends in 0x55AA; msdos.c tells it from a partition table by boot flags
        // that are neither 0 nor 0x80.
        for (int i = 0; i < MasterBootRecord.EntryCount; i++)
        {
            byte flag = mbr.Entries[i].BootIndicator;
            if (flag is not 0 and not MbrPartitionEntry.ActiveFlag)
            {
                scan.Warn($"sector 0 ends in 0x55AA but MBR entry {i + 1} has boot flag 0x{flag:X2} (not 0 or 0x80): " +
                          "not a partition table (a FAT boot sector?), no partitions");
                return;
            }
        }

        int nextLogical = FirstLogicalNumber;
        for (int i = 0; i < MasterBootRecord.EntryCount; i++)
        {
            MbrPartitionEntry entry = mbr.Entries[i];
            if (entry.IsEmpty)
                continue;
            if (entry.IsExtended)
            {
                // As Linux: the extended partition's own device covers only its first 1 KiB (one sector when
                // sectors are larger), room for a boot loader but too small for mkfs to wreck the EBR chain.
                long stub = Math.Min(entry.SectorCount, scan.SectorSize == 512 ? 2 : 1);
                scan.Add(ToInfo(i + 1, entry.StartLba, stub, entry));
                nextLogical = await ScanExtendedAsync(scan, entry.StartLba, entry.SectorCount, nextLogical);
                continue;
            }
            scan.Add(ToInfo(i + 1, entry.StartLba, entry.SectorCount, entry));
        }
    }

    /// <summary>
    /// Follows the EBR chain of the extended partition at <paramref name="firstSector"/>. Each EBR's data
    /// entries are relative to that EBR; its link entry is relative to the extended partition's start. The
    /// chain ends at an EBR without a link; a link back to an EBR already read, too many links without a
    /// logical partition, or running out of partition numbers stops it with a warning.
    /// </summary>
    private static async ValueTask<int> ScanExtendedAsync(PartitionScan scan, long firstSector, long firstSize, int nextNumber)
    {
        long thisSector = firstSector;
        long thisSize = firstSize;
        int linksWithoutLogical = 0;
        var visited = new HashSet<long>();

        while (true)
        {
            if (++linksWithoutLogical > MaxLinksWithoutLogical)
            {
                scan.Warn($"EBR chain of the extended partition at sector {firstSector} has {MaxLinksWithoutLogical} " +
                          $"links in a row without a logical partition (at EBR sector {thisSector}): chain stopped");
                return nextNumber;
            }
            if (nextNumber > PartitionScan.MaxPartitionNumber)
            {
                scan.Warn($"EBR chain of the extended partition at sector {firstSector} goes on past partition " +
                          $"{PartitionScan.MaxPartitionNumber}, the most a disk can have: chain stopped at EBR sector {thisSector}");
                return nextNumber;
            }
            if (!visited.Add(thisSector))
            {
                scan.Warn($"EBR chain of the extended partition at sector {firstSector} links back to the EBR at sector " +
                          $"{thisSector} (a loop): chain stopped after {visited.Count} EBRs");
                return nextNumber;
            }

            SectorRead read = await scan.ReadAsync(thisSector, 1);
            if (read.Failed)
            {
                scan.Warn($"EBR at sector {thisSector}: {read.Error.Message}: chain stopped");
                return nextNumber;
            }
            var ebr = MasterBootRecord.Read(read.Data);
            if (!ebr.HasBootSignature)
            {
                scan.Warn($"EBR at sector {thisSector} has signature 0x{ebr.StoredBootSignature:X4}, not 0xAA55: chain stopped");
                return nextNumber;
            }

            // Usually entry 1 is the logical partition and entry 2 the link, but DR-DOS and OS/2 use other
            // slots, so every non-extended entry counts as data.
            for (int i = 0; i < MasterBootRecord.EntryCount; i++)
            {
                MbrPartitionEntry entry = ebr.Entries[i];
                if (entry.IsEmpty || entry.IsExtended)
                    continue;
                long offset = entry.StartLba;
                long size = entry.SectorCount;
                long start = thisSector + offset;
                // Entries 3 and 4 of an EBR often hold garbage: keep them only when they fit this EBR's
                // span and the extended partition.
                if (i >= 2 && (offset + size > thisSize || start < firstSector || start + size > firstSector + firstSize))
                {
                    scan.Warn($"EBR at sector {thisSector} entry {i + 1} (sectors {start}..{start + size - 1}) lies " +
                              "outside its extended partition: ignored as garbage");
                    continue;
                }
                scan.Add(ToInfo(nextNumber, start, size, entry));
                linksWithoutLogical = 0;
                if (++nextNumber > PartitionScan.MaxPartitionNumber)
                    break;
            }

            MbrPartitionEntry? link = null;
            foreach (MbrPartitionEntry entry in ebr.Entries)
            {
                if (!entry.IsEmpty && entry.IsExtended)
                {
                    link = entry;
                    break;
                }
            }
            if (link is not { } next)
                return nextNumber;
            thisSector = firstSector + next.StartLba;
            thisSize = next.SectorCount;
        }
    }

    private static PartitionInfo ToInfo(int number, long start, long count, MbrPartitionEntry entry) =>
        new(number, start, count, PartitionInfo.MbrScheme, entry.Type, Guid.Empty, Guid.Empty, "",
            entry.IsBootable, 0);
}
