namespace Hardware.BlockLayer.Partitions;

/// <summary>
/// Reads one GPT (header plus entry array) at a given LBA and checks it as Linux's is_gpt_valid does:
/// signature, header size, header CRC, MyLBA, usable range, entry size and count, entry array CRC.
/// </summary>
internal static class GptTableReader
{
    public static async ValueTask<GptTableCheck> ReadAsync(PartitionScan scan, long lba)
    {
        SectorRead headerRead = await scan.ReadAsync(lba, 1);
        if (headerRead.Failed)
            return GptTableCheck.Unreadable(headerRead.Error);
        byte[] sector = headerRead.Data;
        var header = GptHeader.Read(sector);

        if (!header.HasExpectedSignature)
            return GptTableCheck.Damaged($"signature is 0x{header.Signature:X16}, not \"EFI PART\" (0x{GptHeader.ExpectedSignature:X16})");
        if (header.HeaderSize < GptHeader.Size || header.HeaderSize > scan.SectorSize)
            return GptTableCheck.Damaged($"HeaderSize is {header.HeaderSize}, outside {GptHeader.Size}..{scan.SectorSize}");
        uint computedHeaderCrc = GptHeader.ComputeHeaderCrc32(sector.AsSpan(0, (int)header.HeaderSize));
        if (computedHeaderCrc != header.HeaderCrc32)
            return GptTableCheck.Damaged($"HeaderCRC32 is 0x{header.HeaderCrc32:X8} but its {header.HeaderSize} bytes sum to 0x{computedHeaderCrc:X8}");
        if (header.MyLba != (ulong)lba)
            return GptTableCheck.Damaged($"MyLBA is {header.MyLba} but the header was read from LBA {lba}");

        ulong lastLba = (ulong)scan.LastLba;
        if (header.FirstUsableLba > lastLba || header.LastUsableLba > lastLba)
            return GptTableCheck.Damaged($"usable range {header.FirstUsableLba}..{header.LastUsableLba} runs past the last LBA {lastLba}");
        if (header.LastUsableLba < header.FirstUsableLba)
            return GptTableCheck.Damaged($"usable range {header.FirstUsableLba}..{header.LastUsableLba} ends before it starts");

        uint entrySize = header.SizeOfPartitionEntry;
        // UEFI allows any stride of 128 x 2^n bytes; the first 128 bytes of each are the defined entry.
        if (entrySize < GptPartitionEntry.Size || entrySize % GptPartitionEntry.Size != 0 || (entrySize & (entrySize - 1)) != 0)
            return GptTableCheck.Damaged($"SizeOfPartitionEntry is {entrySize}, not 128 x 2^n");
        if (header.NumberOfPartitionEntries == 0)
            return GptTableCheck.Damaged("NumberOfPartitionEntries is 0");
        ulong arrayBytes = (ulong)header.NumberOfPartitionEntries * entrySize;
        if (arrayBytes > PartitionScan.MaxReadBytes)
            return GptTableCheck.Damaged($"partition entry array of {header.NumberOfPartitionEntries} x {entrySize} bytes " +
                                         $"exceeds {PartitionScan.MaxReadBytes >> 20} MiB");
        long arraySectors = (long)((arrayBytes + (ulong)scan.SectorSize - 1) / (ulong)scan.SectorSize);
        if (header.PartitionEntriesLba > lastLba || (long)header.PartitionEntriesLba > scan.CapacitySectors - arraySectors)
            return GptTableCheck.Damaged($"partition entry array at LBA {header.PartitionEntriesLba} ({arraySectors} sectors) " +
                                         $"runs past the last LBA {lastLba}");

        SectorRead arrayRead = await scan.ReadAsync((long)header.PartitionEntriesLba, arraySectors);
        if (arrayRead.Failed)
            return GptTableCheck.Unreadable(new IoError(arrayRead.Error.Errno,
                $"partition entry array at LBA {header.PartitionEntriesLba}: {arrayRead.Error.Message}"));
        byte[] entries = arrayRead.Data.AsSpan(0, (int)arrayBytes).ToArray();
        uint computedArrayCrc = Crc32.Compute(entries);
        if (computedArrayCrc != header.PartitionEntriesCrc32)
            return GptTableCheck.Damaged($"PartitionEntryArrayCRC32 is 0x{header.PartitionEntriesCrc32:X8} but the " +
                                         $"{header.NumberOfPartitionEntries} entries at LBA {header.PartitionEntriesLba} sum to 0x{computedArrayCrc:X8}");

        return GptTableCheck.Valid(new GptTable(lba, header, entries));
    }
}
