using System.Buffers.Binary;
using System.Text;
using Hardware.Emulator.Ahci.Spec;
using Hardware.Emulator.Media;
using Hardware.Emulator.Sata;
using Hardware.Emulator.Tests.TestKit;

namespace Hardware.Emulator.Tests.FullStack;

/// <summary>
/// IDENTIFY DEVICE as a driver gets it: a PIO data-in command through the HBA into a guest buffer, decoded here word
/// by word from ACS-3 (not with the emulator's own parser), against the profile the drive was built from.
/// </summary>
public class IdentifyThroughHbaTests
{
    public static TheoryData<string> Devices() => new()
    {
        "hdd-7200",
        "ssd-sata",
        "ram",
        "hdd-7200 at LBA28 size",
        "ssd-sata with 4 KiB physical sectors",
    };

    private static DeviceProfile ProfileFor(string device) => device switch
    {
        "hdd-7200 at LBA28 size" => MachineRig.Lba28Sized("hdd-7200"),
        "ssd-sata with 4 KiB physical sectors" => MachineRig.Preset("ssd-sata") with { PhysicalSectorSize = 4096 },
        _ => MachineRig.Preset(device),
    };

    private static ushort Word(byte[] data, int index) => BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(index * 2));

    private static bool Bit(byte[] data, int word, int bit) => (Word(data, word) & (1 << bit)) != 0;

    /// <summary>ATA strings hold two characters per word, the first in the high byte, padded with spaces.</summary>
    private static string AtaString(byte[] data, int firstWord, int words)
    {
        var text = new StringBuilder();
        for (int w = firstWord; w < firstWord + words; w++)
        {
            ushort value = Word(data, w);
            text.Append((char)(value >> 8)).Append((char)(value & 0xFF));
        }
        return text.ToString();
    }

    [Theory]
    [MemberData(nameof(Devices))]
    public void Identify_through_the_hba_reports_the_identity_strings_of_the_profile(string device)
    {
        DeviceProfile profile = ProfileFor(device);
        using MachineRig rig = MachineRig.Start(profile);
        byte[] data = rig.Identify();

        Assert.Equal(profile.Serial.PadRight(20), AtaString(data, 10, 10));
        Assert.Equal(profile.Firmware.PadRight(8), AtaString(data, 23, 4));
        Assert.Equal(profile.Model.PadRight(40), AtaString(data, 27, 20));
    }

    [Theory]
    [MemberData(nameof(Devices))]
    public void Identify_through_the_hba_reports_lba28_and_lba48_capacity(string device)
    {
        DeviceProfile profile = ProfileFor(device);
        using MachineRig rig = MachineRig.Start(profile);
        byte[] data = rig.Identify();

        long sectors = profile.CapacityBytes / profile.LogicalSectorSize;
        uint lba28 = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(60 * 2));
        ulong lba48 = BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(100 * 2));
        Assert.Equal((uint)Math.Min(sectors, MachineRig.Lba28Capacity), lba28);
        Assert.Equal((ulong)sectors, lba48);
        Assert.True(Bit(data, 49, 9), "word 49 bit 9: LBA supported");
        Assert.True(Bit(data, 49, 8), "word 49 bit 8: DMA supported");
        Assert.True(Bit(data, 83, 10) && Bit(data, 86, 10), "words 83/86 bit 10: 48-bit address feature set supported and enabled");
    }

    [Theory]
    [MemberData(nameof(Devices))]
    public void Identify_through_the_hba_reports_ncq_depth_link_speed_and_the_command_features(string device)
    {
        DeviceProfile profile = ProfileFor(device);
        using MachineRig rig = MachineRig.Start(profile);
        byte[] data = rig.Identify();

        Assert.Equal(0, Word(data, 0) & 0x8000); // ATA device
        Assert.Equal(0, Word(data, 93)); // SATA: no hardware reset results
        Assert.Equal(profile.NcqDepth - 1, Word(data, 75) & 0x1F);
        Assert.True(Bit(data, 76, 8), "word 76 bit 8: NCQ supported");
        for (int generation = 1; generation <= 3; generation++)
            Assert.Equal(generation <= profile.LinkGeneration, Bit(data, 76, generation));
        // The link is up, so word 77 names the negotiated speed: the slower of the drive and the Gen3 HBA.
        Assert.Equal(Math.Min(profile.LinkGeneration, 3), (Word(data, 77) >> 1) & 0x7);

        Assert.True(Bit(data, 83, 12) && Bit(data, 83, 13), "word 83 bits 12/13: FLUSH CACHE and FLUSH CACHE EXT");
        Assert.True(Bit(data, 86, 12) && Bit(data, 86, 13), "word 86 bits 12/13 enabled");
        Assert.True(Bit(data, 84, 6), "word 84 bit 6: WRITE DMA FUA EXT");
        Assert.Equal(0x4000, Word(data, 83) & 0xC000); // word valid
        Assert.Equal(0x4000, Word(data, 84) & 0xC000);

        bool hasCache = profile.CacheBytes > 0;
        Assert.Equal(hasCache, Bit(data, 82, 5)); // volatile write cache supported
        Assert.Equal(hasCache && profile.WriteCacheEnabled, Bit(data, 85, 5)); // and enabled at power-on
        Assert.Equal(hasCache, Bit(data, 82, 6)); // read look-ahead
        Assert.Equal(hasCache, Bit(data, 85, 6));
    }

    [Theory]
    [MemberData(nameof(Devices))]
    public void Identify_through_the_hba_reports_sector_sizes_rotation_rate_and_trim(string device)
    {
        DeviceProfile profile = ProfileFor(device);
        using MachineRig rig = MachineRig.Start(profile);
        byte[] data = rig.Identify();

        ushort sectorWord = Word(data, 106);
        Assert.Equal(0x4000, sectorWord & 0xC000);
        int logicalPerPhysical = 1 << (sectorWord & 0xF);
        bool multiple = (sectorWord & 0x2000) != 0;
        Assert.Equal(profile.PhysicalSectorSize > profile.LogicalSectorSize, multiple);
        Assert.Equal(profile.PhysicalSectorSize, profile.LogicalSectorSize * (multiple ? logicalPerPhysical : 1));
        Assert.Equal(0, sectorWord & 0x1000); // 512-byte logical sectors: words 117-118 unused

        int expectedRotation = profile.Kind == "hdd" ? profile.Hdd!.Rpm : 1;
        Assert.Equal(expectedRotation, Word(data, 217));
        if (profile.Name == "hdd-7200")
            Assert.Equal(7200, Word(data, 217));

        Assert.Equal(profile.SupportsTrim, Bit(data, 169, 0));
        Assert.Equal(profile.SupportsTrim, Bit(data, 69, 14)); // deterministic read after TRIM
        Assert.Equal(profile.SupportsTrim, Bit(data, 69, 5)); // and it reads zeros
        if (profile.SupportsTrim)
            Assert.True(Word(data, 105) > 0, "word 105: DSM blocks per command");
    }

    [Theory]
    [MemberData(nameof(Devices))]
    public void Identify_through_the_hba_ends_with_a_valid_integrity_word(string device)
    {
        using MachineRig rig = MachineRig.Start(ProfileFor(device));
        byte[] data = rig.Identify();

        Assert.Equal(0xA5, data[510]);
        int sum = 0;
        foreach (byte b in data)
            sum += b;
        Assert.Equal(0, sum & 0xFF);
    }

    [Fact]
    public void Identify_completes_as_pio_data_in_with_pss_and_512_bytes_counted()
    {
        using MachineRig rig = MachineRig.Start(MachineRig.Preset("hdd-7200"));
        DmaBuffer buffer = rig.Driver.AllocateBuffer(512);

        CommandResult result = rig.Execute(AhciCommand.Read(AtaCommands.Identify(), buffer.Segment));

        Assert.True(result.Succeeded, result.ToString());
        Assert.True(result.Has(PortInterrupts.Pss), result.ToString());
        Assert.Equal(512u, result.PrdByteCount);
        Assert.Equal(AtaStatus.Drdy, result.Status & (AtaStatus.Drdy | AtaStatus.Bsy | AtaStatus.Drq | AtaStatus.Err));
        Assert.Equal("", rig.Warnings());
    }
}
