using System.Buffers.Binary;
using System.Text;
using Hardware.BlockLayer.Partitions;

namespace Hardware.BlockLayer.Tests.Partitions;

public class GptStructureTests
{
    private static readonly Guid DiskGuid = Guid.Parse("01234567-89AB-CDEF-0123-456789ABCDEF");

    /// <summary>GUID 01234567-89AB-CDEF-0123-456789ABCDEF as GPT stores it: the first three fields little-endian.</summary>
    private static readonly byte[] DiskGuidOnDisk =
        [0x67, 0x45, 0x23, 0x01, 0xAB, 0x89, 0xEF, 0xCD, 0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF];

    private static readonly GptHeader SampleHeader = new(
        GptHeader.ExpectedSignature, GptHeader.Revision1_0, HeaderSize: 92, HeaderCrc32: 0xDEADBEEF,
        MyLba: 1, AlternateLba: 0x1FFFF, FirstUsableLba: 34, LastUsableLba: 0x1FFDE, DiskGuid,
        PartitionEntriesLba: 2, NumberOfPartitionEntries: 128, SizeOfPartitionEntry: 128, PartitionEntriesCrc32: 0x12345678);

    [Fact]
    public void The_header_is_92_bytes_with_every_field_at_its_uefi_offset()
    {
        Assert.Equal(92, GptHeader.Size);
        var bytes = new byte[512];
        SampleHeader.Write(bytes);

        Assert.Equal("EFI PART", Encoding.ASCII.GetString(bytes, 0, 8));
        Assert.Equal(0x00010000u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)));
        Assert.Equal(92u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(12)));
        Assert.Equal(0xDEADBEEFu, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(16)));
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(20)));
        Assert.Equal(1ul, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(24)));
        Assert.Equal(0x1FFFFul, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(32)));
        Assert.Equal(34ul, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(40)));
        Assert.Equal(0x1FFDEul, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(48)));
        Assert.Equal(DiskGuidOnDisk, bytes[56..72]);
        Assert.Equal(2ul, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(72)));
        Assert.Equal(128u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(80)));
        Assert.Equal(128u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(84)));
        Assert.Equal(0x12345678u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(88)));
        Assert.All(bytes[92..], b => Assert.Equal(0, b));

        Assert.Equal(SampleHeader, GptHeader.Read(bytes));
    }

    [Fact]
    public void The_header_crc_is_taken_with_its_own_field_as_zero()
    {
        var bytes = new byte[92];
        SampleHeader.Write(bytes);
        uint withStoredCrc = GptHeader.ComputeHeaderCrc32(bytes);

        var zeroed = (byte[])bytes.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(zeroed.AsSpan(16), 0);
        Assert.Equal(Crc32.Compute(zeroed), withStoredCrc);

        SampleHeader.WriteWithComputedCrc(bytes);
        Assert.Equal(withStoredCrc, GptHeader.Read(bytes).HeaderCrc32);
    }

    [Fact]
    public void An_entry_is_128_bytes_with_guids_inclusive_lbas_attributes_and_a_utf16_name()
    {
        Assert.Equal(128, GptPartitionEntry.Size);
        var entry = new GptPartitionEntry(DiskGuid, Guid.Parse("11111111-2222-3333-4444-555555555555"),
            FirstLba: 2048, LastLba: 4095, Attributes: 0x8000_0000_0000_0005, Name: "données");
        var bytes = new byte[GptPartitionEntry.Size];
        entry.Write(bytes);

        Assert.Equal(DiskGuidOnDisk, bytes[0..16]);
        Assert.Equal(new byte[] { 0x11, 0x11, 0x11, 0x11, 0x22, 0x22, 0x33, 0x33 }, bytes[16..24]);
        Assert.Equal(2048ul, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(32)));
        Assert.Equal(4095ul, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(40)));
        Assert.Equal(0x8000_0000_0000_0005ul, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(48)));
        Assert.Equal("données", Encoding.Unicode.GetString(bytes, 56, 14));
        Assert.All(bytes[70..128], b => Assert.Equal(0, b));

        Assert.Equal(entry, GptPartitionEntry.Read(bytes));
        Assert.True(entry.IsUsed);
        Assert.False((entry with { TypeGuid = Guid.Empty }).IsUsed);
    }

    [Fact]
    public void A_name_of_all_36_units_has_no_terminator_and_a_longer_one_is_a_bug()
    {
        string full = new('x', GptPartitionEntry.NameLength);
        var bytes = new byte[GptPartitionEntry.Size];
        new GptPartitionEntry(DiskGuid, DiskGuid, 0, 0, 0, full).Write(bytes);
        Assert.Equal(full, GptPartitionEntry.Read(bytes).Name);

        Assert.Throws<ArgumentException>(() => new GptPartitionEntry(DiskGuid, DiskGuid, 0, 0, 0, full + "y").Write(bytes));
    }

    [Fact]
    public void A_name_with_an_unpaired_surrogate_reads_as_a_replacement_character()
    {
        var bytes = new byte[GptPartitionEntry.Size];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(56), 'A');
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(58), 0xD800);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(60), 'B');
        Assert.Equal("A\uFFFDB", GptPartitionEntry.Read(bytes).Name);
    }
}
