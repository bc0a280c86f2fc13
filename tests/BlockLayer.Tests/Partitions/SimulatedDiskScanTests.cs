using Hardware.BlockLayer.Partitions;
using Hardware.BlockLayer.Tests.Partitions.TestKit;
using Hardware.Emulator.Simulation;

namespace Hardware.BlockLayer.Tests.Partitions;

/// <summary>A scan inside a simulated process, over a disk whose reads take virtual time, as a block device's will.</summary>
public sealed class SimulatedDiskScanTests : IDisposable
{
    private readonly ScratchDirectory _scratch = new();

    public void Dispose() => _scratch.Dispose();

    /// <summary>Each read waits <see cref="ReadTime"/> of virtual time before its data appears.</summary>
    private sealed class SlowDisk(Simulation simulation, ISectorReader inner) : ISectorReader
    {
        public const long ReadTime = 100_000;

        public int SectorSize => inner.SectorSize;
        public long CapacitySectors => inner.CapacitySectors;
        public int Reads { get; private set; }

        public async ValueTask<Errno> ReadAsync(long sector, Memory<byte> destination)
        {
            Reads++;
            await simulation.Delay(ReadTime);
            return await inner.ReadAsync(sector, destination);
        }
    }

    [OracleFact("sfdisk")]
    public void A_scan_over_reads_that_complete_later_finds_the_same_partitions_in_virtual_time()
    {
        string image = _scratch.CreateImage("disk.img", Scan.ImageBytes);
        Sfdisk.Partition(image, SfdiskGptTableTests.Script);
        ImageBytes.FlipByte(image, 512 + 60);
        using var file = new FileSectorReader(image, 512);
        var simulation = new Simulation();
        var disk = new SlowDisk(simulation, file);

        Task<PartitionScanResult> scan = simulation.Spawn(async () => await PartitionTableReader.ScanAsync(disk, "sda"));
        PartitionScanResult result = simulation.RunUntilComplete(scan);

        Scan.AssertMatches(Sfdisk.Read(image), result, 512);
        Assert.StartsWith("sda: primary GPT header at LBA 1: HeaderCRC32", Assert.Single(result.Warnings));
        Assert.Equal(disk.Reads * SlowDisk.ReadTime, simulation.Now);
        // MBR, primary header (rejected before its entries are read), backup header, backup entries.
        Assert.Equal(4, disk.Reads);
    }

    [OracleFact("sfdisk")]
    public async Task Without_a_name_messages_name_the_device_disk()
    {
        var reader = new MemorySectorReader(new byte[512], 512);
        reader.MakeUnreadable(0);

        PartitionScanResult result = await PartitionTableReader.ScanAsync(reader);

        Assert.StartsWith("disk: MBR at sector 0", result.Error!.Message);
    }

    [OracleFact("sfdisk")]
    public void A_missing_util_linux_tool_fails_with_the_install_hint_instead_of_skipping()
    {
        var missing = Assert.Throws<InvalidOperationException>(() => UtilLinux.Locate("sfdisk-that-does-not-exist"));
        Assert.Contains("install the Debian package fdisk", missing.Message);
    }
}
