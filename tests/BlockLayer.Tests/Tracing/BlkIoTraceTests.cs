using System.Buffers.Binary;
using Hardware.BlockLayer.Tracing;

namespace Hardware.BlockLayer.Tests.Tracing;

public class BlkIoTraceTests
{
    private static readonly BlkIoTrace Sample = new(
        Magic: BlkIoTrace.CurrentMagic,
        Sequence: 0x0102_0304,
        Time: 0x1112_1314_1516_1718,
        Sector: 0x2122_2324_2526_2728,
        Bytes: 0x3132_3334,
        Action: 0x4142_4344,
        ProcessId: 0x5152_5354,
        Device: 0x6162_6364,
        Cpu: 0x7172_7374,
        Error: 0x8182,
        PduLength: 0x9192);

    [Fact]
    public void The_header_is_48_bytes_with_every_field_at_the_kernels_offset_in_little_endian()
    {
        Assert.Equal(48, BlkIoTrace.Size);
        var bytes = new byte[BlkIoTrace.Size];
        Sample.Write(bytes);

        Assert.Equal(BlkIoTrace.CurrentMagic, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(0)));
        Assert.Equal(0x0102_0304u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)));
        Assert.Equal(0x1112_1314_1516_1718ul, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(8)));
        Assert.Equal(0x2122_2324_2526_2728ul, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(16)));
        Assert.Equal(0x3132_3334u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(24)));
        Assert.Equal(0x4142_4344u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(28)));
        Assert.Equal(0x5152_5354u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(32)));
        Assert.Equal(0x6162_6364u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(36)));
        Assert.Equal(0x7172_7374u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(40)));
        Assert.Equal((ushort)0x8182, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(44)));
        Assert.Equal((ushort)0x9192, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(46)));

        Assert.Equal(
            [0, 4, 8, 16, 24, 28, 32, 36, 40, 44, 46],
            new[]
            {
                BlkIoTrace.MagicOffset, BlkIoTrace.SequenceOffset, BlkIoTrace.TimeOffset, BlkIoTrace.SectorOffset,
                BlkIoTrace.BytesOffset, BlkIoTrace.ActionOffset, BlkIoTrace.ProcessIdOffset, BlkIoTrace.DeviceOffset,
                BlkIoTrace.CpuOffset, BlkIoTrace.ErrorOffset, BlkIoTrace.PduLengthOffset,
            });
    }

    [Fact]
    public void The_magic_spells_eat_and_carries_version_7_in_its_low_byte()
    {
        Assert.Equal(0x6561_7407u, BlkIoTrace.CurrentMagic);
        var bytes = new byte[BlkIoTrace.Size];
        Sample.Write(bytes);
        Assert.Equal(new byte[] { 0x07, 0x74, 0x61, 0x65 }, bytes[..4]);

        Assert.True(Sample.HasBlktraceMagic);
        Assert.Equal(7, Sample.MagicVersion);
        Assert.False((Sample with { Magic = 0x1234_5607 }).HasBlktraceMagic);
        Assert.True((Sample with { Magic = 0x6561_7406 }).HasBlktraceMagic);
    }

    [Fact]
    public void A_header_reads_back_exactly_what_was_written()
    {
        var bytes = new byte[BlkIoTrace.Size + 5];
        Sample.Write(bytes.AsSpan(5));
        Assert.Equal(Sample, BlkIoTrace.Read(bytes.AsSpan(5)));
    }

    [Theory]
    [InlineData(8, 0, 0x0080_0000u)]
    [InlineData(8, 17, 0x0080_0011u)]
    [InlineData(259, 3, 0x1030_0003u)]
    [InlineData(4095, 1048575, 0xFFFF_FFFFu)]
    public void Device_numbers_keep_the_minor_in_the_low_twenty_bits(int major, int minor, uint device)
    {
        Assert.Equal(device, BlktraceDevice.Make(major, minor));
        Assert.Equal(major, BlktraceDevice.Major(device));
        Assert.Equal(minor, BlktraceDevice.Minor(device));
    }

    [Theory]
    [InlineData(-1, 0)]
    [InlineData(4096, 0)]
    [InlineData(8, -1)]
    [InlineData(8, 1 << 20)]
    public void Device_numbers_outside_twelve_and_twenty_bits_are_refused(int major, int minor) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => BlktraceDevice.Make(major, minor));
}
