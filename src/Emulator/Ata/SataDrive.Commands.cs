using Hardware.Emulator.Ata.Spec;
using Hardware.Emulator.Sata;

namespace Hardware.Emulator.Ata;

/// <summary>Command decoding and the start of each command once the firmware has decoded it.</summary>
public sealed partial class SataDrive
{
    private enum BarrierKind
    {
        Flush,
        DisableWriteCache,
        Trim,
    }

    private DriveCommand? _barrier;
    private BarrierKind _barrierKind;

    private void ReceiveQueued(in RegisterH2DFis fis, long number)
    {
        var kind = fis.Command == (byte)AtaCommand.ReadFpdmaQueued ? DriveCommandKind.Read : DriveCommandKind.Write;
        if (_commands[DriveCommand.NonQueuedSlot].InUse)
        {
            _log.Warning(_logSource, $"queued command {fis.Command:X2}h arrived while a non-queued command is active; ignored");
            return;
        }
        Statistics.CountCommand(kind);
        Statistics.QueuedCommands++;
        if (_queueDepth == 0 || _ncqErrorPending)
        {
            // No NCQ, or the NCQ error log has not been read yet: the command is refused at issue.
            Reject();
            return;
        }
        int tag = fis.NcqTag;
        if (tag >= _queueDepth || _commands[tag].InUse)
        {
            _log.Warning(_logSource, tag >= _queueDepth
                ? $"NCQ tag {tag} is beyond the queue depth of {_queueDepth}"
                : $"NCQ tag {tag} is already outstanding");
            AbortQueueForProtocolError();
            return;
        }

        DriveCommand command = _commands[tag];
        command.Begin(number, Now);
        command.Kind = kind;
        command.Opcode = fis.Command;
        command.Lba = (long)fis.Lba;
        command.SectorCount = fis.NcqSectorCount;
        command.ForceUnitAccess = fis.NcqForceUnitAccess;
        command.Features = fis.Features;
        command.CountField = fis.Count;
        _queuedMask |= 1u << tag;
        // BSY clears right away so the host can queue more; decoding must not overtake that FIS.
        ScheduleDriveEvent(Now + _options.FisLatencyNs, DriveEvent.Acknowledge, 0, _epoch);
        command.Schedule(_simulation, Now + Math.Max(_commandOverheadNs, _options.FisLatencyNs), CommandStage.Ready);
    }

    private void ReceiveNonQueued(in RegisterH2DFis fis, long number)
    {
        DriveCommand command = _commands[DriveCommand.NonQueuedSlot];
        if (command.InUse)
        {
            _log.Warning(_logSource, $"command {fis.Command:X2}h arrived while the drive is busy with {command}; ignored");
            return;
        }
        var opcode = (AtaCommand)fis.Command;
        DriveCommandKind kind = KindOf(opcode);
        Statistics.CountCommand(kind);
        if (_queuedMask != 0)
        {
            // A non-queued command while queued ones are outstanding aborts them all (ACS-3 NCQ error handling).
            _log.Warning(_logSource, $"non-queued command {fis.Command:X2}h arrived with queued commands outstanding");
            AbortQueueForProtocolError();
            return;
        }

        command.Begin(number, Now);
        command.Kind = kind;
        command.Opcode = fis.Command;
        command.Features = fis.Features;
        command.CountField = fis.Count;
        command.Lba = (long)fis.Lba;
        switch (opcode)
        {
            case AtaCommand.ReadDma or AtaCommand.WriteDma:
                // 28-bit addressing: LBA 27:24 travel in Device bits 3:0; Count 7:0 with 0 meaning 256.
                command.Lba = (long)(fis.Lba & 0xFF_FFFF) | (long)(fis.Device & 0x0F) << 24;
                command.SectorCount = (fis.Count & 0xFF) == 0 ? 256 : fis.Count & 0xFF;
                break;
            case AtaCommand.ReadDmaExt or AtaCommand.WriteDmaExt or AtaCommand.WriteDmaFuaExt or AtaCommand.ReadVerifySectorsExt:
                command.SectorCount = fis.Count == 0 ? 65536 : fis.Count;
                command.ForceUnitAccess = opcode == AtaCommand.WriteDmaFuaExt;
                break;
        }
        command.Schedule(_simulation, Now + _commandOverheadNs, CommandStage.Ready);
    }

    private static DriveCommandKind KindOf(AtaCommand opcode) => opcode switch
    {
        AtaCommand.ReadDma or AtaCommand.ReadDmaExt => DriveCommandKind.Read,
        AtaCommand.WriteDma or AtaCommand.WriteDmaExt or AtaCommand.WriteDmaFuaExt => DriveCommandKind.Write,
        AtaCommand.ReadVerifySectorsExt => DriveCommandKind.Verify,
        AtaCommand.FlushCache or AtaCommand.FlushCacheExt => DriveCommandKind.Flush,
        AtaCommand.DataSetManagement => DriveCommandKind.Trim,
        AtaCommand.SetFeatures => DriveCommandKind.SetFeatures,
        AtaCommand.IdentifyDevice => DriveCommandKind.Identify,
        AtaCommand.ReadLogExt => DriveCommandKind.ReadLog,
        _ => DriveCommandKind.Unsupported,
    };

    internal void OnCommandStage(DriveCommand command, CommandStage stage)
    {
        switch (stage)
        {
            case CommandStage.Ready:
                OnReady(command);
                break;
            case CommandStage.DataReady:
                ClaimLinkForRead(command);
                break;
            case CommandStage.LinkStart:
                OnLinkStart(command);
                break;
            case CommandStage.LinkEnd:
                OnLinkEnd(command);
                break;
            case CommandStage.Complete:
                OnComplete(command);
                break;
            default:
                throw new InvalidOperationException($"unexpected command stage {stage}");
        }
    }

    private void OnReady(DriveCommand command)
    {
        if (_faults.ShouldHang(command.Number))
        {
            Hang(command);
            return;
        }
        switch (command.Kind)
        {
            case DriveCommandKind.Read or DriveCommandKind.Write or DriveCommandKind.Verify:
                if (command.Lba + command.SectorCount > _capacity)
                {
                    Fail(command, AtaStatus.None, AtaError.Idnf, command.Lba);
                    return;
                }
                if (_faults.ShouldHang(command.Lba, command.SectorCount))
                {
                    Hang(command);
                    return;
                }
                if (command.Kind == DriveCommandKind.Read)
                    StartRead(command);
                else if (command.Kind == DriveCommandKind.Write)
                    StartWrite(command);
                else
                    StartVerify(command);
                break;
            case DriveCommandKind.Flush:
                StartBarrier(command, BarrierKind.Flush);
                break;
            case DriveCommandKind.SetFeatures:
                SetFeatures(command);
                break;
            case DriveCommandKind.Trim:
                StartTrim(command);
                break;
            case DriveCommandKind.Identify:
                Identify().Write(_pioBuffer);
                StartPioIn(command);
                break;
            case DriveCommandKind.ReadLog:
                StartReadLog(command);
                break;
            default:
                Fail(command, AtaStatus.None, AtaError.Abrt, 0);
                break;
        }
    }

    private void Hang(DriveCommand command)
    {
        command.Hung = true;
        Statistics.HungCommands++;
        _log.Info(_logSource, $"fault plan: {command} hangs");
    }

    private void StartRead(DriveCommand command)
    {
        command.TransferBytes = (long)command.SectorCount * _sectorSize;
        // Unreadable sectors are never in the buffer: a read of one always goes to the medium and fails there. A FUA
        // read must come from the medium too (its bytes are the same: dirty data still overlays the store).
        bool mediumOnly = command.ForceUnitAccess || HasUnreadableSector(command.Lba, command.SectorCount, out _);
        if (!mediumOnly && _writeCache.IsFullyDirty(command.Lba, command.SectorCount))
        {
            Statistics.CacheHits++;
            command.Path = CommandPath.CacheRead;
            ScheduleDataReady(command, Now);
            return;
        }
        if (!mediumOnly && _readCache.IsEnabled)
        {
            ReadCacheResult result = _readCache.Lookup(command.Lba, command.SectorCount, Now, out long availableAt);
            if (result != ReadCacheResult.Miss)
            {
                Statistics.CacheHits++;
                if (result == ReadCacheResult.ReadAheadHit)
                    Statistics.ReadAheadHits++;
                command.Path = CommandPath.CacheRead;
                ScheduleDataReady(command, availableAt);
                return;
            }
        }
        Statistics.CacheMisses++;
        command.Path = CommandPath.MediaRead;
        EnqueueForMedia(command);
    }

    private void StartWrite(DriveCommand command)
    {
        if (_faults.WriteFaults.TryFindFirst(command.Lba, command.SectorCount, out long faulty))
        {
            Statistics.WriteFaults++;
            Fail(command, AtaStatus.DeviceFault, AtaError.Abrt, faulty);
            return;
        }
        command.TransferBytes = (long)command.SectorCount * _sectorSize;
        int lines = WriteBackCache.LinesSpanned(command.Lba, command.SectorCount);
        if (_writeCacheEnabled && !command.ForceUnitAccess && lines <= _writeCache.CapacityLines)
        {
            command.Path = CommandPath.CachedWrite;
            if (_cacheWaiters.Count == 0 && TryStartCachedWrite(command, lines))
                return;
            // The cache is full: the write waits (in arrival order) for destaging to free lines.
            _cacheWaiters.Add(command);
            TryDispatchMedia();
            return;
        }
        command.Path = CommandPath.ThroughWrite;
        command.EnsureBuffer(command.TransferBytes);
        EnqueueForMedia(command);
    }

    private bool TryStartCachedWrite(DriveCommand command, int lines)
    {
        if (!_writeCache.TryReserve(lines))
            return false;
        command.ReservedCacheLines = lines;
        ClaimLink(command, Now, command.TransferBytes, minimumEnd: 0);
        return true;
    }

    /// <summary>Writes waiting for cache space go in arrival order as destaging frees lines.</summary>
    private void ServeCacheWaiters()
    {
        while (_cacheWaiters.Count > 0)
        {
            DriveCommand head = _cacheWaiters[0];
            if (!TryStartCachedWrite(head, WriteBackCache.LinesSpanned(head.Lba, head.SectorCount)))
                return;
            _cacheWaiters.RemoveAt(0);
        }
    }

    private void StartVerify(DriveCommand command)
    {
        command.Path = CommandPath.Verify;
        EnqueueForMedia(command);
    }

    private void SetFeatures(DriveCommand command)
    {
        switch ((SetFeaturesSubcommand)(command.Features & 0xFF))
        {
            case SetFeaturesSubcommand.EnableVolatileWriteCache when _writeCache.IsEnabled:
                _writeCacheEnabled = true;
                Succeed(command);
                break;
            case SetFeaturesSubcommand.DisableVolatileWriteCache when _writeCache.IsEnabled:
                // The cache turns write-through only once everything it holds is on the medium.
                StartBarrier(command, BarrierKind.DisableWriteCache);
                break;
            case SetFeaturesSubcommand.EnableReadLookAhead when _readCache.IsEnabled:
                _lookAheadEnabled = true;
                Succeed(command);
                break;
            case SetFeaturesSubcommand.DisableReadLookAhead when _readCache.IsEnabled:
                _lookAheadEnabled = false;
                if (_readCache.ReadAheadActive)
                    CutReadAhead();
                Succeed(command);
                break;
            default:
                Fail(command, AtaStatus.None, AtaError.Abrt, 0);
                break;
        }
    }

    private void StartTrim(DriveCommand command)
    {
        int blocks = command.CountField;
        if (!_profile.SupportsTrim || (command.Features & 0x0001) == 0 || blocks == 0 || blocks > _options.MaxDsmBlocks)
        {
            Fail(command, AtaStatus.None, AtaError.Abrt, 0);
            return;
        }
        command.Path = CommandPath.DataOut;
        command.TransferBytes = blocks * 512L;
        command.EnsureBuffer(command.TransferBytes);
        ClaimLink(command, Now, command.TransferBytes, minimumEnd: 0);
    }

    /// <summary>The range entries arrived: check them all, then wait until no media write is in flight and apply.</summary>
    private void OnTrimDataArrived(DriveCommand command)
    {
        ReadOnlySpan<byte> entries = command.Buffer.AsSpan(0, (int)command.TransferBytes);
        for (int offset = 0; offset < entries.Length; offset += DsmRangeEntry.Size)
        {
            DsmRangeEntry entry = DsmRangeEntry.Read(entries[offset..]);
            if (entry.Length != 0 && (long)entry.Lba + entry.Length > _capacity)
            {
                Fail(command, AtaStatus.None, AtaError.Abrt, (long)entry.Lba);
                return;
            }
        }
        StartBarrier(command, BarrierKind.Trim);
    }

    private void ApplyTrim(DriveCommand command)
    {
        ReadOnlySpan<byte> entries = command.Buffer.AsSpan(0, (int)command.TransferBytes);
        for (int offset = 0; offset < entries.Length; offset += DsmRangeEntry.Size)
        {
            DsmRangeEntry entry = DsmRangeEntry.Read(entries[offset..]);
            if (entry.Length == 0)
                continue;
            long lba = (long)entry.Lba;
            _writeCache.Discard(lba, entry.Length);
            _store.Discard(lba * _sectorSize, (long)entry.Length * _sectorSize);
            _media.Trim(lba, entry.Length);
            // A trimmed sector reads back as zeros, deterministically: nothing pending is left there.
            _faults.Unreadable.Remove(lba, entry.Length);
        }
    }

    private void StartReadLog(DriveCommand command)
    {
        var log = (LogAddress)(byte)command.Lba;
        long page = ((command.Lba >> 8) & 0xFF) | ((command.Lba >> 32) & 0xFFFF) << 8;
        int pages = command.CountField;
        bool known = log is LogAddress.Directory or LogAddress.NcqCommandError;
        if (!known || pages == 0 || page + pages > 1)
        {
            Fail(command, AtaStatus.None, AtaError.Abrt, 0);
            return;
        }
        if (log == LogAddress.Directory)
            LogDirectory.Write(_pioBuffer, [LogAddress.NcqCommandError], [1]);
        else if (_ncqErrorPending)
            _ncqErrorLog.Write(_pioBuffer);
        else
            new NcqCommandErrorLog { NotQueued = true }.Write(_pioBuffer);
        StartPioIn(command);
    }

    private void StartPioIn(DriveCommand command)
    {
        command.Path = CommandPath.PioIn;
        command.TransferBytes = _pioBuffer.Length;
        ClaimLink(command, Now, command.TransferBytes, minimumEnd: 0);
    }

    private void StartBarrier(DriveCommand command, BarrierKind kind)
    {
        command.Path = CommandPath.Barrier;
        _barrier = command;
        _barrierKind = kind;
        if (!TryReleaseBarrier())
            TryDispatchMedia();
    }

    /// <summary>Destaging must go first while a FLUSH or a write-cache disable waits for the cache to drain.</summary>
    private bool BarrierNeedsDrain => _barrier is not null && _barrierKind != BarrierKind.Trim;

    private bool TryReleaseBarrier()
    {
        if (_barrier is not { } command)
            return false;
        if (_barrierKind == BarrierKind.Trim)
        {
            if (AnyMediaWriteInFlight())
                return false;
            _barrier = null;
            ApplyTrim(command);
            Succeed(command);
            return true;
        }
        if (_writeCache.DirtySectors > 0 || AnyMediaWriteInFlight())
            return false;
        _barrier = null;
        if (_barrierKind == BarrierKind.Flush)
            _store.Flush();
        else
            _writeCacheEnabled = false;
        Succeed(command);
        return true;
    }

    /// <summary>
    /// A command that breaks the NCQ protocol (a tag already in use or beyond the depth, a non-queued command
    /// among queued ones) aborts every queued command; the log records it as not caused by a queued command.
    /// </summary>
    private void AbortQueueForProtocolError()
    {
        AbortQueuedCommands();
        RecordNcqError(new NcqCommandErrorLog
        {
            NotQueued = true,
            Status = AtaStatus.Drdy | AtaStatus.Err,
            Error = AtaError.Abrt,
        });
        Reject();
    }
}
