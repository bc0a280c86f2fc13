using Hardware.Emulator.Media;
using Hardware.Emulator.Sata;

namespace Hardware.Emulator.Ata;

/// <summary>
/// The medium's side of the firmware: the queue of commands waiting for it (drive-side NCQ reordering by positioning
/// time, with an aging bound), read-ahead while idle, and destaging of the write-back cache.
/// </summary>
public sealed partial class SataDrive
{
    private readonly MediaSlot[] _slots;
    private readonly LbaExtent[] _blocked;
    private readonly List<DriveCommand> _mediaQueue;
    private readonly List<DriveCommand> _cacheWaiters;

    private void EnqueueForMedia(DriveCommand command)
    {
        command.InMediaQueue = true;
        command.QueuedAt = Now;
        _mediaQueue.Add(command);
        TryDispatchMedia();
    }

    /// <summary>
    /// Starts media accesses while the medium has room: destaging first when the cache is under pressure, then the
    /// host command the firmware prefers, then (only when idle) background destaging.
    /// </summary>
    private void TryDispatchMedia()
    {
        if (_state == DriveState.Off)
            return;
        while (FindDispatchSlot() is { } slot)
        {
            if (DestageIsUrgent() && TryStartDestage(slot))
                continue;
            if (TryDispatchHostCommand(slot))
                continue;
            if (_mediaQueue.Count == 0 && !_readCache.ReadAheadActive && TryStartDestage(slot))
                continue;
            return;
        }
    }

    /// <summary>A free slot, or the one read-ahead is streaming on (any new access cuts read-ahead).</summary>
    private MediaSlot? FindDispatchSlot()
    {
        foreach (MediaSlot slot in _slots)
        {
            if (slot.IsFree)
                return slot;
        }
        return _readCache.ReadAheadActive ? _slots[_readCache.ReadAheadMediaSlot] : null;
    }

    private bool DestageIsUrgent() =>
        _writeCache.DirtySectors > 0
        && (_cacheWaiters.Count > 0 || BarrierNeedsDrain || _writeCache.UsedLines >= _highWaterLines);

    /// <summary>Takes the slot for a new access; returns the earliest time the access can start.</summary>
    private long ClaimSlot(MediaSlot slot)
    {
        if (_readCache.ReadAheadActive)
            CutReadAhead();
        return Math.Max(Now, slot.FreeAt);
    }

    private bool TryDispatchHostCommand(MediaSlot slot)
    {
        if (!HasDispatchableCommand())
            return false;
        long start = ClaimSlot(slot);
        DriveCommand command = PickNextCommand(start);
        _mediaQueue.Remove(command);
        command.InMediaQueue = false;

        bool write = command.Path == CommandPath.ThroughWrite;
        MediaOperation operation = write ? MediaOperation.Write : MediaOperation.Read;
        long positioning = _media.EstimatePositioning(start, operation, command.Lba);
        long end = _media.Access(start, operation, command.Lba, command.SectorCount);
        BeginAccess(slot, MediaSlotOwner.Command, command, write, command.Lba, command.SectorCount, start, start + positioning, end);
        command.MediaSlot = slot.Index;
        if (write)
        {
            Statistics.MediaWrites++;
            Statistics.MediaSectorsWritten += command.SectorCount;
            // The data crosses the link while the head positions; the medium cannot finish before it has it.
            ClaimLink(command, Now, command.TransferBytes, minimumEnd: 0);
            return true;
        }
        Statistics.MediaReads++;
        Statistics.MediaSectorsRead += command.SectorCount;
        if (command.Path == CommandPath.MediaRead)
        {
            if (HasUnreadableSector(command.Lba, command.SectorCount, out long bad))
            {
                command.Failed = true;
                command.FailLba = bad;
            }
            else
            {
                ScheduleDataReady(command, end);
            }
        }
        return true;
    }

    private bool HasDispatchableCommand()
    {
        if (_mediaQueue.Count == 0)
            return false;
        // Only a medium write in progress can hold a command back: without one, the first command can go.
        if (!AnyMediaWriteInFlight())
            return true;
        foreach (DriveCommand command in _mediaQueue)
        {
            if (!ConflictsWithMediaWrite(command.Lba, command.SectorCount))
                return true;
        }
        return false;
    }

    /// <summary>
    /// Drive-side NCQ: the waiting command whose first sector the head reaches soonest, unless the oldest has waited
    /// past the aging bound, in which case it goes first so no tag starves.
    /// </summary>
    private DriveCommand PickNextCommand(long start)
    {
        DriveCommand? oldest = null, best = null;
        long bestPositioning = long.MaxValue;
        bool writesInFlight = AnyMediaWriteInFlight();
        foreach (DriveCommand command in _mediaQueue)
        {
            if (writesInFlight && ConflictsWithMediaWrite(command.Lba, command.SectorCount))
                continue;
            if (oldest is null)
            {
                oldest = command;
                if (Now - command.QueuedAt >= _options.NcqMaxWaitNs)
                    return command;
            }
            MediaOperation operation = command.Path == CommandPath.ThroughWrite ? MediaOperation.Write : MediaOperation.Read;
            long positioning = _media.EstimatePositioning(start, operation, command.Lba);
            if (positioning < bestPositioning)
            {
                best = command;
                bestPositioning = positioning;
            }
        }
        if (best is null)
            throw new InvalidOperationException("no dispatchable command although one was found");
        if (!ReferenceEquals(best, oldest))
            Statistics.NcqReorders++;
        return best;
    }

    /// <summary>Nothing may touch sectors a media write is writing right now (reads would race the data, writes its order).</summary>
    private bool ConflictsWithMediaWrite(long lba, long count)
    {
        foreach (MediaSlot slot in _slots)
        {
            if (slot.IsActiveAccess && slot.IsWrite && lba < slot.Lba + slot.Count && slot.Lba < lba + count)
                return true;
        }
        return false;
    }

    private bool AnyMediaWriteInFlight()
    {
        foreach (MediaSlot slot in _slots)
        {
            if (slot.IsActiveAccess && slot.IsWrite)
                return true;
        }
        return false;
    }

    private void BeginAccess(MediaSlot slot, MediaSlotOwner owner, DriveCommand? command, bool write, long lba, int count,
        long start, long transferStart, long end)
    {
        if (end < start)
            throw new InvalidOperationException($"the media model ended an access at {end} ns, before its start at {start} ns");
        slot.Generation++;
        slot.Owner = owner;
        slot.Command = command;
        slot.CommandGeneration = command?.Generation ?? 0;
        slot.IsWrite = write;
        slot.Lba = lba;
        slot.Count = count;
        slot.Start = start;
        slot.TransferStart = Math.Min(transferStart, end);
        slot.End = end;
        slot.FreeAt = end;
        ScheduleDriveEvent(end, DriveEvent.MediaDone, slot.Index, slot.Generation);
    }

    private void OnMediaDone(MediaSlot slot, long generation)
    {
        if (generation != slot.Generation)
            return;
        MediaSlotOwner owner = slot.Owner;
        DriveCommand? command = slot.Command;
        slot.Owner = MediaSlotOwner.None;
        slot.Command = null;
        slot.FreeAt = Math.Max(slot.FreeAt, Now);
        switch (owner)
        {
            case MediaSlotOwner.Command when command is not null && command.InUse && command.Generation == slot.CommandGeneration:
                command.MediaSlot = -1;
                OnCommandMediaDone(command, slot);
                break;
            case MediaSlotOwner.Destage:
                CommitDestageData(slot, slot.Count);
                _writeCache.CompleteDestage(slot.Lba, slot.Count);
                ServeCacheWaiters();
                break;
        }
        if (_state == DriveState.Off)
            return;
        TryReleaseBarrier();
        TryDispatchMedia();
    }

    private void OnCommandMediaDone(DriveCommand command, MediaSlot slot)
    {
        command.MediaDone = true;
        switch (command.Path)
        {
            case CommandPath.MediaRead:
                if (command.Failed)
                {
                    Fail(command, AtaStatus.None, AtaError.Unc, command.FailLba);
                    return;
                }
                if (_readCache.IsEnabled)
                {
                    int segment = _readCache.RecordMediaRead(command.Lba, command.SectorCount);
                    StartReadAhead(segment, slot, command.Lba + command.SectorCount);
                }
                break;
            case CommandPath.Verify:
                if (HasUnreadableSector(command.Lba, command.SectorCount, out long bad, ignoreCache: true))
                    Fail(command, AtaStatus.None, AtaError.Unc, bad);
                else
                    Succeed(command);
                break;
            case CommandPath.ThroughWrite:
                if (command.DataArrived)
                    FinishThroughWrite(command);
                break;
        }
    }

    /// <summary>Data and medium are both done: the sectors are on the medium and the write completes.</summary>
    private void FinishThroughWrite(DriveCommand command)
    {
        PersistThroughWrite(command, command.SectorCount);
        Statistics.SectorsWritten += command.SectorCount;
        Succeed(command);
    }

    private void PersistThroughWrite(DriveCommand command, int sectors)
    {
        if (sectors <= 0)
            return;
        ReadOnlySpan<byte> data = command.Buffer.AsSpan(0, sectors * _sectorSize);
        _store.Write(command.Lba * _sectorSize, data);
        _writeCache.UpdateIfDirty(command.Lba, sectors, data);
        // A sector that was pending reallocation is good again once rewritten.
        _faults.Unreadable.Remove(command.Lba, sectors);
    }

    private bool HasUnreadableSector(long lba, int count, out long first, bool ignoreCache = false)
    {
        first = -1;
        long from = lba;
        long end = lba + count;
        while (from < end && _faults.Unreadable.TryFindFirst(from, end - from, out long bad))
        {
            // Sectors with newer data in the write cache are served from there, not from the bad spot.
            if (ignoreCache || !_writeCache.IsDirty(bad))
            {
                first = bad;
                return true;
            }
            from = bad + 1;
        }
        return false;
    }

    private bool TryStartDestage(MediaSlot slot)
    {
        if (_writeCache.DirtySectors == 0)
            return false;
        int blocked = 0;
        foreach (MediaSlot other in _slots)
        {
            if (other.IsActiveAccess && other.IsWrite)
                _blocked[blocked++] = new LbaExtent(other.Lba, other.Count);
        }
        int maxSectors = Math.Max(1, _options.MaxDestageBytes / _sectorSize);
        if (!_writeCache.TrySelectDestageRun(maxSectors, _blocked.AsSpan(0, blocked), out long lba, out int count))
            return false;
        long start = ClaimSlot(slot);
        if (slot.Staging.Length < maxSectors * _sectorSize)
            slot.Staging = new byte[maxSectors * _sectorSize];
        _writeCache.BeginDestage(lba, count, slot.Staging);
        long positioning = _media.EstimatePositioning(start, MediaOperation.Write, lba);
        long end = _media.Access(start, MediaOperation.Write, lba, count);
        BeginAccess(slot, MediaSlotOwner.Destage, null, write: true, lba, count, start, start + positioning, end);
        Statistics.DestagedWrites++;
        Statistics.DestagedSectors += count;
        return true;
    }

    /// <summary>
    /// Puts the first <paramref name="sectors"/> of a destage on the medium (all of them, or those written before power
    /// failed). Sectors the fault plan makes unwritable keep their old data; the host already had its completion, so the
    /// drive can only log the deferred error.
    /// </summary>
    private void CommitDestageData(MediaSlot slot, int sectors)
    {
        int done = 0;
        while (done < sectors)
        {
            long lba = slot.Lba + done;
            int run = sectors - done;
            if (_faults.WriteFaults.TryFindFirst(lba, run, out long faulty))
                run = (int)(faulty - lba);
            if (run > 0)
            {
                _store.Write(lba * _sectorSize, slot.Staging.AsSpan(done * _sectorSize, run * _sectorSize));
                _faults.Unreadable.Remove(lba, run);
                done += run;
            }
            if (done < sectors)
            {
                _log.Error(_logSource, $"deferred write error: cached data for LBA {slot.Lba + done} could not be written");
                done++;
            }
        }
    }

    private void StartReadAhead(int segment, MediaSlot slot, long from)
    {
        if (!_lookAheadEnabled || !slot.IsFree || slot.Count <= 0)
            return;
        // Stream at the rate the medium just delivered the demand read's sectors.
        double nsPerSector = Math.Max(0, (slot.End - slot.TransferStart) / (double)slot.Count);
        if (!_readCache.TryStart(segment, slot.Index, from, Now, nsPerSector))
            return;
        slot.Owner = MediaSlotOwner.ReadAhead;
        ScheduleDriveEvent(_readCache.WindowEndTime, DriveEvent.ReadAheadWindowEnd, 0, _readCache.Generation);
    }

    /// <summary>A read-ahead window is in: tell the medium what was read, then continue if a stream asked for more.</summary>
    private void OnReadAheadWindowEnd(long generation)
    {
        if (!_readCache.ReadAheadActive || generation != _readCache.Generation)
            return;
        MediaSlot slot = _slots[_readCache.ReadAheadMediaSlot];
        int sectors = (int)(_readCache.WindowEnd - _readCache.WindowStart);
        long mediaEnd = _media.Access(_readCache.WindowBaseTime, MediaOperation.Read, _readCache.WindowStart, sectors);
        Statistics.ReadAheadSectors += sectors;
        if (_readCache.AdvanceWindow(mediaEnd))
        {
            ScheduleDriveEvent(_readCache.WindowEndTime, DriveEvent.ReadAheadWindowEnd, 0, _readCache.Generation);
            return;
        }
        slot.Owner = MediaSlotOwner.None;
        slot.FreeAt = Math.Max(Now, mediaEnd);
        TryDispatchMedia();
    }

    /// <summary>Stops read-ahead now, telling the medium how far it got so the head position stays right.</summary>
    private void CutReadAhead()
    {
        MediaSlot slot = _slots[_readCache.ReadAheadMediaSlot];
        long sectors = _readCache.SectorsReadBy(Now);
        long freeAt = _readCache.WindowBaseTime;
        if (sectors > 0)
        {
            freeAt = _media.Access(_readCache.WindowBaseTime, MediaOperation.Read, _readCache.WindowStart, (int)sectors);
            Statistics.ReadAheadSectors += sectors;
        }
        _readCache.Cut(sectors);
        slot.Owner = MediaSlotOwner.None;
        slot.FreeAt = Math.Max(slot.FreeAt, freeAt);
    }
}
