using Hardware.Emulator.Ata.Spec;

namespace Hardware.BlockLayer.Drivers.Ahci;

/// <summary>The data-out payload of DATA SET MANAGEMENT TRIM: LBA range entries in whole 512-byte blocks.</summary>
internal static class TrimPayload
{
    public const int BlockBytes = 512;

    /// <summary>Longest range one entry describes (its length field is 16 bits).</summary>
    public const int MaxRangeLength = ushort.MaxValue;

    /// <summary>Logical sectors <paramref name="maxBlocks"/> blocks of entries can cover.</summary>
    public static long MaxSectors(int maxBlocks) => (long)maxBlocks * DsmRangeEntry.EntriesPerBlock * MaxRangeLength;

    /// <summary>Writes entries covering [lba, lba + count) and zero-fills the rest of the last block; returns the blocks used.</summary>
    public static int Write(Span<byte> payload, long lba, long count)
    {
        int entries = 0;
        while (count > 0)
        {
            int length = (int)Math.Min(count, MaxRangeLength);
            new DsmRangeEntry { Lba = (ulong)lba, Length = (ushort)length }.Write(payload[(entries * DsmRangeEntry.Size)..]);
            entries++;
            lba += length;
            count -= length;
        }
        int blocks = Math.Max(1, (entries + DsmRangeEntry.EntriesPerBlock - 1) / DsmRangeEntry.EntriesPerBlock);
        payload[(entries * DsmRangeEntry.Size)..(blocks * BlockBytes)].Clear();
        return blocks;
    }
}
