using System.Buffers.Binary;
using Hardware.BlockLayer.Drivers.Ahci;
using Hardware.Emulator.Ata.Spec;

namespace Hardware.BlockLayer.Tests.Drivers;

/// <summary>How IDENTIFY DEVICE words become the driver's way of talking to the disk and its queue limits.</summary>
public class AtaDiskFeaturesTests
{
    private static byte[] Identify(IdentifyDeviceData data)
    {
        var bytes = new byte[IdentifyDeviceData.Size];
        data.Write(bytes);
        return bytes;
    }

    private static IdentifyDeviceData Disk => new()
    {
        Model = "TEST DISK",
        Serial = "S1",
        CapacitySectors = 1_000_000,
        QueueDepth = 32,
        WriteCacheSupported = true,
        WriteCacheEnabled = true,
        TrimSupported = true,
        MaxDsmBlocks = 8,
        NominalRotationRate = 5400,
    };

    private static void SetWord(byte[] data, IdentifyWord word, ushort value) =>
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan((int)word * 2), value);

    [Fact]
    public void An_NCQ_disk_behind_an_NCQ_host_is_driven_queued_at_its_depth_capped_by_the_slots()
    {
        AtaDiskFeatures features = AtaDiskFeatures.FromIdentify(Identify(Disk), hostSupportsNcq: true, commandSlots: 16);
        Assert.True(features.UsesNcq);
        Assert.Equal(16, features.QueueDepth);
        Assert.Equal(16, features.Limits.QueueDepth);
    }

    [Fact]
    public void The_tag_set_is_the_hosts_slots_even_for_a_disk_without_NCQ()
    {
        AtaDiskFeatures features = AtaDiskFeatures.FromIdentify(Identify(Disk with { QueueDepth = 0 }), hostSupportsNcq: true, commandSlots: 32);
        Assert.Equal(1, features.Limits.QueueDepth);
        Assert.Equal(32, features.Limits.TagSetDepth);
    }

    [Fact]
    public void Without_NCQ_on_either_side_the_queue_depth_is_one()
    {
        Assert.Equal(1, AtaDiskFeatures.FromIdentify(Identify(Disk), hostSupportsNcq: false, commandSlots: 32).QueueDepth);
        Assert.Equal(1, AtaDiskFeatures.FromIdentify(Identify(Disk with { QueueDepth = 0 }), hostSupportsNcq: true, commandSlots: 32).QueueDepth);
    }

    [Theory]
    [InlineData((ushort)0, true)]
    [InlineData((ushort)1, false)]
    [InlineData((ushort)7200, true)]
    public void Word_217_says_whether_the_medium_rotates(ushort rate, bool rotational) =>
        Assert.Equal(rotational, AtaDiskFeatures.FromIdentify(Identify(Disk with { NominalRotationRate = rate }), true, 32).Limits.Rotational);

    [Fact]
    public void FUA_comes_from_word_84_bit_6_only_when_the_word_is_marked_valid()
    {
        byte[] data = Identify(Disk);
        Assert.True(AtaDiskFeatures.FromIdentify(data, true, 32).Fua);
        SetWord(data, IdentifyWord.CommandSetSupportedExtension, 0x4020);
        Assert.False(AtaDiskFeatures.FromIdentify(data, true, 32).Fua);
        SetWord(data, IdentifyWord.CommandSetSupportedExtension, 0x0040);
        Assert.False(AtaDiskFeatures.FromIdentify(data, true, 32).Fua);
    }

    [Fact]
    public void The_write_cache_flag_is_word_85_bit_5_the_enabled_state()
    {
        Assert.True(AtaDiskFeatures.FromIdentify(Identify(Disk), true, 32).Limits.WriteCache);
        Assert.False(AtaDiskFeatures.FromIdentify(Identify(Disk with { WriteCacheEnabled = false }), true, 32).Limits.WriteCache);
    }

    [Theory]
    [InlineData((ushort)1, 1L * 64 * 65535)]
    [InlineData((ushort)8, 8L * 64 * 65535)]
    [InlineData((ushort)16, 8L * 64 * 65535)]
    public void Discard_size_is_the_range_blocks_the_disk_takes_up_to_one_page_of_them(ushort blocks, long sectors) =>
        Assert.Equal(sectors, AtaDiskFeatures.FromIdentify(Identify(Disk with { MaxDsmBlocks = blocks }), true, 32).Limits.MaxDiscardSectors);

    [Fact]
    public void A_disk_without_TRIM_cannot_discard()
    {
        AtaDiskFeatures features = AtaDiskFeatures.FromIdentify(Identify(Disk with { TrimSupported = false }), true, 32);
        Assert.Equal(0, features.TrimBlocks);
        Assert.Equal(0, features.Limits.MaxDiscardSectors);
    }

    [Fact]
    public void Sector_sizes_come_from_words_106_and_117_and_capacity_is_counted_in_512_byte_sectors()
    {
        AtaDiskFeatures features = AtaDiskFeatures.FromIdentify(
            Identify(Disk with { LogicalSectorSize = 4096, PhysicalSectorSize = 16384 }), true, 32);
        Assert.Equal(4096, features.Limits.LogicalBlockSize);
        Assert.Equal(16384, features.Limits.PhysicalBlockSize);
        Assert.Equal(8, features.SectorsPerBlock);
        Assert.Equal(8_000_000, features.Info.CapacitySectors);
    }

    [Fact]
    public void The_limits_Linux_fixes_for_AHCI_are_reported()
    {
        QueueLimits limits = AtaDiskFeatures.FromIdentify(Identify(Disk), true, 32).Limits;
        Assert.Equal(65535, limits.MaxHardwareSectors);
        Assert.Equal(2560, limits.MaxSectors);
        Assert.Equal(168, limits.MaxSegments);
        Assert.Equal(4 << 20, limits.MaxSegmentSize);
        Assert.False(limits.ReadOnly);
    }
}
