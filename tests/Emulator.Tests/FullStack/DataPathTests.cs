using Hardware.Emulator.Ahci.Spec;
using Hardware.Emulator.Ata;
using Hardware.Emulator.Simulation;
using Hardware.Emulator.Tests.TestKit;

namespace Hardware.Emulator.Tests.FullStack;

/// <summary>
/// Write-then-read DMA through the HBA into the real drive, for every preset, addressing mode, size and place on the
/// disk: what a driver writes comes back byte for byte, before a FLUSH (partly from the write-back cache) and after it
/// (from the medium), and the sectors on either side stay untouched.
/// </summary>
public class DataPathTests
{
    private static readonly string[] Devices = ["hdd-7200", "ssd-sata", "ram"];
    private static readonly int[] Sizes = [512, 4 << 10, 8 << 10, 256 << 10, 4 << 20];
    private static readonly string[] Places = ["first", "middle", "last"];

    public static TheoryData<string, DmaMode, int, string> Transfers()
    {
        var data = new TheoryData<string, DmaMode, int, string>();
        foreach (string device in Devices)
            foreach (DmaMode mode in Enum.GetValues<DmaMode>())
                foreach (int size in Sizes)
                    foreach (string place in Places)
                        data.Add(device, mode, size, place);
        return data;
    }

    /// <summary>28-bit commands get a drive of exactly what they address, so "last" is the top of the 28-bit range.</summary>
    private static MachineRig StartFor(string device, DmaMode mode) =>
        MachineRig.Start(mode == DmaMode.Lba28 ? MachineRig.Lba28Sized(device) : MachineRig.Preset(device));

    private static long LbaFor(string place, long capacity, int sectors) => place switch
    {
        "first" => 0,
        "middle" => capacity / 2 + 3,
        "last" => capacity - sectors,
        _ => throw new ArgumentOutOfRangeException(nameof(place)),
    };

    [Theory]
    [MemberData(nameof(Transfers))]
    public void Data_written_through_the_hba_reads_back_byte_for_byte_before_and_after_a_flush(string device, DmaMode mode, int size, string place)
    {
        using MachineRig rig = StartFor(device, mode);
        int sectors = size / MachineRig.SectorSize;
        long capacity = rig.CapacitySectors;
        long lba = LbaFor(place, capacity, sectors);
        if (mode == DmaMode.Lba28)
            Assert.True(lba + sectors <= 1L << 28, "28-bit commands address the whole drive");
        byte[] data = MachineRig.Pattern(size, StableHash.Fnv1a64($"{device}/{mode}/{size}/{place}"), lba);

        DriveStatistics statistics = rig.Drive.Statistics;
        rig.Write(mode, lba, data);
        // Before the flush the drive serves what is still dirty from its cache and what it destaged meanwhile from the medium.
        Assert.Equal(data, rig.Read(mode, lba, size));

        Assert.True(rig.Flush().Succeeded);
        Assert.Equal(0, rig.Drive.DirtySectors);
        long mediaReads = statistics.MediaReads;
        Assert.Equal(data, rig.Read(mode, lba, size));
        Assert.True(statistics.MediaReads > mediaReads, "after the flush the data comes from the medium");

        // Nothing spilled over: the neighbouring sectors still read as never written.
        var blank = new byte[MachineRig.SectorSize];
        if (lba > 0)
            Assert.Equal(blank, rig.Read(mode, lba - 1, MachineRig.SectorSize));
        if (lba + sectors < capacity)
            Assert.Equal(blank, rig.Read(mode, lba + sectors, MachineRig.SectorSize));
        Assert.Equal("", rig.Warnings());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_4_kib_transfer_over_128_prd_entries_of_32_bytes_moves_every_byte_in_order(bool write)
    {
        using MachineRig rig = MachineRig.Start(MachineRig.Preset("hdd-7200"));
        AhciTestDriver driver = rig.Driver;
        const long lba = 123_457;
        byte[] data = MachineRig.Pattern(4096, StableHash.Fnv1a64($"prdt-32/{write}"), lba);
        DmaBuffer buffer = driver.AllocateBuffer(4096);

        CommandResult result;
        if (write)
        {
            data.CopyTo(buffer.Span);
            result = rig.Execute(AhciCommand.Write(AtaCommands.WriteDma48(lba, 8), buffer.Segment) with { PrdEntrySize = 32 });
        }
        else
        {
            rig.Write(DmaMode.Lba48, lba, data);
            buffer.Span.Fill(0xEE);
            result = rig.Execute(AhciCommand.Read(AtaCommands.ReadDma48(lba, 8), buffer.Segment) with { PrdEntrySize = 32 });
        }

        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal(4096u, result.PrdByteCount);
        Assert.Equal(128, driver.ReadCommandHeader(MachineRig.Port, result.Slot).PrdTableLength);
        if (write)
        {
            Assert.True(rig.Flush().Succeeded);
            Assert.Equal(data, rig.Read(DmaMode.Lba48, lba, 4096));
        }
        else
        {
            Assert.Equal(data, buffer.Span.ToArray());
        }
    }

    [Fact]
    public void A_4_kib_transfer_over_32_byte_entries_scattered_in_reverse_page_order_gathers_correctly()
    {
        // 128 entries, each 32 bytes, walking backwards through two pages: the PRDT, not the addresses, decides order.
        using MachineRig rig = MachineRig.Start(MachineRig.Preset("hdd-7200"));
        AhciTestDriver driver = rig.Driver;
        const long lba = 77_777;
        byte[] data = MachineRig.Pattern(4096, StableHash.Fnv1a64("prdt-32-reverse"), lba);
        rig.Write(DmaMode.Lba48, lba, data);
        DmaBuffer buffer = driver.AllocateBuffer(8192);
        var entries = new List<PrdEntry>();
        for (int i = 0; i < 128; i++)
            entries.Add(new PrdEntry { DataBase = buffer.Address + (ulong)(8192 - 64 * (i + 1)), ByteCount = 32 });

        CommandResult result = rig.Execute(new AhciCommand(AtaCommands.ReadDma48(lba, 8)) { RawPrdt = entries });

        Assert.True(result.Succeeded, result.ToString());
        Span<byte> memory = buffer.Span;
        for (int i = 0; i < 128; i++)
            Assert.True(data.AsSpan(i * 32, 32).SequenceEqual(memory.Slice(8192 - 64 * (i + 1), 32)), $"entry {i}");
    }
}
