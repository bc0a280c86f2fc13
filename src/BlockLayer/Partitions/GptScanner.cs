namespace Hardware.BlockLayer.Partitions;

/// <summary>
/// The GPT scheme (Linux block/partitions/efi.c): primary table at LBA 1, backup where the primary's
/// AlternateLBA points (the last LBA when the primary is unusable). The primary wins when valid; a damaged
/// primary falls back to the backup with a warning, as Linux does with "gpt" on its command line and as
/// util-linux does always. Partitions are the used entries, numbered by entry index + 1.
/// </summary>
internal static class GptScanner
{
    public const long PrimaryHeaderLba = 1;

    public readonly record struct ProtectiveEntry(int Index, MbrPartitionEntry Entry);

    /// <summary>The first 0xEE entry of the MBR, which marks a protective (or hybrid) MBR.</summary>
    public static ProtectiveEntry? FindProtectiveEntry(MasterBootRecord mbr)
    {
        for (int i = 0; i < MasterBootRecord.EntryCount; i++)
            if (mbr.Entries[i].Type == MbrPartitionType.GptProtective)
                return new ProtectiveEntry(i, mbr.Entries[i]);
        return null;
    }

    public static async ValueTask ScanAsync(PartitionScan scan)
    {
        GptTableCheck primary = await GptTableReader.ReadAsync(scan, PrimaryHeaderLba);
        (long backupLba, string backupName, string locationProblem) = LocateBackup(scan, primary.Table);
        GptTableCheck backup = backupLba > PrimaryHeaderLba
            ? await GptTableReader.ReadAsync(scan, backupLba)
            : GptTableCheck.Damaged(locationProblem);

        GptTable table;
        if (primary.Table is not null)
        {
            table = primary.Table;
            if (backup.Table is null)
                scan.Warn($"{backupName}: {backup.Problem}; using the primary GPT");
            else
                CompareTables(scan, primary.Table, backup.Table);
        }
        else if (backup.Table is not null)
        {
            table = backup.Table;
            scan.Warn($"primary GPT header at LBA {PrimaryHeaderLba}: {primary.Problem}; using the {backupName}");
        }
        else
        {
            Errno errno = primary.Errno == Errno.EUCLEAN && backup.Errno == Errno.EUCLEAN ? Errno.EUCLEAN : Errno.EIO;
            scan.Fail(errno, $"primary GPT header at LBA {PrimaryHeaderLba}: {primary.Problem}; {backupName}: {backup.Problem}");
            return;
        }

        AddEntries(scan, table);
    }

    /// <summary>Where the backup header should be: the primary's AlternateLBA if the primary is valid, else the last LBA.</summary>
    private static (long Lba, string Name, string Problem) LocateBackup(PartitionScan scan, GptTable? primary)
    {
        if (primary is not null)
        {
            ulong alternate = primary.Header.AlternateLba;
            return alternate > PrimaryHeaderLba && alternate <= (ulong)scan.LastLba
                ? ((long)alternate, $"backup GPT header at LBA {alternate}", "")
                : (-1, "backup GPT header", $"the primary's AlternateLBA {alternate} is not an LBA in {PrimaryHeaderLba + 1}..{scan.LastLba}");
        }
        return scan.LastLba > PrimaryHeaderLba
            ? (scan.LastLba, $"backup GPT header at LBA {scan.LastLba}", "")
            : (-1, "backup GPT header", $"a disk of {scan.CapacitySectors} sectors has no room for one after LBA {PrimaryHeaderLba}");
    }

    private static void AddEntries(PartitionScan scan, GptTable table)
    {
        GptHeader header = table.Header;
        int count = (int)header.NumberOfPartitionEntries;
        for (int index = 0; index < count; index++)
        {
            GptPartitionEntry entry = table.Entry(index);
            if (!entry.IsUsed)
                continue;
            int number = index + 1;
            if (number > PartitionScan.MaxPartitionNumber)
            {
                scan.Warn($"GPT entry {number} is used but a disk has at most {PartitionScan.MaxPartitionNumber} partitions: ignored");
                continue;
            }
            if (entry.LastLba < entry.FirstLba)
            {
                scan.Warn($"GPT entry {number} ends at LBA {entry.LastLba} before it starts at LBA {entry.FirstLba}: rejected");
                continue;
            }
            // Stricter than Linux, which checks entries only against the disk end: an entry reaching into the
            // header or entry array areas would let a filesystem overwrite the table itself.
            if (entry.FirstLba < header.FirstUsableLba || entry.LastLba > header.LastUsableLba)
            {
                scan.Warn($"GPT entry {number} spans LBA {entry.FirstLba}..{entry.LastLba}, outside the usable range " +
                          $"{header.FirstUsableLba}..{header.LastUsableLba}: rejected");
                continue;
            }
            scan.Add(new PartitionInfo(number, (long)entry.FirstLba, (long)(entry.LastLba - entry.FirstLba + 1),
                PartitionInfo.GptScheme, 0, entry.TypeGuid, entry.UniqueGuid, entry.Name,
                (entry.Attributes & GptPartitionAttributes.LegacyBiosBootable) != 0, entry.Attributes));
        }
    }

    /// <summary>Both tables are valid: say where they disagree (Linux's compare_gpts), keeping the primary.</summary>
    private static void CompareTables(PartitionScan scan, GptTable primary, GptTable backup)
    {
        GptHeader p = primary.Header, b = backup.Header;
        void Differ(string field, object primaryValue, object backupValue) =>
            scan.Warn($"GPT primary and backup headers disagree on {field}: {primaryValue} vs {backupValue}; using the primary");

        if (p.MyLba != b.AlternateLba)
            Differ("the primary's LBA (MyLBA vs the backup's AlternateLBA)", p.MyLba, b.AlternateLba);
        if (p.FirstUsableLba != b.FirstUsableLba)
            Differ("FirstUsableLBA", p.FirstUsableLba, b.FirstUsableLba);
        if (p.LastUsableLba != b.LastUsableLba)
            Differ("LastUsableLBA", p.LastUsableLba, b.LastUsableLba);
        if (p.DiskGuid != b.DiskGuid)
            Differ("DiskGUID", p.DiskGuid, b.DiskGuid);
        if (p.NumberOfPartitionEntries != b.NumberOfPartitionEntries)
            Differ("NumberOfPartitionEntries", p.NumberOfPartitionEntries, b.NumberOfPartitionEntries);
        if (p.SizeOfPartitionEntry != b.SizeOfPartitionEntry)
            Differ("SizeOfPartitionEntry", p.SizeOfPartitionEntry, b.SizeOfPartitionEntry);
        if (p.PartitionEntriesCrc32 != b.PartitionEntriesCrc32)
            Differ("PartitionEntryArrayCRC32", $"0x{p.PartitionEntriesCrc32:X8}", $"0x{b.PartitionEntriesCrc32:X8}");
        if (backup.HeaderLba != scan.LastLba)
            scan.Warn($"backup GPT header is at LBA {backup.HeaderLba}, not at the last LBA {scan.LastLba} " +
                      "(was the image copied to a larger disk?)");
    }
}
