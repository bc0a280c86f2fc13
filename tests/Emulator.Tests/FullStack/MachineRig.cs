using Hardware.Emulator.Ahci.Spec;
using Hardware.Emulator.Ata;
using Hardware.Emulator.Faults;
using Hardware.Emulator.Machine;
using Hardware.Emulator.Media;
using Hardware.Emulator.Sata;
using Hardware.Emulator.Tests.TestKit;

namespace Hardware.Emulator.Tests.FullStack;

/// <summary>How a data command addresses the drive.</summary>
public enum DmaMode
{
    /// <summary>READ/WRITE DMA: 28-bit LBA, at most 256 sectors a command.</summary>
    Lba28,
    /// <summary>READ/WRITE DMA EXT: 48-bit LBA, one command.</summary>
    Lba48,
    /// <summary>READ/WRITE FPDMA QUEUED: the transfer split over tags, all issued at once.</summary>
    Ncq,
}

/// <summary>
/// An <see cref="EmulatedMachine"/> with one real drive on port 0 and the register-level test driver brought up
/// on it. Everything the tests do goes through PCI configuration space, MMIO, guest memory and interrupts; the drive
/// object is touched only to inject what the outside world does to a disk (power loss) and to read its counters.
/// </summary>
public sealed class MachineRig : IDisposable
{
    public const int Port = 0;
    public const int SectorSize = 512;
    public const int Lba28MaxSectors = 256;
    /// <summary>Bytes per tag when an NCQ transfer is split (4 MiB fills all 32 tags).</summary>
    public const int NcqChunkBytes = 128 * 1024;

    /// <summary>The most sectors words 60-61 (and 28-bit commands) can address.</summary>
    public const long Lba28Capacity = 0x0FFF_FFFF;

    private MachineRig(EmulatedMachine machine, AhciTestDriver driver)
    {
        Machine = machine;
        Driver = driver;
    }

    public EmulatedMachine Machine { get; }

    public AhciTestDriver Driver { get; }

    /// <summary>For power loss and statistics only; commands go through <see cref="Driver"/>.</summary>
    public SataDrive Drive => Machine.Drives[Port];

    public Hardware.Emulator.Simulation.Simulation Simulation => Machine.Simulation;

    public long CapacitySectors => Drive.CapacitySectors;

    public static DeviceProfile Preset(string name) =>
        DevicePresets.TryGet(name, out DeviceProfile? profile) ? profile : throw new ArgumentException($"no preset '{name}'", nameof(name));

    /// <summary>A preset shrunk to what 28-bit commands address, so a transfer can end exactly at its capacity.</summary>
    public static DeviceProfile Lba28Sized(string name) => Preset(name) with { CapacityBytes = Lba28Capacity * SectorSize };

    public static MachineRig Start(DeviceProfile profile, ulong seed = 1, FaultPlan? faults = null, bool eventLog = false,
        long memoryBytes = 64L << 20)
    {
        var machine = new EmulatedMachine(new MachineOptions
        {
            Seed = seed,
            MemoryBytes = memoryBytes,
            Drives = [new DriveSpec(profile, Faults: faults)],
        });
        if (eventLog)
            machine.Simulation.EnableEventLog();
        var driver = new AhciTestDriver(machine.Simulation, machine.Pci, machine.Mmio, machine.Memory, machine.Frames, machine.Interrupts);
        driver.Initialize();
        if (!driver.StartPort(Port))
            throw new InvalidOperationException($"port {Port} did not come up: {Warnings(machine)}");
        return new MachineRig(machine, driver);
    }

    public CommandResult Execute(AhciCommand command) => Driver.Execute(Port, command);

    public CommandResult Execute(RegisterH2DFis fis) => Driver.Execute(Port, AhciCommand.NoData(fis));

    public CommandResult Flush() => Execute(AtaCommands.FlushExt());

    /// <summary>IDENTIFY DEVICE through a PIO data-in command; the 512 bytes as the driver's buffer holds them.</summary>
    public byte[] Identify()
    {
        DmaBuffer buffer = Driver.AllocateBuffer(512);
        try
        {
            CommandResult result = Execute(AhciCommand.Read(AtaCommands.Identify(), buffer.Segment));
            RequireSuccess(result, "IDENTIFY DEVICE");
            return buffer.Span.ToArray();
        }
        finally
        {
            Driver.Free(buffer);
        }
    }

    /// <summary>Writes <paramref name="data"/> at <paramref name="lba"/> with the commands of <paramref name="mode"/>; every command must succeed.</summary>
    public void Write(DmaMode mode, long lba, ReadOnlySpan<byte> data, bool fua = false)
    {
        DmaBuffer buffer = Driver.AllocateBuffer(data.Length);
        try
        {
            data.CopyTo(buffer.Span);
            Transfer(mode, lba, buffer, write: true, fua);
        }
        finally
        {
            Driver.Free(buffer);
        }
    }

    /// <summary>Reads <paramref name="bytes"/> from <paramref name="lba"/> with the commands of <paramref name="mode"/>.</summary>
    public byte[] Read(DmaMode mode, long lba, int bytes)
    {
        DmaBuffer buffer = Driver.AllocateBuffer(bytes);
        try
        {
            buffer.Span.Fill(0xEE); // nothing left over can pass for data
            Transfer(mode, lba, buffer, write: false, fua: false);
            return buffer.Span.ToArray();
        }
        finally
        {
            Driver.Free(buffer);
        }
    }

    /// <summary>
    /// Keeps <paramref name="depth"/> queued commands in flight until <paramref name="count"/> have completed: tags
    /// 0..depth-1 go out at once, and each tag whose PxSACT bit clears is reissued with the next command
    /// (<paramref name="commandForTag"/> builds it for that tag). Every command must succeed.
    /// </summary>
    public void RunQueued(int depth, int count, Func<int, AhciCommand> commandForTag)
    {
        if (depth is < 1 or > 32 || count < depth)
            throw new ArgumentOutOfRangeException(nameof(depth));
        uint outstanding = Driver.IssueQueued(Port, Enumerable.Range(0, depth).Select(commandForTag).ToList());
        int issued = depth, completed = 0;
        while (completed < count)
        {
            uint active = outstanding;
            if (!Driver.RunUntil(() => (active = Driver.Read(Port, PortRegister.Sact)) != outstanding
                    || (Driver.SeenInterruptStatus(Port) & (uint)AhciTestDriver.ErrorInterrupts) != 0))
                throw new InvalidOperationException($"queued commands 0x{outstanding:x8} never completed: {Warnings(Machine)}");
            uint errors = Driver.SeenInterruptStatus(Port) & (uint)AhciTestDriver.ErrorInterrupts;
            if (errors != 0)
                throw new InvalidOperationException($"a queued command failed: PxIS errors {(PortInterrupts)errors}, PxTFD 0x{Driver.Read(Port, PortRegister.Tfd):x}");
            for (uint done = outstanding & ~active; done != 0; done &= done - 1)
            {
                int tag = System.Numerics.BitOperations.TrailingZeroCount(done);
                completed++;
                outstanding &= ~(1u << tag);
                if (issued < count)
                {
                    Driver.Issue(Port, commandForTag(tag));
                    outstanding |= 1u << tag;
                    issued++;
                }
            }
        }
    }

    /// <summary>
    /// What a driver's error handler does to get a port going again: clear ST (which drops PxCI and PxSACT), COMRESET
    /// when asked or when the device is still busy, clear PxSERR and PxIS, set ST.
    /// </summary>
    public void Recover(bool comReset = false)
    {
        if (!Driver.StopPort(Port))
            throw new InvalidOperationException($"port {Port} did not stop: {Warnings(Machine)}");
        if (comReset || (Driver.Read(Port, PortRegister.Tfd) & (uint)(AtaStatus.Bsy | AtaStatus.Drq)) != 0)
        {
            if (!Driver.ComReset(Port))
                throw new InvalidOperationException($"the device did not sign on after COMRESET: {Warnings(Machine)}");
        }
        if (!Driver.StartPort(Port))
            throw new InvalidOperationException($"port {Port} did not restart: {Warnings(Machine)}");
    }

    /// <summary>The D2H Register FIS the HBA last posted to the received-FIS area.</summary>
    public RegisterD2HFis ReceivedRegisterFis() =>
        RegisterD2HFis.Read(Driver.ReceivedFis(Port)[ReceivedFisLayout.RegisterD2HOffset..]);

    /// <summary>The Set Device Bits FIS the HBA last posted to the received-FIS area.</summary>
    public SetDeviceBitsFis ReceivedSetDeviceBitsFis() =>
        SetDeviceBitsFis.Read(Driver.ReceivedFis(Port)[ReceivedFisLayout.SetDeviceBitsOffset..]);

    public string Warnings() => Warnings(Machine);

    public void Dispose() => Machine.Dispose();

    /// <summary>Bytes that differ from case to case and from sector to sector (each sector also carries its LBA).</summary>
    public static byte[] Pattern(int length, ulong seed, long firstLba = 0)
    {
        var bytes = new byte[length];
        var random = new Hardware.Emulator.Simulation.SimRandom(seed);
        for (int i = 0; i < length; i += 8)
            BitConverter.TryWriteBytes(bytes.AsSpan(i, Math.Min(8, length - i)), random.NextUInt64());
        for (int sector = 0; sector * SectorSize < length; sector++)
            BitConverter.TryWriteBytes(bytes.AsSpan(sector * SectorSize, 8), firstLba + sector);
        return bytes;
    }

    private void Transfer(DmaMode mode, long lba, DmaBuffer buffer, bool write, bool fua)
    {
        if (buffer.Length % SectorSize != 0)
            throw new ArgumentException("transfers are whole sectors", nameof(buffer));
        int sectors = buffer.Length / SectorSize;
        switch (mode)
        {
            case DmaMode.Lba28:
                if (fua)
                    throw new ArgumentException("28-bit DMA commands have no FUA form", nameof(fua));
                for (int done = 0; done < sectors; done += Lba28MaxSectors)
                {
                    int count = Math.Min(Lba28MaxSectors, sectors - done);
                    RegisterH2DFis fis = write ? AtaCommands.WriteDma28(lba + done, count) : AtaCommands.ReadDma28(lba + done, count);
                    RunOne(fis, buffer.Slice(done * SectorSize, count * SectorSize), write);
                }
                break;
            case DmaMode.Lba48:
                RegisterH2DFis ext = write
                    ? fua ? AtaCommands.WriteDmaFua48(lba, sectors) : AtaCommands.WriteDma48(lba, sectors)
                    : AtaCommands.ReadDma48(lba, sectors);
                RunOne(ext, buffer.Segment, write);
                break;
            case DmaMode.Ncq:
                var commands = new List<AhciCommand>();
                int chunk = NcqChunkBytes / SectorSize;
                for (int done = 0, tag = 0; done < sectors; done += chunk, tag++)
                {
                    int count = Math.Min(chunk, sectors - done);
                    RegisterH2DFis fis = write ? AtaCommands.WriteFpdma(tag, lba + done, count, fua) : AtaCommands.ReadFpdma(tag, lba + done, count);
                    DmaSegment segment = buffer.Slice(done * SectorSize, count * SectorSize);
                    commands.Add(write ? AhciCommand.Write(fis, segment) : AhciCommand.Read(fis, segment));
                }
                uint mask = Driver.IssueQueued(Port, commands);
                RequireSuccess(Driver.WaitForCompletion(Port, mask), $"{commands.Count} queued {(write ? "writes" : "reads")} at LBA {lba}");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(mode), mode, null);
        }
    }

    private void RunOne(RegisterH2DFis fis, DmaSegment segment, bool write)
    {
        AhciCommand command = write ? AhciCommand.Write(fis, segment) : AhciCommand.Read(fis, segment);
        CommandResult result = Execute(command);
        RequireSuccess(result, $"command {fis.Command:X2}h at LBA {fis.Lba:x}");
        if (result.PrdByteCount != segment.Length)
            throw new InvalidOperationException($"command {fis.Command:X2}h moved {result.PrdByteCount} of {segment.Length} bytes");
    }

    private void RequireSuccess(CommandResult result, string what)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException($"{what} failed: {result}; {Warnings(Machine)}");
    }

    private static string Warnings(EmulatedMachine machine) =>
        string.Join("; ", machine.Log.Entries.Where(e => e.Level >= Hardware.Emulator.Platform.DeviceLogLevel.Warning).Select(e => e.ToString()));
}
