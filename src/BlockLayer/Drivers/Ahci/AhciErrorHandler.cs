using System.Numerics;
using Hardware.Emulator.Ahci.Spec;
using Hardware.Emulator.Ata.Spec;
using Hardware.Emulator.Sata;

namespace Hardware.BlockLayer.Drivers.Ahci;

internal enum RecoveryTrigger : byte
{
    ErrorInterrupt,
    Timeout,
}

/// <summary>
/// Error handling for one port, libata EH in spirit. It freezes the port at once (PxCMD.ST cleared, after a snapshot of
/// PxCI/PxSACT/PxIS/PxTFD), then as a simulated process: waits for PxCMD.CR to drop; completes what had finished before
/// the error; finds the failed command (READ LOG EXT 10h for NCQ, after restarting the engine for that non-queued
/// command; PxTFD for a non-queued command; the DMA Setup FIS's tag for a host bus error during an NCQ data phase);
/// COMRESETs the link when the device is stuck, the host bus or link failed or a command timed out, and revalidates
/// the device with IDENTIFY; restarts the engine; and settles every request: the culprit fails with EIO for media
/// errors and device faults or goes back to the queue using a try (EIO once its tries are spent), and every command the
/// error merely aborted goes back to the queue without using one. Every step is logged.
/// </summary>
internal sealed class AhciErrorHandler
{
    private const PortInterrupts HostErrors = PortInterrupts.Hbfs | PortInterrupts.Hbds | PortInterrupts.Ifs | PortInterrupts.Ofs;

    private readonly AhciPortDriver _port;
    private readonly Func<Task> _recover;
    private readonly SlotVerdict[] _verdicts;

    private RecoveryTrigger _trigger;
    private PortInterrupts _status;
    private uint _issued;
    private uint _queued;
    private uint _running;
    private uint _tfd;
    private uint _serr;
    private int _timedOutSlot;
    private long _startedAt;
    /// <summary>The link needs a COMRESET before the port is used again.</summary>
    private bool _reset;
    /// <summary>The engine was restarted during analysis (for READ LOG EXT) and is running.</summary>
    private bool _engineRunning;

    public AhciErrorHandler(AhciPortDriver port)
    {
        _port = port;
        _recover = RecoverAsync;
        _verdicts = new SlotVerdict[port.SlotCount];
    }

    private string Source => _port.LogSource;

    /// <summary>Freezes the port now (the interrupt handler or the timeout calls this) and starts recovery as a process.</summary>
    public void Begin(RecoveryTrigger trigger, PortInterrupts status, int timedOutSlot)
    {
        _port.EnterRecovery();
        _trigger = trigger;
        _status = status;
        _timedOutSlot = timedOutSlot;
        _issued = _port.IssuedMask;
        _queued = _port.QueuedMask & _issued;
        _running = _port.ReadPort(PortRegister.Ci) | _port.ReadPort(PortRegister.Sact);
        _tfd = _port.ReadPort(PortRegister.Tfd);
        _serr = _port.ReadPort(PortRegister.Serr);
        _startedAt = _port.Simulation.Now;
        _port.StopEngine();
        _port.Simulation.Spawn(_recover);
    }

    private async Task RecoverAsync()
    {
        _port.Log.Warning(Source, $"exception: {Describe()}; SAct 0x{_running & _queued:x8} issued 0x{_issued:x8} running 0x{_running:x8} "
            + $"IS 0x{(uint)_status:x8} TFD 0x{_tfd:x4} (Status {TaskFileData.Status(_tfd)}, Error {TaskFileData.Error(_tfd)}) SErr 0x{_serr:x8}");
        Array.Clear(_verdicts);
        _reset = NeedsReset();
        _engineRunning = false;
        if (await _port.WaitEngineStoppedAsync())
        {
            _port.Log.Info(Source, "port engine stopped");
        }
        else
        {
            _port.Log.Warning(Source, "port engine did not stop (PxCMD.CR still set); the link will be reset");
            _reset = true;
        }

        uint finished = _issued & ~_running;
        uint failed = _issued & _running;
        SettleFinished(finished);
        Culprit culprit = failed == 0 ? Culprit.Nobody : await FindCulpritAsync(failed);

        bool online = true;
        if (_reset)
            online = await ResetAndRevalidateAsync();
        else if (!_engineRunning)
            _port.StartEngine();

        for (uint bits = failed; bits != 0; bits &= bits - 1)
        {
            int slot = BitOperations.TrailingZeroCount(bits);
            CommandSlot state = _port.Slot(slot);
            if (!online)
            {
                _verdicts[slot] = SlotVerdict.Fail;
                _port.Log.Error(Source, $"tag {slot} (command {state.Opcode:X2}h, {state.Request}): the disk is offline; completes with EIO");
            }
            else if (slot == culprit.Slot || culprit.BlameAll)
            {
                _verdicts[slot] = Judge(slot, culprit);
            }
            else
            {
                _verdicts[slot] = SlotVerdict.Requeue;
                _port.Log.Info(Source, $"tag {slot} (command {state.Opcode:X2}h, {state.Request}): aborted by the error; requeued without using a try");
            }
        }
        _port.Log.Info(Source, $"recovery done after {(_port.Simulation.Now - _startedAt) / 1000.0:F1} us");
        _port.FinishRecovery(_verdicts, online);
    }

    /// <summary>Commands whose PxCI and PxSACT bits had cleared finished before the error and complete normally.</summary>
    private void SettleFinished(uint finished)
    {
        for (uint bits = finished; bits != 0; bits &= bits - 1)
        {
            int slot = BitOperations.TrailingZeroCount(bits);
            // A finished preflush means only the flush ran: the request's own command is still to come.
            _verdicts[slot] = _port.Slot(slot).Step == RequestStep.Preflush ? SlotVerdict.Requeue : SlotVerdict.Complete;
        }
        if (finished != 0)
            _port.Log.Info(Source, $"slots 0x{finished:x8} had finished before the error; they are not issued again");
    }

    /// <summary>
    /// Which failed command caused the error, and why. For an NCQ device error this restarts the engine and reads
    /// the NCQ Command Error log; when that fails the link is reset and every failed command shares the blame.
    /// </summary>
    private async Task<Culprit> FindCulpritAsync(uint failed)
    {
        FailureCause cause = CauseOf();
        if (_trigger == RecoveryTrigger.Timeout)
        {
            return (failed & (1u << _timedOutSlot)) != 0
                ? new Culprit(_timedOutSlot, FailureCause.Timeout, TaskFileData.Status(_tfd), TaskFileData.Error(_tfd), 0)
                : Culprit.Nobody;
        }
        if ((_status & HostErrors) != 0)
            return FindDataPhaseCulprit(failed, cause);
        if ((_status & PortInterrupts.Tfes) == 0)
            return Culprit.Unknown(cause);
        if ((failed & _queued) == 0)
        {
            int slot = BitOperations.TrailingZeroCount(failed);
            ulong lba = RegisterD2HFis.Read(_port.ReceivedFis(ReceivedFisLayout.RegisterD2HOffset, RegisterD2HFis.Size)).Lba;
            return new Culprit(slot, FailureCause.DeviceError, TaskFileData.Status(_tfd), TaskFileData.Error(_tfd), lba);
        }
        if (_reset)
            return Culprit.Unknown(cause);
        // The NCQ error log is read with a non-queued command, so the engine runs again first.
        _port.StartEngine();
        _engineRunning = true;
        if (await ReadNcqErrorLogAsync(failed) is { } found)
            return found;
        _reset = true;
        _engineRunning = false;
        return Culprit.Unknown(cause);
    }

    private string Describe() => _trigger == RecoveryTrigger.Timeout
        ? $"timeout of slot {_timedOutSlot} ({_port.Slot(_timedOutSlot).Request})"
        : $"error interrupt {_status}";

    /// <summary>libata resets for timeouts, host bus and interface errors (the port is "frozen"), link changes and a stuck device.</summary>
    private bool NeedsReset()
    {
        if (_trigger == RecoveryTrigger.Timeout)
            return (_issued & _running & (1u << _timedOutSlot)) != 0;
        if ((_status & (HostErrors | AhciPortDriver.LinkChangeInterrupts)) != 0)
            return true;
        return (_tfd & (uint)(AtaStatus.Bsy | AtaStatus.Drq)) != 0;
    }

    private FailureCause CauseOf()
    {
        if (_trigger == RecoveryTrigger.Timeout)
            return FailureCause.Timeout;
        if ((_status & (PortInterrupts.Hbfs | PortInterrupts.Hbds)) != 0)
            return FailureCause.HostBusError;
        if ((_status & PortInterrupts.Ofs) != 0)
            return FailureCause.Overflow;
        if ((_status & (PortInterrupts.Ifs | PortInterrupts.Infs)) != 0)
            return FailureCause.InterfaceError;
        if ((_status & AhciPortDriver.LinkChangeInterrupts) != 0)
            return FailureCause.LinkChange;
        return FailureCause.DeviceError;
    }

    /// <summary>
    /// A host bus error hits the command whose data was moving: the non-queued one, or the NCQ tag the last DMA Setup
    /// FIS named. When that cannot be told, every failed command shares the blame, as in libata.
    /// </summary>
    private Culprit FindDataPhaseCulprit(uint failed, FailureCause cause)
    {
        uint nonQueued = failed & ~_queued;
        if (nonQueued != 0)
            return new Culprit(BitOperations.TrailingZeroCount(nonQueued), cause, AtaStatus.None, AtaError.None, 0);
        ReadOnlySpan<byte> setup = _port.ReceivedFis(ReceivedFisLayout.DmaSetupOffset, DmaSetupFis.Size);
        if (setup[0] == (byte)FisType.DmaSetup)
        {
            int tag = (int)(DmaSetupFis.Read(setup).BufferIdentifier & 0x1F);
            if ((failed & (1u << tag)) != 0)
            {
                _port.Log.Info(Source, $"the last DMA Setup FIS names tag {tag}: its data phase hit the host bus error");
                return new Culprit(tag, cause, AtaStatus.None, AtaError.None, 0);
            }
        }
        return Culprit.Unknown(cause);
    }

    /// <summary>READ LOG EXT page 10h: which queued command failed and why. Null when the log could not be read.</summary>
    private async Task<Culprit?> ReadNcqErrorLogAsync(uint failed)
    {
        AtaCompletion result = await _port.ExecuteInternalAsync(AtaCommands.ReadLogExt(LogAddress.NcqCommandError, 0, 1), NcqCommandErrorLog.Size);
        if (!result.Succeeded)
        {
            _port.Log.Warning(Source, $"READ LOG EXT 10h failed: {result}; the link will be reset");
            return null;
        }
        _port.Statistics.NcqErrorLogReads++;
        ReadOnlySpan<byte> page = _port.InternalData(NcqCommandErrorLog.Size);
        if (!DataStructureChecksum.IsValid(page))
            _port.Log.Warning(Source, "NCQ command error log has a bad checksum; using it anyway");
        NcqCommandErrorLog log = NcqCommandErrorLog.Read(page);
        if (log.NotQueued || (failed & (1u << log.Tag)) == 0)
        {
            _port.Log.Warning(Source, $"NCQ command error log names no outstanding command (NQ {log.NotQueued}, tag {log.Tag}); every failed command shares the blame");
            return Culprit.Unknown(FailureCause.DeviceError);
        }
        _port.Log.Warning(Source, $"NCQ command error log: tag {log.Tag} failed, Status 0x{(byte)log.Status:x2} ({log.Status}) "
            + $"Error 0x{(byte)log.Error:x2} ({log.Error}) at LBA {log.Lba}");
        return new Culprit(log.Tag, FailureCause.DeviceError, log.Status, log.Error, log.Lba);
    }

    /// <summary>COMRESET, wait for the signature, IDENTIFY and check it is the same disk; a bounded number of attempts.</summary>
    private async Task<bool> ResetAndRevalidateAsync()
    {
        AtaDiskFeatures known = _port.Features!;
        int attempts = _port.Options.ResetAttempts;
        for (int attempt = 1; attempt <= attempts; attempt++)
        {
            _port.Statistics.ComResets++;
            _port.Log.Warning(Source, $"hard resetting link (COMRESET), attempt {attempt} of {attempts}");
            long started = _port.Simulation.Now;
            if (!await _port.ComResetAsync())
                continue;
            _port.Log.Info(Source, $"link up, ATA device signed on after {(_port.Simulation.Now - started) / 1000.0:F1} us");
            AtaDiskFeatures? now = await _port.ReadIdentifyAsync();
            if (now is null)
                continue;
            if (now.Identify.Serial != known.Identify.Serial || now.Identify.Model != known.Identify.Model
                || now.Identify.CapacitySectors != known.Identify.CapacitySectors)
            {
                _port.Log.Error(Source, $"a different disk answered after reset ({now.Identify.Model}, {now.Identify.Serial}, "
                    + $"{now.Identify.CapacitySectors} sectors; was {known.Identify.Serial})");
                return false;
            }
            if (now.WriteCacheEnabled != known.WriteCacheEnabled)
                _port.Log.Warning(Source, $"write cache is now {(now.WriteCacheEnabled ? "enabled" : "disabled")} (was {(known.WriteCacheEnabled ? "enabled" : "disabled")})");
            _port.Log.Info(Source, "device revalidated (IDENTIFY matches)");
            return true;
        }
        _port.Log.Error(Source, $"giving up after {attempts} link resets");
        return false;
    }

    private SlotVerdict Judge(int slot, Culprit culprit)
    {
        Request request = _port.Slot(slot).Request!;
        switch (AtaErrorPolicy.Classify(culprit.Cause, culprit.Status, culprit.Error))
        {
            case ErrorClass.Media:
                _port.Statistics.MediaErrors++;
                _port.Log.Error(Source, $"tag {slot} ({request}): media error ({culprit.Error}) at LBA {culprit.Lba}; not retried, completes with EIO");
                return SlotVerdict.Fail;
            case ErrorClass.DeviceFault:
                _port.Statistics.DeviceFaults++;
                _port.Log.Error(Source, $"tag {slot} ({request}): device fault (Status {culprit.Status}, Error {culprit.Error}) at LBA {culprit.Lba}; not retried, completes with EIO");
                return SlotVerdict.Fail;
            default:
                int tries = request.Retries + 1;
                if (tries >= _port.Options.MaxTries)
                {
                    _port.Log.Error(Source, $"tag {slot} ({request}): {culprit.Cause} on try {tries} of {_port.Options.MaxTries}; giving up, completes with EIO");
                    return SlotVerdict.Fail;
                }
                _port.Log.Warning(Source, $"tag {slot} ({request}): {culprit.Cause} on try {tries} of {_port.Options.MaxTries}; requeued for another try");
                return SlotVerdict.Retry;
        }
    }

    /// <summary>The failed command and why; <see cref="Slot"/> is -1 when it is not known.</summary>
    private readonly record struct Culprit(int Slot, FailureCause Cause, AtaStatus Status, AtaError Error, ulong Lba)
    {
        /// <summary>Not known which command failed: every failed one is charged a try.</summary>
        public bool BlameAll { get; init; }

        public static Culprit Unknown(FailureCause cause) => new(-1, cause, AtaStatus.None, AtaError.None, 0) { BlameAll = true };

        /// <summary>Nothing failed by itself (a timed-out command had in fact completed); the others are only aborted.</summary>
        public static Culprit Nobody => new(-1, FailureCause.Timeout, AtaStatus.None, AtaError.None, 0);
    }
}
