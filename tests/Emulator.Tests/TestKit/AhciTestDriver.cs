using System.Numerics;
using Hardware.Emulator.Ahci;
using Hardware.Emulator.Ahci.Spec;
using Hardware.Emulator.Platform;
using Sim = Hardware.Emulator.Simulation.Simulation;

namespace Hardware.Emulator.Tests.TestKit;

/// <summary>
/// A minimal AHCI driver for tests, in the spirit of QEMU's libqos ahci.c: it reaches the HBA only through PCI
/// configuration accesses, MMIO, guest memory and an interrupt handler. It finds the HBA by class code, enables
/// it, resets it, sets up per-port command lists, received-FIS areas and command tables, starts ports, builds and
/// issues commands (non-queued or NCQ) and runs the simulation until they complete or fail.
/// </summary>
public sealed class AhciTestDriver : IInterruptHandler
{
    /// <summary>PxIS bits that mean a command failed.</summary>
    public const PortInterrupts ErrorInterrupts =
        PortInterrupts.Tfes | PortInterrupts.Hbfs | PortInterrupts.Hbds | PortInterrupts.Ifs | PortInterrupts.Ofs;

    public const long DefaultTimeout = 30_000_000_000; // 30 s of virtual time
    public const int DefaultMsiVector = 0x41;

    private readonly Sim _simulation;
    private readonly PciBus _pci;
    private readonly MmioBus _mmio;
    private readonly GuestMemory _memory;
    private readonly PageFrameAllocator _frames;
    private readonly InterruptController _interrupts;
    private readonly PortState?[] _ports = new PortState?[AhciLayout.MaxPorts];
    private int _registeredVector = -1;

    public AhciTestDriver(Sim simulation, PciBus pci, MmioBus mmio, GuestMemory memory, PageFrameAllocator frames, InterruptController interrupts)
    {
        _simulation = simulation;
        _pci = pci;
        _mmio = mmio;
        _memory = memory;
        _frames = frames;
        _interrupts = interrupts;
        Address = FindHba(pci) ?? throw new InvalidOperationException("no AHCI controller (class 01/06/01) on the bus");
    }

    public PciAddress Address { get; }

    /// <summary>ABAR as BAR5 holds it now.</summary>
    public ulong Abar => _pci.ReadConfig32(Address, (int)PciConfigRegister.Bar5) & 0xFFFF_FFF0u;

    public bool UsesMsi { get; private set; }

    public int InterruptCount { get; private set; }

    public List<long> InterruptTimes { get; } = [];

    /// <summary>
    /// Called from the interrupt handler for each port with a pending IS bit, after its PxIS has been read and
    /// cleared (port, the PxIS value read): where a test reads PxSACT/PxCI as a driver's completion path would.
    /// </summary>
    public Action<int, uint>? PortInterruptObserver { get; set; }

    public GuestMemory Memory => _memory;

    public Sim Simulation => _simulation;

    public static PciAddress? FindHba(PciBus pci)
    {
        foreach (PciAddress address in pci.Functions)
        {
            uint classRevision = pci.ReadConfig32(address, (int)PciConfigRegister.RevisionId);
            if (classRevision >> 8 == AhciPciIdentity.ClassCode)
                return address;
        }
        return null;
    }

    // ---- registers -------------------------------------------------------------------------------------------

    public uint ReadConfig32(int offset) => _pci.ReadConfig32(Address, offset);

    public ushort ReadConfig16(int offset) => _pci.ReadConfig16(Address, offset);

    public byte ReadConfig8(int offset) => _pci.ReadConfig8(Address, offset);

    public void WriteConfig32(int offset, uint value) => _pci.WriteConfig32(Address, offset, value);

    public void WriteConfig16(int offset, ushort value) => _pci.WriteConfig16(Address, offset, value);

    public uint Read(HbaRegister register) => _mmio.Read32(Abar + (ulong)register);

    public void Write(HbaRegister register, uint value) => _mmio.Write32(Abar + (ulong)register, value);

    public uint Read(int port, PortRegister register) => _mmio.Read32(Abar + (ulong)AhciLayout.PortRegisterOffset(port, register));

    public void Write(int port, PortRegister register, uint value) => _mmio.Write32(Abar + (ulong)AhciLayout.PortRegisterOffset(port, register), value);

    public uint ReadAbar(int offset) => _mmio.Read32(Abar + (ulong)offset);

    public void WriteAbar(int offset, uint value) => _mmio.Write32(Abar + (ulong)offset, value);

    // ---- bring-up --------------------------------------------------------------------------------------------

    /// <summary>Command register: memory decoding and, unless told otherwise, bus mastering.</summary>
    public void EnableDevice(bool busMaster = true)
    {
        ushort command = ReadConfig16((int)PciConfigRegister.Command);
        command |= (ushort)PciCommand.MemorySpace;
        command = busMaster ? (ushort)(command | (ushort)PciCommand.BusMaster) : (ushort)(command & ~(ushort)PciCommand.BusMaster);
        WriteConfig16((int)PciConfigRegister.Command, command);
    }

    /// <summary>GHC.HR, then wait until the HBA clears it.</summary>
    public bool ResetHba(long timeout = 1_000_000_000)
    {
        Write(HbaRegister.Ghc, Read(HbaRegister.Ghc) | (uint)GlobalHbaControl.Hr);
        return RunUntil(() => (Read(HbaRegister.Ghc) & (uint)GlobalHbaControl.Hr) == 0, timeout);
    }

    public void EnableAhci() => Write(HbaRegister.Ghc, Read(HbaRegister.Ghc) | (uint)GlobalHbaControl.Ae);

    /// <summary>Registers the handler for INTx (the routed Interrupt Line) or MSI, then sets GHC.IE.</summary>
    public void EnableInterrupts(bool msi = false, int msiVector = DefaultMsiVector)
    {
        if (_registeredVector >= 0)
            _interrupts.UnregisterHandler(_registeredVector);
        if (msi)
        {
            int cap = AhciPciIdentity.MsiCapabilityOffset;
            WriteConfig32(cap + MsiCapabilityLayout.MessageAddress, (uint)InterruptController.MsiAddressBase);
            WriteConfig32(cap + MsiCapabilityLayout.MessageUpperAddress, 0);
            WriteConfig16(cap + MsiCapabilityLayout.MessageData, (ushort)msiVector);
            ushort control = ReadConfig16(cap + MsiCapabilityLayout.MessageControl);
            WriteConfig16(cap + MsiCapabilityLayout.MessageControl, (ushort)(control | MsiCapabilityLayout.Enable));
            _registeredVector = msiVector;
        }
        else
        {
            _registeredVector = ReadConfig8((int)PciConfigRegister.InterruptLine);
        }
        UsesMsi = msi;
        _interrupts.RegisterHandler(_registeredVector, this);
        Write(HbaRegister.Ghc, Read(HbaRegister.Ghc) | (uint)GlobalHbaControl.Ie);
    }

    public void DisableInterrupts() => Write(HbaRegister.Ghc, Read(HbaRegister.Ghc) & ~(uint)GlobalHbaControl.Ie);

    /// <summary>The usual sequence: enable, HBA reset, AE, interrupts (INTx or MSI).</summary>
    public void Initialize(bool msi = false, bool interrupts = true)
    {
        EnableDevice();
        if (!ResetHba())
            throw new InvalidOperationException("GHC.HR did not clear");
        EnableAhci();
        if (interrupts)
            EnableInterrupts(msi);
    }

    /// <summary>
    /// Stops the port's engines, gives it a command list and received-FIS area, enables FIS receive and the given
    /// interrupts, waits for a device (PxSSTS.DET = 3, BSY and DRQ clear) and sets PxCMD.ST. False when no device
    /// signed on within the timeout (the port is then left stopped).
    /// </summary>
    public bool StartPort(int port, PortInterrupts interruptEnable = PortInterrupts.All, long timeout = DefaultTimeout)
    {
        StopPort(port);
        PortState state = _ports[port] ??= AllocatePort();
        Write(port, PortRegister.Clb, (uint)state.CommandList);
        Write(port, PortRegister.Clbu, (uint)(state.CommandList >> 32));
        Write(port, PortRegister.Fb, (uint)state.ReceivedFis);
        Write(port, PortRegister.Fbu, (uint)(state.ReceivedFis >> 32));
        Write(port, PortRegister.Cmd, Read(port, PortRegister.Cmd) | (uint)PortCommand.Fre);
        bool ready = RunUntil(() => DevicePresent(port) && (Read(port, PortRegister.Tfd) & 0x88) == 0, timeout);
        Write(port, PortRegister.Serr, 0xFFFF_FFFF);
        Write(port, PortRegister.Is, 0xFFFF_FFFF);
        Write(HbaRegister.Is, 1u << port);
        Write(port, PortRegister.Ie, (uint)interruptEnable);
        state.Seen = 0;
        if (!ready)
            return false;
        Write(port, PortRegister.Cmd, Read(port, PortRegister.Cmd) | (uint)PortCommand.St);
        return true;
    }

    /// <summary>Clears ST and waits for CR to drop, then FRE and FR (10.1.2).</summary>
    public bool StopPort(int port, long timeout = 1_000_000_000)
    {
        Write(port, PortRegister.Cmd, Read(port, PortRegister.Cmd) & ~(uint)PortCommand.St);
        bool stopped = RunUntil(() => (Read(port, PortRegister.Cmd) & (uint)PortCommand.Cr) == 0, timeout);
        Write(port, PortRegister.Cmd, Read(port, PortRegister.Cmd) & ~(uint)PortCommand.Fre);
        return stopped && RunUntil(() => (Read(port, PortRegister.Cmd) & (uint)PortCommand.Fr) == 0, timeout);
    }

    /// <summary>COMRESET: PxSCTL.DET = 1, a little time, DET = 0; then wait for the device to sign on.</summary>
    public bool ComReset(int port, uint speedLimit = 0, long holdTime = 1_000, long timeout = DefaultTimeout)
    {
        Write(port, PortRegister.Sctl, SControl.Compose(SControl.DetComReset, speedLimit));
        _simulation.RunUntil(_simulation.Now + holdTime);
        Write(port, PortRegister.Sctl, SControl.Compose(SControl.DetNoAction, speedLimit));
        return RunUntil(() => DevicePresent(port) && (Read(port, PortRegister.Tfd) & 0x88) == 0
            && Read(port, PortRegister.Sig) != DeviceSignature.None, timeout);
    }

    public bool DevicePresent(int port) => SStatus.Det(Read(port, PortRegister.Ssts)) == SStatus.DetPresentPhy;

    // ---- memory ----------------------------------------------------------------------------------------------

    public DmaBuffer AllocateBuffer(int bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytes);
        int frames = (bytes + PageFrame.Size - 1) / PageFrame.Size;
        PageFrame first = _frames.AllocateContiguous(frames);
        var buffer = new DmaBuffer(_memory, first, frames, bytes);
        buffer.Span.Clear();
        return buffer;
    }

    public void Free(DmaBuffer buffer) => _frames.Free(buffer.First, buffer.Frames);

    public ulong CommandListAddress(int port) => Port(port).CommandList;

    public ulong ReceivedFisAddress(int port) => Port(port).ReceivedFis;

    public CommandHeader ReadCommandHeader(int port, int slot) =>
        CommandHeader.Read(_memory.GetSpan(Port(port).CommandList + (ulong)(slot * CommandHeader.Size), CommandHeader.Size));

    /// <summary>The port's received-FIS area (256 bytes).</summary>
    public Span<byte> ReceivedFis(int port) => _memory.GetSpan(Port(port).ReceivedFis, ReceivedFisLayout.Size);

    // ---- commands --------------------------------------------------------------------------------------------

    /// <summary>Builds the command in a slot and issues it (PxSACT first for NCQ, then PxCI). Returns the slot.</summary>
    public int Issue(int port, AhciCommand command)
    {
        int slot = Prepare(port, command);
        uint bit = 1u << slot;
        if (command.IsQueued)
            Write(port, PortRegister.Sact, bit);
        Write(port, PortRegister.Ci, bit);
        return slot;
    }

    /// <summary>Builds several NCQ commands, then sets all their PxSACT bits and all their PxCI bits at once.</summary>
    public uint IssueQueued(int port, IReadOnlyList<AhciCommand> commands)
    {
        uint mask = 0;
        foreach (AhciCommand command in commands)
        {
            if (!command.IsQueued)
                throw new ArgumentException("IssueQueued takes NCQ (FPDMA) commands only", nameof(commands));
            mask |= 1u << Prepare(port, command);
        }
        Write(port, PortRegister.Sact, mask);
        Write(port, PortRegister.Ci, mask);
        return mask;
    }

    /// <summary>Runs until the slots' PxCI (and PxSACT) bits are clear or an error shows; returns the port's state.</summary>
    public CommandResult WaitForCompletion(int port, uint slots, long timeout = DefaultTimeout)
    {
        bool finished = RunUntil(() => IsDone(port, slots) || HasError(port), timeout);
        int slot = BitOperations.TrailingZeroCount(slots);
        return Snapshot(port, slot, IsDone(port, slots) && !HasError(port), timedOut: !finished);
    }

    public CommandResult Execute(int port, AhciCommand command, long timeout = DefaultTimeout)
    {
        int slot = Issue(port, command);
        return WaitForCompletion(port, 1u << slot, timeout);
    }

    /// <summary>Runs the simulation until <paramref name="condition"/> holds, the deadline passes, or nothing is left to run.</summary>
    public bool RunUntil(Func<bool> condition, long timeout = DefaultTimeout)
    {
        long deadline = _simulation.Now + timeout;
        while (!condition())
        {
            if (_simulation.Now > deadline || !_simulation.Step())
                return condition();
        }
        return true;
    }

    /// <summary>Bits seen in PxIS since the last issue on an idle port (what the handler cleared, plus what is pending).</summary>
    public uint SeenInterruptStatus(int port) => Port(port).Seen | Read(port, PortRegister.Is);

    /// <summary>The interrupt service routine: per port with an IS bit, read PxIS, clear it (and PxSERR for PCS/PRCS), then IS.</summary>
    public void HandleInterrupt(int vector)
    {
        InterruptCount++;
        InterruptTimes.Add(_simulation.Now);
        uint pending = Read(HbaRegister.Is);
        for (uint bits = pending; bits != 0; bits &= bits - 1)
        {
            int port = BitOperations.TrailingZeroCount(bits);
            uint status = Read(port, PortRegister.Is);
            Write(port, PortRegister.Is, status);
            if ((status & (uint)(PortInterrupts.Pcs | PortInterrupts.Prcs)) != 0)
                Write(port, PortRegister.Serr, Read(port, PortRegister.Serr));
            if (_ports[port] is { } state)
                state.Seen |= status;
            PortInterruptObserver?.Invoke(port, status);
        }
        Write(HbaRegister.Is, pending);
    }

    private PortState Port(int port) => _ports[port] ?? throw new InvalidOperationException($"port {port} was not started");

    private PortState AllocatePort()
    {
        // One page: the 1 KiB command list at 0, the 256-byte received-FIS area at 1 KiB.
        PageFrame frame = _frames.Allocate();
        _memory.GetPage(frame).Clear();
        return new PortState(frame.Address, frame.Address + AhciLayout.CommandListSize);
    }

    private int Prepare(int port, AhciCommand command)
    {
        PortState state = Port(port);
        int slot = command.IsQueued ? command.Fis.NcqTag : command.Slot ?? FreeSlot(port);
        if ((Read(port, PortRegister.Ci) | Read(port, PortRegister.Sact)) == 0)
        {
            // An idle port: start this command's status record afresh.
            Write(port, PortRegister.Is, Read(port, PortRegister.Is));
            state.Seen = 0;
        }

        List<PrdEntry> prdt = BuildPrdt(command);
        int tableBytes = CommandTableLayout.Size(prdt.Count);
        ulong table = state.EnsureTable(slot, tableBytes, _frames, _memory);
        Span<byte> tableSpan = _memory.GetSpan(table, tableBytes);
        tableSpan.Clear();
        command.Fis.Write(tableSpan[CommandTableLayout.CommandFisOffset..]);
        for (int i = 0; i < prdt.Count; i++)
            prdt[i].Write(tableSpan.Slice(CommandTableLayout.PrdTableOffset + i * PrdEntry.Size, PrdEntry.Size));

        var header = new CommandHeader
        {
            CommandFisLength = Hardware.Emulator.Sata.RegisterH2DFis.Size / 4,
            IsWrite = command.IsWrite,
            ClearBusyUponOk = command.ClearBusyUponOk,
            Reset = command.Reset,
            PrdTableLength = (ushort)prdt.Count,
            CommandTableBase = table,
        };
        header.Write(_memory.GetSpan(state.CommandList + (ulong)(slot * CommandHeader.Size), CommandHeader.Size));
        return slot;
    }

    private static List<PrdEntry> BuildPrdt(AhciCommand command)
    {
        if (command.RawPrdt is { } raw)
            return [.. raw];
        int chunk = command.PrdEntrySize > 0 ? command.PrdEntrySize : PrdEntry.MaxByteCount;
        var entries = new List<PrdEntry>();
        foreach (DmaSegment segment in command.Data)
        {
            for (int offset = 0; offset < segment.Length; offset += chunk)
            {
                entries.Add(new PrdEntry
                {
                    DataBase = segment.Address + (ulong)offset,
                    ByteCount = Math.Min(chunk, segment.Length - offset),
                    InterruptOnCompletion = command.InterruptOnEachPrd,
                });
            }
        }
        return entries;
    }

    private int FreeSlot(int port)
    {
        uint busy = Read(port, PortRegister.Ci) | Read(port, PortRegister.Sact);
        if (busy == 0xFFFF_FFFF)
            throw new InvalidOperationException($"port {port}: all 32 slots are busy");
        return BitOperations.TrailingZeroCount(~busy);
    }

    private bool IsDone(int port, uint slots) =>
        (Read(port, PortRegister.Ci) & slots) == 0 && (Read(port, PortRegister.Sact) & slots) == 0;

    private bool HasError(int port) => (SeenInterruptStatus(port) & (uint)ErrorInterrupts) != 0;

    private CommandResult Snapshot(int port, int slot, bool completed, bool timedOut) => new(
        port,
        slot,
        completed,
        timedOut,
        SeenInterruptStatus(port),
        Read(port, PortRegister.Tfd),
        Read(port, PortRegister.Sact),
        Read(port, PortRegister.Ci),
        Read(port, PortRegister.Serr),
        ReadCommandHeader(port, slot).PrdByteCount,
        _simulation.Now);

    private sealed class PortState(ulong commandList, ulong receivedFis)
    {
        private readonly (PageFrame First, int Frames)?[] _tables = new (PageFrame, int)?[AhciLayout.CommandSlots];

        public ulong CommandList { get; } = commandList;

        public ulong ReceivedFis { get; } = receivedFis;

        public uint Seen { get; set; }

        /// <summary>The slot's command table, grown (re-allocated) when a PRDT needs more room.</summary>
        public ulong EnsureTable(int slot, int bytes, PageFrameAllocator frames, GuestMemory memory)
        {
            int needed = (bytes + PageFrame.Size - 1) / PageFrame.Size;
            if (_tables[slot] is { } existing && existing.Frames >= needed)
                return existing.First.Address;
            if (_tables[slot] is { } old)
                frames.Free(old.First, old.Frames);
            PageFrame first = frames.AllocateContiguous(needed);
            _tables[slot] = (first, needed);
            return first.Address;
        }
    }
}
