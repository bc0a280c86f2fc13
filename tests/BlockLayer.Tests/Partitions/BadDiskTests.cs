using System.Buffers.Binary;
using Hardware.BlockLayer.Partitions;
using Hardware.BlockLayer.Tests.Partitions.TestKit;
using static Hardware.BlockLayer.Tests.Partitions.TestKit.MbrImageBuilder;

namespace Hardware.BlockLayer.Tests.Partitions;

/// <summary>Disks with no table, no sectors, bad geometry or random bytes: values come back, never exceptions.</summary>
public sealed class BadDiskTests : IDisposable
{
    private readonly ScratchDirectory _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public void An_all_zero_image_has_no_partitions_no_error_and_no_warnings()
    {
        string image = _scratch.CreateImage("empty.img", Scan.ImageBytes);

        PartitionScanResult result = Scan.File(image);

        Assert.Null(result.Error);
        Assert.Empty(result.Partitions);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void A_zero_size_disk_has_no_partitions_and_is_never_read()
    {
        var reader = new MemorySectorReader([], 512);

        PartitionScanResult result = Scan.Run(reader);

        Assert.Empty(result.Partitions);
        Assert.Null(result.Error);
        Assert.Equal(0, reader.ReadCount);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(256)]
    [InlineData(1000)]
    [InlineData(131072)]
    public void A_sector_size_that_is_not_a_power_of_two_from_512_to_64_KiB_is_EINVAL_naming_it(int sectorSize)
    {
        PartitionScanResult result = Scan.Run(new FixedGeometryReader(sectorSize, 100));

        Assert.Equal(Errno.EINVAL, result.Error?.Errno);
        Assert.Equal($"sdz: logical sector size {sectorSize} is not a power of two in 512..65536", result.Error!.Message);
    }

    [Fact]
    public void A_negative_capacity_is_EINVAL_naming_it()
    {
        PartitionScanResult result = Scan.Run(new FixedGeometryReader(512, -5));

        Assert.Equal(Errno.EINVAL, result.Error?.Errno);
        Assert.Contains("capacity -5 sectors is negative", result.Error!.Message);
    }

    [Fact]
    public void An_unreadable_sector_0_is_an_EIO_error_naming_the_mbr()
    {
        var reader = new MemorySectorReader(new byte[512 * 8], 512);
        reader.MakeUnreadable(0);

        PartitionScanResult result = Scan.Run(reader);

        Assert.Equal(new IoError(Errno.EIO, "sdz: MBR at sector 0: reading sectors 0..0 failed with EIO"), result.Error);
    }

    [Fact]
    public void A_one_sector_disk_with_a_protective_mbr_is_an_error_not_an_out_of_range_read()
    {
        var reader = new MbrImageBuilder(1).Table(0, Entry(MbrPartitionType.GptProtective, 1, 0)).Reader();

        PartitionScanResult result = Scan.Run(reader);

        Assert.Equal(Errno.EUCLEAN, result.Error?.Errno);
        Assert.Contains("primary GPT header at LBA 1: sectors 1..1 lie outside the disk (sectors 0..0)", result.Error!.Message);
        Assert.Contains("a disk of 1 sectors has no room for one after LBA 1", result.Error.Message);
    }

    [Fact]
    public void A_protective_entry_not_starting_at_lba_1_means_no_partitions_as_in_linux()
    {
        var reader = new MbrImageBuilder(100).Table(0, Entry(0x83, 1, 10), Entry(MbrPartitionType.GptProtective, 2, 97)).Reader();

        PartitionScanResult result = Scan.Run(reader);

        Assert.Empty(result.Partitions);
        Assert.Null(result.Error);
        Assert.Contains("MBR entry 2 has the GPT protective type 0xEE but starts at LBA 2, not 1", Assert.Single(result.Warnings));
    }

    /// <summary>
    /// Seeded random sectors, plain and dressed up as tables (boot signature, a protective or extended entry,
    /// a GPT signature with a right CRC): every scan returns, reads only inside the disk (the reader throws
    /// otherwise), and yields either an error with no partitions or partitions inside the disk.
    /// </summary>
    [Fact]
    public void Random_bytes_dressed_as_tables_never_throw_and_never_yield_a_partition_outside_the_disk()
    {
        var random = new Random(20240611);
        for (int round = 0; round < 2000; round++)
        {
            int sectorSize = round % 4 == 3 ? 4096 : 512;
            int sectors = random.Next(1, 80);
            var image = new byte[sectors * sectorSize];
            FillWithNoise(image, (ulong)random.NextInt64());
            DressUp(image, sectorSize, round % 5, random);
            var reader = new MemorySectorReader(image, sectorSize);

            PartitionScanResult result = Scan.Run(reader);

            if (result.Error is not null)
                Assert.Empty(result.Partitions);
            Assert.All(result.Partitions, p =>
            {
                Assert.InRange(p.Number, 1, 255);
                Assert.InRange(p.StartSector, 0, sectors - 1);
                Assert.InRange(p.SectorCount, 1, sectors - p.StartSector);
            });
            Assert.Equal(result.Partitions.Count, result.Partitions.Select(p => p.Number).Distinct().Count());
        }
    }

    /// <summary>SplitMix64 noise: deterministic like the seeded Random and far cheaper per byte than its NextBytes.</summary>
    private static void FillWithNoise(byte[] image, ulong state)
    {
        for (int offset = 0; offset + sizeof(ulong) <= image.Length; offset += sizeof(ulong))
        {
            ulong z = state += 0x9E3779B97F4A7C15;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
            BinaryPrimitives.WriteUInt64LittleEndian(image.AsSpan(offset), z ^ (z >> 31));
        }
    }

    private static void DressUp(byte[] image, int sectorSize, int variant, Random random)
    {
        if (variant == 0 || image.Length < 512)
            return;
        image[0x1FE] = 0x55;
        image[0x1FF] = 0xAA;
        for (int i = 0; i < 4; i++)
            image[0x1BE + 16 * i] = (byte)(random.Next(2) * 0x80);
        int slot = 0x1BE + 16 * random.Next(4);
        if (variant == 2)
        {
            image[slot + MbrPartitionEntry.TypeOffset] = MbrPartitionType.ExtendedLba;
            BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(slot + MbrPartitionEntry.StartLbaOffset), (uint)random.Next(1, 80));
        }
        if (variant >= 3 && image.Length >= 2 * sectorSize)
        {
            image[slot + MbrPartitionEntry.TypeOffset] = MbrPartitionType.GptProtective;
            BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(slot + MbrPartitionEntry.StartLbaOffset), 1);
            Span<byte> header = image.AsSpan(sectorSize, sectorSize);
            BinaryPrimitives.WriteUInt64LittleEndian(header, GptHeader.ExpectedSignature);
            BinaryPrimitives.WriteUInt32LittleEndian(header[GptHeader.HeaderSizeOffset..], GptHeader.Size);
            BinaryPrimitives.WriteUInt64LittleEndian(header[GptHeader.MyLbaOffset..], 1);
            if (variant == 4)
            {
                // Plausible enough to reach the entry checks: small numbers where the random ones would be huge.
                BinaryPrimitives.WriteUInt64LittleEndian(header[GptHeader.FirstUsableLbaOffset..], (ulong)random.Next(0, 20));
                BinaryPrimitives.WriteUInt64LittleEndian(header[GptHeader.LastUsableLbaOffset..], (ulong)random.Next(0, 80));
                BinaryPrimitives.WriteUInt64LittleEndian(header[GptHeader.PartitionEntriesLbaOffset..], (ulong)random.Next(0, 80));
                BinaryPrimitives.WriteUInt32LittleEndian(header[GptHeader.NumberOfPartitionEntriesOffset..], (uint)random.Next(1, 64));
                BinaryPrimitives.WriteUInt32LittleEndian(header[GptHeader.SizeOfPartitionEntryOffset..], 128);
                var parsed = GptHeader.Read(header);
                long arrayStart = (long)parsed.PartitionEntriesLba * sectorSize;
                long arrayBytes = parsed.NumberOfPartitionEntries * 128L;
                if (arrayStart + arrayBytes <= image.Length)
                    BinaryPrimitives.WriteUInt32LittleEndian(header[GptHeader.PartitionEntriesCrc32Offset..],
                        Crc32.Compute(image.AsSpan((int)arrayStart, (int)arrayBytes)));
            }
            BinaryPrimitives.WriteUInt32LittleEndian(header[GptHeader.HeaderCrc32Offset..], GptHeader.ComputeHeaderCrc32(header[..GptHeader.Size]));
        }
    }

    /// <summary>A reader with a geometry of its choosing that nothing may read from.</summary>
    private sealed class FixedGeometryReader(int sectorSize, long capacity) : ISectorReader
    {
        public int SectorSize => sectorSize;
        public long CapacitySectors => capacity;
        public ValueTask<Errno> ReadAsync(long sector, Memory<byte> destination) =>
            throw new InvalidOperationException("a disk with invalid geometry must not be read");
    }
}
