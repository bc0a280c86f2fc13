using Hardware.BlockLayer.Partitions;

namespace Hardware.BlockLayer.Tests.Partitions.TestKit;

/// <summary>
/// Builds a consistent GPT disk in memory (protective MBR, primary at LBA 1 with its entries at LBA 2, backup
/// entries and header at the end, all CRCs right), with hooks to bend the headers the way damaged or unusual
/// disks are bent while keeping their CRCs valid.
/// </summary>
public sealed class GptImageBuilder(long sectors, int sectorSize = 512)
{
    public static readonly Guid LinuxData = Guid.Parse("0FC63DAF-8483-4772-8E79-3D69D8477DE4");

    private readonly Dictionary<int, GptPartitionEntry> _entries = [];

    public uint EntryCount { get; init; } = 128;
    public uint EntrySize { get; init; } = GptPartitionEntry.Size;
    public Func<GptHeader, GptHeader> PrimaryHeader { get; init; } = h => h;
    public Func<GptHeader, GptHeader> BackupHeader { get; init; } = h => h;
    public MbrPartitionEntry[] MbrEntries { get; init; } = [MbrImageBuilder.Entry(MbrPartitionType.GptProtective, 1, (uint)Math.Min(sectors - 1, uint.MaxValue))];

    public long ArraySectors => (EntryCount * EntrySize + sectorSize - 1) / sectorSize;
    public ulong FirstUsable => (ulong)(2 + ArraySectors);
    public ulong LastUsable => (ulong)(sectors - 2 - ArraySectors);

    /// <summary>Puts a Linux-data partition covering LBAs <paramref name="first"/>..<paramref name="last"/> in entry <paramref name="index"/> (0-based).</summary>
    public GptImageBuilder Partition(int index, ulong first, ulong last, string name = "", ulong attributes = 0)
    {
        _entries[index] = new GptPartitionEntry(LinuxData, Guid.Parse($"00000000-0000-0000-0000-{index + 1:D12}"), first, last, attributes, name);
        return this;
    }

    public byte[] Build()
    {
        var image = new byte[sectors * sectorSize];
        new MbrImageBuilder(1, sectorSize).Table(0, MbrEntries).Image.AsSpan(0, MasterBootRecord.Size).CopyTo(image);

        var array = new byte[ArraySectors * sectorSize];
        foreach ((int index, GptPartitionEntry entry) in _entries)
            entry.Write(array.AsSpan(index * (int)EntrySize));
        uint arrayCrc = Crc32.Compute(array.AsSpan(0, (int)(EntryCount * EntrySize)));

        long lastLba = sectors - 1;
        long backupArrayLba = lastLba - ArraySectors;
        var primary = new GptHeader(GptHeader.ExpectedSignature, GptHeader.Revision1_0, GptHeader.Size, 0,
            MyLba: 1, AlternateLba: (ulong)lastLba, FirstUsable, LastUsable, Guid.Parse("01234567-89AB-CDEF-0123-456789ABCDEF"),
            PartitionEntriesLba: 2, EntryCount, EntrySize, arrayCrc);
        var backup = primary with { MyLba = (ulong)lastLba, AlternateLba = 1, PartitionEntriesLba = (ulong)backupArrayLba };

        array.CopyTo(image, 2 * sectorSize);
        array.CopyTo(image, backupArrayLba * sectorSize);
        PrimaryHeader(primary).WriteWithComputedCrc(image.AsSpan(sectorSize, sectorSize));
        BackupHeader(backup).WriteWithComputedCrc(image.AsSpan((int)(lastLba * sectorSize), sectorSize));
        return image;
    }

    public MemorySectorReader Reader() => new(Build(), sectorSize);
}
