using Hardware.Emulator.Ahci.Spec;
using Hardware.Emulator.Ata.Spec;
using Hardware.Emulator.Platform;
using Hardware.Emulator.Sata;
using Hardware.Emulator.Simulation;

namespace Hardware.BlockLayer.Drivers.Ahci;

/// <summary>
/// Internal commands (IDENTIFY DEVICE, READ LOG EXT): issued by probe and by error handling while no request is at
/// the device, in slot 0 with a command table and data page of their own (libata's ATA_TAG_INTERNAL), completed by
/// the interrupt handler or by their own timeout.
/// </summary>
public sealed partial class AhciPortDriver
{
    private const int InternalSlot = 0;

    private readonly PageFrame _internalTable;
    private readonly PageFrame _internalBuffer;
    private readonly SimCompletion<AtaCompletion> _internalDone;
    private readonly SimTimer _internalTimer;
    private bool _internalActive;

    /// <summary>The internal command's data page (512 bytes are used).</summary>
    internal ReadOnlySpan<byte> InternalData(int length) => _platform.Memory.GetSpan(_internalBuffer.Address, length);

    /// <summary>
    /// Issues a non-data or PIO data-in command of at most one page and waits for it. The engine must run with nothing
    /// else in the command list: at probe, or in recovery after stopping the engine cleared PxCI.
    /// </summary>
    internal async ValueTask<AtaCompletion> ExecuteInternalAsync(RegisterH2DFis fis, int dataBytes)
    {
        if ((_issuedMask != 0 && !_recovering) || _internalActive)
            throw new InvalidOperationException($"{LogSource}: an internal command needs the port to itself (slots 0x{_issuedMask:x8} issued)");
        Span<byte> table = _platform.Memory.GetSpan(_internalTable.Address, CommandTableLayout.Size(1));
        fis.Write(table[CommandTableLayout.CommandFisOffset..]);
        if (dataBytes > 0)
            new PrdEntry { DataBase = _internalBuffer.Address, ByteCount = dataBytes }.Write(table[CommandTableLayout.PrdTableOffset..]);
        new CommandHeader
        {
            CommandFisLength = RegisterH2DFis.Size / 4,
            PrdTableLength = (ushort)(dataBytes > 0 ? 1 : 0),
            CommandTableBase = _internalTable.Address,
        }.Write(CommandHeaderSpan(InternalSlot));

        _internalDone.Reset();
        _internalActive = true;
        _internalTimer.Arm(_options.InternalCommandTimeoutNs);
        WritePort(PortRegister.Ci, 1u << InternalSlot);
        return await _internalDone.Task;
    }

    /// <summary>IDENTIFY DEVICE, decoded; null when the command failed (and the engine then needs a restart or a reset).</summary>
    internal async ValueTask<AtaDiskFeatures?> ReadIdentifyAsync()
    {
        AtaCompletion result = await ExecuteInternalAsync(AtaCommands.IdentifyDevice(), IdentifyDeviceData.Size);
        if (!result.Succeeded)
        {
            Log.Warning(LogSource, $"IDENTIFY DEVICE failed: {result}");
            return null;
        }
        ReadOnlySpan<byte> data = InternalData(IdentifyDeviceData.Size);
        if (!IdentifyDeviceData.HasValidIntegrityWord(data))
            Log.Warning(LogSource, "IDENTIFY DEVICE data has no valid integrity word (A5h and checksum); using it anyway");
        return AtaDiskFeatures.FromIdentify(data, _hostSupportsNcq, _slotCount);
    }

    /// <summary>Probe: learns what the disk is and how to drive it.</summary>
    internal async Task<bool> IdentifyAsync()
    {
        AtaDiskFeatures? features = await ReadIdentifyAsync();
        if (features is null)
            return false;
        _features = features;
        if (features.TrimBlocks > 0 && _trimPayload.Number == 0)
            _trimPayload = _platform.Frames.Allocate();
        IdentifyDeviceData id = features.Identify;
        Log.Info(LogSource, $"{id.Model}, {id.Serial}, {features.CapacitySectors} sectors, "
            + (features.UsesNcq ? $"NCQ (depth {features.QueueDepth})" : "no NCQ")
            + (features.WriteCacheEnabled ? ", write cache" : "") + (features.Fua ? ", FUA" : "")
            + (features.TrimBlocks > 0 ? ", TRIM" : "") + (features.Rotational ? "" : ", non-rotational"));
        return true;
    }

    /// <summary>Interrupt while an internal command runs: a fatal error ends it; otherwise it is done once its PxCI bit clears.</summary>
    private void OnInternalInterrupt(PortInterrupts status)
    {
        if ((status & FatalInterrupts) != 0)
        {
            uint tfd = ReadPort(PortRegister.Tfd);
            AtaOutcome outcome = (status & (FatalInterrupts & ~PortInterrupts.Tfes)) != 0 ? AtaOutcome.HostError : AtaOutcome.DeviceError;
            FinishInternal(new AtaCompletion(outcome, TaskFileData.Status(tfd), TaskFileData.Error(tfd)));
            return;
        }
        if ((ReadPort(PortRegister.Ci) & (1u << InternalSlot)) == 0)
        {
            uint tfd = ReadPort(PortRegister.Tfd);
            FinishInternal(new AtaCompletion(AtaOutcome.Success, TaskFileData.Status(tfd), AtaError.None));
        }
    }

    private void OnInternalTimeout()
    {
        uint tfd = ReadPort(PortRegister.Tfd);
        FinishInternal(new AtaCompletion(AtaOutcome.TimedOut, TaskFileData.Status(tfd), TaskFileData.Error(tfd)));
    }

    private void FinishInternal(AtaCompletion completion)
    {
        if (!_internalActive)
            return;
        _internalActive = false;
        _internalTimer.Cancel();
        _internalDone.SetResult(completion);
    }
}
