using Hardware.Emulator.Ata;
using Hardware.Emulator.Faults;
using Hardware.Emulator.Media;
using Hardware.Emulator.Platform;
using Hardware.Emulator.Sata;
using Hardware.Emulator.Storage;
using Sim = Hardware.Emulator.Simulation.Simulation;

namespace Hardware.Emulator.Tests.Ata.Fakes;

/// <summary>A drive on a fake host port over a fake medium and a sparse store, powered on and ready.</summary>
public sealed class DriveHarness
{
    public const long DefaultCapacitySectors = 1 << 20; // 512 MiB of 512-byte sectors

    public DriveHarness(DeviceProfile? profile = null, FaultPlan? faults = null, SataDriveOptions? options = null,
        Action<FakeMediaModel>? configureMedia = null, bool powerOn = true)
    {
        Profile = profile ?? DefaultProfile();
        Simulation = new Sim(seed: 7);
        Media = new FakeMediaModel(Profile);
        configureMedia?.Invoke(Media);
        Store = new SparseMemoryStore(Media.CapacitySectors * Media.LogicalSectorSize);
        Log = new DeviceLog(Simulation);
        Faults = faults ?? new FaultPlan();
        Drive = new SataDrive(Simulation, Media, Store, Log, Faults, options);
        Host = new FakeHostPort(Simulation);
        Host.Connect(Drive);
        if (powerOn)
            PowerOn();
    }

    public DeviceProfile Profile { get; }
    public Sim Simulation { get; }
    public FakeMediaModel Media { get; }
    public SparseMemoryStore Store { get; }
    public DeviceLog Log { get; }
    public FaultPlan Faults { get; }
    public SataDrive Drive { get; }
    public FakeHostPort Host { get; }

    public int SectorSize => Media.LogicalSectorSize;

    public static DeviceProfile DefaultProfile(long capacitySectors = DefaultCapacitySectors) => new()
    {
        Name = "test-disk",
        Kind = "hdd",
        Model = "HWSTACK TEST DISK",
        Serial = "TST0001",
        Firmware = "T1.0",
        CapacityBytes = capacitySectors * 512,
        CacheBytes = 1 << 20,
        CacheSegments = 4,
        ReadAheadBytes = 64 * 1024,
        WriteCacheEnabled = true,
        CommandOverheadUs = 50,
        NcqDepth = 32,
        LinkGeneration = 3,
        SupportsTrim = true,
    };

    public void PowerOn()
    {
        Drive.ComReset(SataGeneration.Gen3);
        Simulation.Run();
    }

    /// <summary>
    /// Issues a non-queued command and runs the machine until it is idle; returns how the command ended as the host sees it: the last D2H
    /// Register FIS, or for PIO data-in (which sends none) its PIO Setup FIS with the ending status as Status.
    /// </summary>
    public FisRecord Execute(in RegisterH2DFis fis, byte[]? buffer = null)
    {
        int before = Host.Timeline.Count;
        Host.Issue(fis, buffer);
        Simulation.Run();
        FisRecord end = Host.Timeline.Skip(before).Last(r => r.Kind is FisKind.RegisterD2H or FisKind.PioSetup);
        return end.Kind == FisKind.PioSetup ? end with { Status = end.EndStatus } : end;
    }

    /// <summary>Issues a command and steps the machine only until its completion FIS arrives (background work stays pending).</summary>
    public FisRecord IssueAndWait(in RegisterH2DFis fis, byte[]? buffer = null)
    {
        int before = Host.Timeline.Count;
        Host.Issue(fis, buffer);
        bool queued = fis.Command is 0x60 or 0x61;
        while (true)
        {
            for (int i = before; i < Host.Timeline.Count; i++)
            {
                FisRecord record = Host.Timeline[i];
                if (!queued && record.Kind == FisKind.RegisterD2H)
                    return record;
                if (queued && record.Kind == FisKind.SetDeviceBits)
                    return record;
            }
            before = Host.Timeline.Count;
            if (!Simulation.Step())
                throw new InvalidOperationException("the command never completed");
        }
    }

    /// <summary>Issues a command and steps until the next D2H Register FIS with the interrupt bit (a completion or refusal).</summary>
    public FisRecord IssueAndWaitRegister(in RegisterH2DFis fis, byte[]? buffer = null)
    {
        int before = Host.Timeline.Count;
        Host.Issue(fis, buffer);
        while (true)
        {
            for (int i = before; i < Host.Timeline.Count; i++)
            {
                if (Host.Timeline[i] is { Kind: FisKind.RegisterD2H, Interrupt: true } record)
                    return record;
            }
            before = Host.Timeline.Count;
            if (!Simulation.Step())
                throw new InvalidOperationException("no register FIS arrived");
        }
    }

    public byte[] Read(long lba, int sectors, bool ext = true)
    {
        var buffer = new byte[sectors * SectorSize];
        FisRecord done = Execute(ext ? Commands.ReadDmaExt(lba, sectors) : Commands.ReadDma(lba, sectors), buffer);
        Assert.Equal(AtaStatus.Drdy, done.Status);
        return buffer;
    }

    public void Write(long lba, byte[] data, bool ext = true, bool fua = false)
    {
        int sectors = data.Length / SectorSize;
        RegisterH2DFis fis = fua ? Commands.WriteDmaFuaExt(lba, sectors) : ext ? Commands.WriteDmaExt(lba, sectors) : Commands.WriteDma(lba, sectors);
        FisRecord done = Execute(fis, data);
        Assert.Equal(AtaStatus.Drdy, done.Status);
    }

    public byte[] StoreBytes(long lba, int sectors)
    {
        var data = new byte[sectors * SectorSize];
        Store.Read(lba * SectorSize, data);
        return data;
    }

    public static byte[] Pattern(int length, int seed)
    {
        var data = new byte[length];
        var random = new Random(seed);
        random.NextBytes(data);
        return data;
    }
}
