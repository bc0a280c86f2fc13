using Hardware.BlockLayer.Drivers.Ahci;
using Hardware.Emulator.Ahci;
using Hardware.Emulator.Ahci.Spec;
using Hardware.Emulator.Ata;
using Hardware.Emulator.Faults;
using Hardware.Emulator.Machine;
using Hardware.Emulator.Media;
using Hardware.Emulator.Platform;
using Hardware.Emulator.Sata;
using Hardware.Emulator.Storage;
using Hardware.Emulator.Simulation;

namespace Hardware.BlockLayer.Tests.Drivers.TestKit;

/// <summary>
/// An emulated machine with one drive, the AHCI driver probed on it and a <see cref="FakeBlockDriverHost"/> attached.
/// Tests build requests by hand over guest page frames, run the simulation until they end, and look at data,
/// registers, memory and the drive's own statistics.
/// </summary>
public sealed class AhciDiskRig : IDisposable
{
    /// <summary>Virtual time after which a test that is still waiting is a hang.</summary>
    public const long HangLimitNs = 1_000 * SimTime.Second;

    private readonly SparseMemoryStore _store;

    private AhciDiskRig(DeviceProfile profile, FaultPlan? faults, ulong seed, AhciHbaOptions? hba, AhciDriverOptions? options, long timeoutNs,
        long interruptLatencyNs)
    {
        _store = new SparseMemoryStore(profile.CapacityBytes);
        Faults = faults ?? new FaultPlan();
        Machine = new EmulatedMachine(new MachineOptions
        {
            Seed = seed,
            Hba = hba,
            InterruptLatency = interruptLatencyNs,
            Drives = [new DriveSpec(profile, _store, Faults)],
        });
        EventLog = Simulation.EnableEventLog();
        Controller = Simulation.RunUntilComplete(Simulation.Spawn(() => AhciHostDriver.ProbeAsync(Platform, options)))
            ?? throw new InvalidOperationException("no AHCI controller found");
        Disk = Controller.Disks.Single();
        Host = new FakeBlockDriverHost(Simulation, Disk, timeoutNs);
    }

    public static AhciDiskRig Create(DeviceProfile profile, FaultPlan? faults = null, ulong seed = 1, AhciHbaOptions? hba = null,
        AhciDriverOptions? options = null, long timeoutNs = FakeBlockDriverHost.DefaultTimeoutNs, long interruptLatencyNs = SimTime.Microsecond) =>
        new(profile, faults, seed, hba, options, timeoutNs, interruptLatencyNs);

    public static DeviceProfile Preset(string name) =>
        DevicePresets.TryGet(name, out DeviceProfile? profile) ? profile : throw new ArgumentException($"no preset {name}");

    public EmulatedMachine Machine { get; }

    public Simulation Simulation => Machine.Simulation;

    public PlatformServices Platform => Machine.Platform;

    public EventLog EventLog { get; }

    public FaultPlan Faults { get; }

    public AhciHostDriver Controller { get; }

    public AhciPortDriver Disk { get; }

    public FakeBlockDriverHost Host { get; }

    /// <summary>The drive object, for statistics and power loss only; the driver never sees it.</summary>
    public SataDrive Drive => Machine.Drives[0];

    public IBackingStore Store => _store;

    public int QueueDepth => Disk.Info.Limits.QueueDepth;

    // ---- guest memory -----------------------------------------------------------------------------------------

    /// <summary>One physically contiguous buffer as a single segment.</summary>
    public BioSegment[] Contiguous(int bytes)
    {
        PageFrame first = Platform.Frames.AllocateContiguous((bytes + PageFrame.Size - 1) / PageFrame.Size);
        return [new BioSegment(first.Address, bytes)];
    }

    /// <summary>A contiguous buffer cut into <paramref name="pieceBytes"/> segments that follow each other in memory.</summary>
    public BioSegment[] AdjacentPieces(int bytes, int pieceBytes)
    {
        ulong start = Contiguous(bytes)[0].Address;
        var pieces = new BioSegment[bytes / pieceBytes];
        for (int i = 0; i < pieces.Length; i++)
            pieces[i] = new BioSegment(start + (ulong)(i * pieceBytes), pieceBytes);
        return pieces;
    }

    /// <summary>Segments of <paramref name="pieceBytes"/> at <paramref name="offset"/> in separate pages with a free page between them.</summary>
    public BioSegment[] Scattered(int count, int pieceBytes, int offset = 0)
    {
        int pagesEach = (offset + pieceBytes + PageFrame.Size - 1) / PageFrame.Size;
        PageFrame first = Platform.Frames.AllocateContiguous(count * (pagesEach + 1));
        var pieces = new BioSegment[count];
        for (int i = 0; i < count; i++)
            pieces[i] = new BioSegment(first.Address + (ulong)(i * (pagesEach + 1) * PageFrame.Size + offset), pieceBytes);
        return pieces;
    }

    /// <summary>A recognisable pattern for every byte of a sector under a stamp: no two nearby sectors look alike.</summary>
    public static byte PatternByte(long sector, int offset, int stamp) => (byte)((sector * 131) + (offset * 7) + (stamp * 29) + 1);

    private static void WritePattern(Span<byte> destination, long firstByte, int stamp)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            long at = firstByte + i;
            destination[i] = PatternByte(at / Bio.SectorSize, (int)(at % Bio.SectorSize), stamp);
        }
    }

    public void Fill(BioSegment[] segments, long sector, int stamp)
    {
        long at = sector * Bio.SectorSize;
        foreach (BioSegment segment in segments)
        {
            WritePattern(Platform.Memory.GetSpan(segment.Address, segment.Length), at, stamp);
            at += segment.Length;
        }
    }

    public byte[] Gather(BioSegment[] segments)
    {
        var data = new byte[segments.Sum(s => s.Length)];
        int offset = 0;
        foreach (BioSegment segment in segments)
        {
            Platform.Memory.GetSpan(segment.Address, segment.Length).CopyTo(data.AsSpan(offset));
            offset += segment.Length;
        }
        return data;
    }

    public static byte[] Expected(long sector, int bytes, int stamp)
    {
        var data = new byte[bytes];
        WritePattern(data, sector * Bio.SectorSize, stamp);
        return data;
    }

    // ---- requests -----------------------------------------------------------------------------------------

    /// <summary>A request of one bio over <paramref name="segments"/>; tag -1 lets the host pick one.</summary>
    public Request NewRequest(BioOp op, long sector, BioSegment[] segments, BioFlags flags = BioFlags.None, int tag = -1, int discardSectors = 0)
    {
        var bio = new Bio(Simulation, segments.Length);
        bio.Reset(op, sector, flags);
        foreach (BioSegment segment in segments)
            bio.AddSegment(segment);
        if (op == BioOp.Discard)
            bio.SectorCount = discardSectors;
        return NewRequest([bio], tag);
    }

    /// <summary>A request over several bios that continue each other on the disk.</summary>
    public Request NewRequest(Bio[] bios, int tag = -1)
    {
        for (int i = 0; i + 1 < bios.Length; i++)
            bios[i].Next = bios[i + 1];
        Bio first = bios[0];
        return new Request
        {
            Op = first.Op,
            Flags = first.Flags,
            Sector = first.Sector,
            SectorCount = bios.Sum(b => b.SectorCount),
            FirstBio = first,
            LastBio = bios[^1],
            BioCount = bios.Length,
            SegmentCount = bios.Sum(b => b.SegmentCount),
            Tag = tag,
            StartTime = Simulation.Now,
        };
    }

    public Request Flush(int tag = -1, BioFlags flags = BioFlags.None) => NewRequest(BioOp.Flush, 0, [], flags, tag);

    public Request Discard(long sector, int sectors, int tag = -1) => NewRequest(BioOp.Discard, sector, [], BioFlags.None, tag, sectors);

    public void Submit(params Request[] requests)
    {
        foreach (Request request in requests)
            Host.Submit(request);
    }

    /// <summary>Runs the machine until every request has completed; a hang or deadlock fails the test.</summary>
    public void RunUntilDone(params Request[] requests)
    {
        SynchronizationContext? saved = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            long deadline = Simulation.Now + HangLimitNs;
            while (!requests.All(Host.IsDone))
            {
                if (!Simulation.Step())
                    throw new InvalidOperationException($"deadlock at {Simulation.Now} ns: {requests.Count(r => !Host.IsDone(r))} request(s) never completed");
                if (Simulation.Now > deadline)
                    throw new InvalidOperationException($"hang: {requests.Count(r => !Host.IsDone(r))} request(s) still waiting after {HangLimitNs / SimTime.Second} s");
            }
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(saved);
        }
    }

    /// <summary>Submits and waits; returns the status.</summary>
    public Errno Run(Request request)
    {
        Submit(request);
        RunUntilDone(request);
        return Host.StatusOf(request);
    }

    /// <summary>Writes the pattern for <paramref name="stamp"/> at <paramref name="sector"/> and waits.</summary>
    public Errno Write(long sector, int bytes, int stamp, BioFlags flags = BioFlags.None)
    {
        BioSegment[] buffer = Contiguous(bytes);
        Fill(buffer, sector, stamp);
        return Run(NewRequest(BioOp.Write, sector, buffer, flags));
    }

    /// <summary>Reads <paramref name="bytes"/> at <paramref name="sector"/>; the data, or null when the read failed.</summary>
    public byte[]? Read(long sector, int bytes)
    {
        BioSegment[] buffer = Contiguous(bytes);
        return Run(NewRequest(BioOp.Read, sector, buffer)) == Errno.None ? Gather(buffer) : null;
    }

    // ---- registers and memory as the hardware sees them ---------------------------------------------------

    /// <summary>The command header the HBA would fetch for <paramref name="slot"/> (through PxCLB, read over MMIO).</summary>
    public CommandHeader CommandHeaderOf(int slot)
    {
        ulong portBase = Controller.Abar + (ulong)AhciLayout.PortBase(Disk.Port);
        ulong clb = Platform.Mmio.Read32(portBase + (ulong)PortRegister.Clb) | (ulong)Platform.Mmio.Read32(portBase + (ulong)PortRegister.Clbu) << 32;
        return CommandHeader.Read(Platform.Memory.GetSpan(clb + (ulong)(slot * CommandHeader.Size), CommandHeader.Size));
    }

    public PrdEntry[] PrdTableOf(int slot)
    {
        CommandHeader header = CommandHeaderOf(slot);
        var entries = new PrdEntry[header.PrdTableLength];
        for (int i = 0; i < entries.Length; i++)
        {
            ulong address = header.CommandTableBase + CommandTableLayout.PrdTableOffset + (ulong)(i * PrdEntry.Size);
            entries[i] = PrdEntry.Read(Platform.Memory.GetSpan(address, PrdEntry.Size));
        }
        return entries;
    }

    public RegisterH2DFis CommandFisOf(int slot) =>
        RegisterH2DFis.Read(Platform.Memory.GetSpan(CommandHeaderOf(slot).CommandTableBase + CommandTableLayout.CommandFisOffset, RegisterH2DFis.Size));

    public IEnumerable<string> DriverLog => Machine.Log.Entries.Where(e => e.Source == Disk.LogSource).Select(e => e.Message);

    public void Dispose()
    {
        Machine.Dispose();
        _store.Dispose();
    }
}
