using System.Diagnostics.CodeAnalysis;

namespace Hardware.Emulator.Media;

/// <summary>
/// The built-in devices, by name. Each is calibrated to a named real drive; the figures, where they come from and
/// which ones are derived are in the profile's Description and in docs/device-models.md.
/// </summary>
public static class DevicePresets
{
    /// <summary>IDEMA LBA count of a 500 GB drive: 97,696,368 + 1,953,504 x (500 - 50).</summary>
    private const long Idema500GbSectors = 976_773_168;

    /// <summary>
    /// Hitachi Deskstar 7K500 (HDS725050KLA360), 500 GB, 7200 RPM, SATA 3 Gb/s with NCQ, 16 MB buffer.
    /// Published figures:
    /// - Hitachi "Deskstar 7K500 and Deskstar E7K500 Hard Disk Drive specification" §4.4.4, Table 10 (data transfer
    ///   speed): zone 0 instantaneous 76.3 MB/s, sustained read 64.8 MB/s; zone 29 (the innermost of 30) instantaneous
    ///   36.5 MB/s, sustained read 31.0 MB/s; sustained = data per cylinder / (revolutions + head switches + cylinder
    ///   change). https://www.easymanua.ls/hitachi/hds725050kla360/manual?p=31
    /// - The Tech Report's spec table of the 7K500: 500 GB, 16 MB cache, 300 MB/s SATA, NCQ, average read seek 8.5 ms,
    ///   sustained 31-64.8 MB/s. https://techreport.com/review/8752/hitachi-deskstar-7k500-hard-drive
    /// Derived (not found in a 7K500 document):
    /// - Heads 10: five platters of 100 GB (SilentPCReview: the 7K1000's five-platter predecessors used 100 GB or
    ///   80 GB platters; 500 GB on five is 100 GB each), one head per surface.
    /// - Head switch 1.42 ms: solved from Table 10's own formula, 64.8 / 76.3 = 10 revolutions / (10 revolutions +
    ///   9 head switches + one cylinder switch of 2.0 ms). With it the model's zone 0 and zone 29 media rates come
    ///   out at the table's instantaneous 76.3 and 36.5 MB/s.
    /// - Track-to-track 1.0 ms: Hitachi's single-track read figure (typical) in its contemporary OEM specs, e.g. the
    ///   7200 RPM Travelstar 7K320 (also 5K320, 5K160); no 3.5-inch figure was found.
    /// - Full stroke 14.7 ms: typical full-stroke read of the IBM Deskstar 60GXP and 75GXP (DTLA-307), the 7200 RPM
    ///   Deskstar line the 7K500 continues.
    /// - Write settle 1.0 ms: Deskstar 7K1000.C read/write average seek 8.5 / 9.5 ms (same family and read average).
    /// - Cache segments 16 and read-ahead 256 KiB: firmware policy, not published.
    /// </summary>
    public static DeviceProfile Hdd7200 { get; } = new()
    {
        Name = "hdd-7200",
        Kind = "hdd",
        Description =
            "Hitachi Deskstar 7K500 (HDS725050KLA360) 500 GB, 7200 RPM, SATA 3 Gb/s, NCQ, 16 MB buffer. " +
            "From Hitachi's OEM spec Table 10: sustained 64.8 MB/s zone 0 / 31.0 MB/s zone 29 of 30 zones " +
            "(instantaneous 76.3 / 36.5); Tech Report spec table: average read seek 8.5 ms, 16 MB cache. " +
            "Derived: 10 heads (5 platters), head switch 1.42 ms (solved from Table 10), track-to-track 1.0 ms " +
            "(Hitachi Travelstar 7K320 single-track figure), full stroke 14.7 ms (IBM Deskstar 60GXP/75GXP), " +
            "write settle 1.0 ms (7K1000.C write - read average seek).",
        Model = "HWSTACK 7200RPM HDD (7K500 TIMING)",
        Serial = "HWSHDD7K50000001",
        Firmware = "HWSH0100",
        CapacityBytes = Idema500GbSectors * 512,
        LogicalSectorSize = 512,
        PhysicalSectorSize = 512,
        NcqDepth = 32,
        LinkGeneration = 2,
        CacheBytes = 16 * 1024 * 1024,
        CacheSegments = 16,
        ReadAheadBytes = 256 * 1024,
        WriteCacheEnabled = true,
        CommandOverheadUs = 50,
        SupportsTrim = false,
        Hdd = new HddParameters
        {
            Rpm = 7200,
            AvgSeekMs = 8.5,
            TrackToTrackMs = 1.0,
            FullStrokeMs = 14.7,
            WriteSettleMs = 1.0,
            SustainedOuterMBps = 64.8,
            SustainedInnerMBps = 31.0,
            HeadSwitchMs = 1.42,
            Heads = 10,
            Zones = 30,
        },
    };

    /// <summary>
    /// Samsung SSD 860 EVO 500 GB (MZ-76E500), SATA 6 Gb/s, MJX controller, 64-layer 3-bit V-NAND, 512 MB LPDDR4.
    /// Published: sequential read 550 MB/s, write 520 MB/s; random 4 KiB QD32 read 98,000 IOPS, write 90,000 IOPS
    /// (Benchmark Reviews / techplayboy.com review of MZ-76E500; syspartsdirect.com spec sheet).
    /// Derived: 8 channels x 2 dies (16 dies of 256 Gb make 500 GB), 16 KiB pages, tR 60 us, SLC (TurboWrite) program
    /// 300 us, 400 MB/s channels: typical of 64-layer TLC parts, not published by Samsung. Controller time per
    /// command 10.2 us read / 11.1 us write is calibrated so 32 outstanding 4 KiB accesses saturate at the datasheet's
    /// 98K / 90K IOPS (the dies alone could do more). Data buffer 16 MiB: most of the 512 MB DRAM holds the FTL map.
    /// </summary>
    public static DeviceProfile SsdSata { get; } = new()
    {
        Name = "ssd-sata",
        Kind = "ssd",
        Description =
            "Samsung SSD 860 EVO 500 GB (MZ-76E500): SATA 6 Gb/s, seq 550/520 MB/s, random 4K QD32 98K/90K IOPS " +
            "(published). Derived: 8 channels x 2 dies, 16 KiB pages, tR 60 us, SLC-cache program 300 us, " +
            "400 MB/s channels, controller 10.2/11.1 us per command (calibrated to the QD32 IOPS), 16 MiB data buffer.",
        Model = "HWSTACK SATA SSD (860 EVO 500GB TIMING)",
        Serial = "HWSSSD860E000001",
        Firmware = "HWSS0100",
        CapacityBytes = Idema500GbSectors * 512,
        LogicalSectorSize = 512,
        PhysicalSectorSize = 512,
        NcqDepth = 32,
        LinkGeneration = 3,
        CacheBytes = 16 * 1024 * 1024,
        CacheSegments = 16,
        ReadAheadBytes = 0,
        WriteCacheEnabled = true,
        CommandOverheadUs = 2,
        SupportsTrim = true,
        Ssd = new SsdParameters
        {
            Channels = 8,
            DiesPerChannel = 2,
            PageBytes = 16 * 1024,
            ReadUs = 60,
            ProgramUs = 300,
            ChannelMBps = 400,
            ControllerReadUs = 10.2,
            ControllerWriteUs = 11.1,
            Preconditioned = true,
        },
    };

    /// <summary>A RAM disk like Linux null_blk: completes every access after a fixed latency (0 by default).</summary>
    public static DeviceProfile Ram { get; } = new()
    {
        Name = "ram",
        Kind = "ram",
        Description = "RAM disk in the manner of Linux null_blk: fixed completion latency (0 us), no bandwidth limit, unlimited concurrency.",
        Model = "HWSTACK RAM DISK (NULL_BLK TIMING)",
        Serial = "HWSRAM0000000001",
        Firmware = "HWSR0100",
        CapacityBytes = 16L * 1024 * 1024 * 1024,
        LogicalSectorSize = 512,
        PhysicalSectorSize = 512,
        NcqDepth = 32,
        LinkGeneration = 3,
        CacheBytes = 0,
        ReadAheadBytes = 0,
        WriteCacheEnabled = false,
        CommandOverheadUs = 0,
        SupportsTrim = true,
        Ram = new RamParameters { LatencyUs = 0, BandwidthMBps = 0 },
    };

    public static IReadOnlyList<DeviceProfile> All { get; } = [Hdd7200, SsdSata, Ram];

    /// <summary>The preset called <paramref name="name"/> (case-insensitive).</summary>
    public static bool TryGet(string name, [MaybeNullWhen(false)] out DeviceProfile profile)
    {
        foreach (DeviceProfile preset in All)
        {
            if (string.Equals(preset.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                profile = preset;
                return true;
            }
        }
        profile = null;
        return false;
    }
}
