using Hardware.BlockLayer;
using Hardware.Emulator.Ahci.Spec;
using Hardware.Emulator.Ata.Spec;
using Hardware.Emulator.Machine;
using Hardware.Emulator.Platform;
using Hardware.Emulator.Sata;
using Hardware.Emulator.Simulation;

namespace Hardware.BlockLayer.Drivers.Ahci;

/// <summary>
/// One AHCI port with a disk behind it, driven the way Linux's ahci/libata does: a command list and received-FIS
/// area in guest memory, one command table per slot, NCQ when the device has it, completions from the interrupt
/// handler in whatever order the device finishes them.
/// </summary>
public sealed class AhciPortDriver
{
    /// <summary>PRD entries per command table (Linux's AHCI_MAX_SG).</summary>
    public const int MaxPrdEntries = 168;

    private const PortInterrupts ErrorInterrupts = PortInterrupts.Tfes | PortInterrupts.Hbfs | PortInterrupts.Hbds
        | PortInterrupts.Ifs | PortInterrupts.Infs | PortInterrupts.Ofs;

    private const PortInterrupts EnabledInterrupts = ErrorInterrupts | PortInterrupts.Dhrs | PortInterrupts.Pss
        | PortInterrupts.Sdbs | PortInterrupts.Dss | PortInterrupts.Pcs | PortInterrupts.Prcs;

    /// <summary>How long an empty port may take to show a link (Linux's debounce window is of this order).</summary>
    private const long LinkUpTimeout = 100 * SimTime.Millisecond;

    private readonly PlatformServices _platform;
    private readonly ulong _portBase;
    private readonly PageFrame _listAndFis;
    private readonly PageFrame[] _tables;
    private readonly SimCompletion<AtaCompletion>[] _completions;
    private readonly bool[] _queued;
    private readonly Queue<SimCompletion<bool>> _slotWaiters = new();
    private readonly Stack<SimCompletion<bool>> _spareWaiters = new();
    private readonly int _slotCount;
    private uint _busySlots;
    private uint _issuedSlots;

    internal AhciPortDriver(PlatformServices platform, ulong abar, int port, int slotCount)
    {
        _platform = platform;
        Port = port;
        _portBase = abar + (ulong)AhciLayout.PortBase(port);
        _slotCount = slotCount;
        _listAndFis = platform.Frames.Allocate();
        platform.Memory.GetPage(_listAndFis).Clear();
        _tables = new PageFrame[slotCount];
        _completions = new SimCompletion<AtaCompletion>[slotCount];
        _queued = new bool[slotCount];
        for (int slot = 0; slot < slotCount; slot++)
        {
            _tables[slot] = platform.Frames.Allocate();
            _completions[slot] = new SimCompletion<AtaCompletion>(platform.Simulation);
        }
    }

    public int Port { get; }

    /// <summary>What the device said about itself; null until <see cref="IdentifyAsync"/> ran.</summary>
    public IdentifyDeviceData? Identify { get; private set; }

    /// <summary>Commands the port can hold at once: NCQ depth when queued commands are used, else the slot count.</summary>
    public int QueueDepth => UsesNcq ? Math.Min(_slotCount, Identify!.QueueDepth) : _slotCount;

    public bool UsesNcq { get; private set; }

    private ulong CommandListAddress => _listAndFis.Address;

    private ulong ReceivedFisAddress => _listAndFis.Address + 0x400;

    /// <summary>Stops the port, points it at our command list and FIS area, clears errors, enables interrupts and starts it.</summary>
    internal async Task<bool> StartAsync()
    {
        if (!await StopAsync())
            return false;
        WritePort(PortRegister.Clb, (uint)CommandListAddress);
        WritePort(PortRegister.Clbu, (uint)(CommandListAddress >> 32));
        WritePort(PortRegister.Fb, (uint)ReceivedFisAddress);
        WritePort(PortRegister.Fbu, (uint)(ReceivedFisAddress >> 32));
        WritePort(PortRegister.Cmd, ReadPort(PortRegister.Cmd) | (uint)PortCommand.Fre);
        WritePort(PortRegister.Serr, uint.MaxValue);
        WritePort(PortRegister.Is, uint.MaxValue);

        // Link up (SSTS.DET = 3) and the device's signature FIS received (BSY and DRQ clear).
        if (!await PollAsync(() => (ReadPort(PortRegister.Ssts) & 0xF) == 3, LinkUpTimeout))
            return false;
        if (!await PollAsync(() => (ReadPort(PortRegister.Tfd) & (uint)(AtaStatus.Bsy | AtaStatus.Drq)) == 0, 10 * SimTime.Second))
            return false;
        if (ReadPort(PortRegister.Sig) != DeviceSignature.Ata)
            return false;

        WritePort(PortRegister.Serr, uint.MaxValue);
        WritePort(PortRegister.Is, uint.MaxValue);
        WritePort(PortRegister.Ie, (uint)EnabledInterrupts);
        WritePort(PortRegister.Cmd, ReadPort(PortRegister.Cmd) | (uint)PortCommand.St);
        return true;
    }

    /// <summary>Clears ST and FRE and waits for CR and FR to drop, as AHCI 1.3.1 section 10.1.2 requires.</summary>
    private async Task<bool> StopAsync()
    {
        uint cmd = ReadPort(PortRegister.Cmd);
        WritePort(PortRegister.Cmd, cmd & ~(uint)PortCommand.St);
        if (!await PollAsync(() => (ReadPort(PortRegister.Cmd) & (uint)PortCommand.Cr) == 0, 500 * SimTime.Millisecond))
            return false;
        WritePort(PortRegister.Cmd, ReadPort(PortRegister.Cmd) & ~(uint)PortCommand.Fre);
        return await PollAsync(() => (ReadPort(PortRegister.Cmd) & (uint)PortCommand.Fr) == 0, 500 * SimTime.Millisecond);
    }

    /// <summary>IDENTIFY DEVICE into a scratch frame; decides whether to use NCQ.</summary>
    internal async Task<AtaCompletion> IdentifyAsync()
    {
        PageFrame buffer = _platform.Frames.Allocate();
        try
        {
            var fis = new RegisterH2DFis { IsCommand = true, Command = (byte)AtaCommand.IdentifyDevice };
            AtaCompletion result = await ExecuteAsync(fis, new[] { new BioSegment(buffer.Address, IdentifyDeviceData.Size) }, write: false);
            if (result.Succeeded)
            {
                Identify = IdentifyDeviceData.Read(_platform.Memory.GetSpan(buffer.Address, IdentifyDeviceData.Size));
                UsesNcq = Identify.QueueDepth > 1;
            }
            return result;
        }
        finally
        {
            _platform.Frames.Free(buffer);
        }
    }

    /// <summary>Reads or writes <paramref name="sectors"/> sectors at <paramref name="lba"/> through the given guest buffer.</summary>
    public ValueTask<AtaCompletion> TransferAsync(bool write, long lba, int sectors, ReadOnlyMemory<BioSegment> buffer, bool forceUnitAccess = false)
    {
        RegisterH2DFis fis = UsesNcq
            ? AtaCommands.FpdmaQueued(write, lba, sectors, forceUnitAccess)
            : AtaCommands.DmaExt(write, lba, sectors, forceUnitAccess);
        return ExecuteAsync(fis, buffer, write);
    }

    public ValueTask<AtaCompletion> FlushAsync() =>
        ExecuteAsync(new RegisterH2DFis { IsCommand = true, Command = (byte)AtaCommand.FlushCacheExt, Device = 0x40 }, ReadOnlyMemory<BioSegment>.Empty, write: false);

    /// <summary>Issues one command in a free slot and waits for it. NCQ commands get their slot number as tag.</summary>
    public async ValueTask<AtaCompletion> ExecuteAsync(RegisterH2DFis fis, ReadOnlyMemory<BioSegment> buffer, bool write)
    {
        if (buffer.Length > MaxPrdEntries)
            throw new ArgumentException($"{buffer.Length} segments exceed the {MaxPrdEntries} PRD entries of a command table", nameof(buffer));
        int slot = await AcquireSlotAsync();
        bool queued = AtaCommands.IsNcq(fis.Command);
        if (queued)
            fis.Count = (ushort)((fis.Count & 0x7) | (slot << 3));
        WriteCommand(slot, fis, buffer.Span, write);
        _completions[slot].Reset();
        _queued[slot] = queued;
        _issuedSlots |= 1u << slot;
        if (queued)
            WritePort(PortRegister.Sact, 1u << slot);
        WritePort(PortRegister.Ci, 1u << slot);
        AtaCompletion result = await _completions[slot].Task;
        ReleaseSlot(slot);
        return result;
    }

    private void WriteCommand(int slot, in RegisterH2DFis fis, ReadOnlySpan<BioSegment> buffer, bool write)
    {
        ulong table = _tables[slot].Address;
        Span<byte> tableSpan = _platform.Memory.GetSpan(table, CommandTableLayout.PrdTableOffset + MaxPrdEntries * PrdEntry.Size);
        fis.Write(tableSpan[CommandTableLayout.CommandFisOffset..]);
        for (int i = 0; i < buffer.Length; i++)
        {
            BioSegment segment = buffer[i];
            if (segment.Length <= 0 || segment.Length > PrdEntry.MaxByteCount || (segment.Length & 1) != 0)
                throw new ArgumentException($"segment {i} has {segment.Length} bytes; a PRD entry holds an even count of 2..4 MiB");
            new PrdEntry { DataBase = segment.Address, ByteCount = segment.Length, InterruptOnCompletion = false }
                .Write(tableSpan[(CommandTableLayout.PrdTableOffset + i * PrdEntry.Size)..]);
        }
        new CommandHeader
        {
            CommandFisLength = RegisterH2DFis.Size / 4,
            IsWrite = write,
            PrdTableLength = (ushort)buffer.Length,
            CommandTableBase = table,
        }.Write(_platform.Memory.GetSpan(CommandListAddress + (ulong)(slot * CommandHeader.Size), CommandHeader.Size));
    }

    /// <summary>Called by the controller's interrupt handler when this port's IS bit is set.</summary>
    internal void HandleInterrupt()
    {
        var status = (PortInterrupts)ReadPort(PortRegister.Is);
        WritePort(PortRegister.Is, (uint)status);
        if ((status & ErrorInterrupts) != 0)
        {
            RecoverFromError(status);
            return;
        }
        CompleteFinishedSlots();
    }

    private void CompleteFinishedSlots()
    {
        uint stillRunning = ReadPort(PortRegister.Ci) | ReadPort(PortRegister.Sact);
        uint finished = _issuedSlots & ~stillRunning;
        while (finished != 0)
        {
            int slot = System.Numerics.BitOperations.TrailingZeroCount(finished);
            finished &= finished - 1;
            Complete(slot, new AtaCompletion(AtaOutcome.Success, AtaStatus.Drdy, AtaError.None, 0, _platform.Simulation.Now));
        }
    }

    /// <summary>
    /// A task-file or host error stops the port's command processing. Everything that finished before the error
    /// completes normally; the rest fails, then the port is restarted so later commands run.
    /// </summary>
    private void RecoverFromError(PortInterrupts status)
    {
        uint tfd = ReadPort(PortRegister.Tfd);
        var ataStatus = (AtaStatus)(tfd & 0xFF);
        var ataError = (AtaError)((tfd >> 8) & 0xFF);
        uint stillRunning = ReadPort(PortRegister.Ci) | ReadPort(PortRegister.Sact);
        int current = PortCommandFields.CurrentCommandSlot(ReadPort(PortRegister.Cmd));
        var rfis = RegisterD2HFis.Read(_platform.Memory.GetSpan(ReceivedFisAddress + ReceivedFisLayout.RegisterD2HOffset, RegisterD2HFis.Size));

        uint finished = _issuedSlots & ~stillRunning;
        uint failed = _issuedSlots & stillRunning;
        AtaOutcome outcome = (status & PortInterrupts.Tfes) != 0 ? AtaOutcome.DeviceError : AtaOutcome.HostError;
        _platform.Log.Warning($"ahci port {Port}", $"error interrupt {status} (tfd 0x{tfd:x}); failing slots 0x{failed:x}");

        WritePort(PortRegister.Cmd, ReadPort(PortRegister.Cmd) & ~(uint)PortCommand.St);
        WritePort(PortRegister.Serr, uint.MaxValue);
        _platform.Simulation.Spawn(RestartAfterErrorAsync);

        long now = _platform.Simulation.Now;
        while (finished != 0)
        {
            int slot = System.Numerics.BitOperations.TrailingZeroCount(finished);
            finished &= finished - 1;
            Complete(slot, new AtaCompletion(AtaOutcome.Success, AtaStatus.Drdy, AtaError.None, 0, now));
        }
        while (failed != 0)
        {
            int slot = System.Numerics.BitOperations.TrailingZeroCount(failed);
            failed &= failed - 1;
            // Without READ LOG EXT 10h the failing NCQ tag is unknown, so every queued command shares the error.
            AtaOutcome slotOutcome = _queued[slot] || slot == current ? outcome : AtaOutcome.Aborted;
            Complete(slot, new AtaCompletion(slotOutcome, ataStatus, ataError, rfis.Lba, now));
        }
    }

    private async Task RestartAfterErrorAsync()
    {
        await PollAsync(() => (ReadPort(PortRegister.Cmd) & (uint)PortCommand.Cr) == 0, 500 * SimTime.Millisecond);
        WritePort(PortRegister.Serr, uint.MaxValue);
        WritePort(PortRegister.Is, uint.MaxValue);
        WritePort(PortRegister.Cmd, ReadPort(PortRegister.Cmd) | (uint)PortCommand.St);
    }

    private void Complete(int slot, AtaCompletion completion)
    {
        _issuedSlots &= ~(1u << slot);
        _completions[slot].SetResult(completion);
    }

    private async ValueTask<int> AcquireSlotAsync()
    {
        int depth = UsesNcq ? QueueDepth : _slotCount;
        while (true)
        {
            for (int slot = 0; slot < depth; slot++)
            {
                if ((_busySlots & (1u << slot)) == 0)
                {
                    _busySlots |= 1u << slot;
                    return slot;
                }
            }
            SimCompletion<bool> waiter = _spareWaiters.Count > 0 ? _spareWaiters.Pop() : new SimCompletion<bool>(_platform.Simulation);
            waiter.Reset();
            _slotWaiters.Enqueue(waiter);
            await waiter.Task;
            _spareWaiters.Push(waiter);
        }
    }

    private void ReleaseSlot(int slot)
    {
        _busySlots &= ~(1u << slot);
        if (_slotWaiters.TryDequeue(out SimCompletion<bool>? waiter))
            waiter.SetResult(true);
    }

    private async Task<bool> PollAsync(Func<bool> condition, long timeout)
    {
        long deadline = _platform.Simulation.Now + timeout;
        while (!condition())
        {
            if (_platform.Simulation.Now >= deadline)
                return false;
            await _platform.Simulation.Delay(SimTime.Millisecond);
        }
        return true;
    }

    private uint ReadPort(PortRegister register) => _platform.Mmio.Read32(_portBase + (ulong)register);

    private void WritePort(PortRegister register, uint value) => _platform.Mmio.Write32(_portBase + (ulong)register, value);
}
