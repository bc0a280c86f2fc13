using Hardware.Emulator.Ata.Spec;
using Hardware.Emulator.Sata;

namespace Hardware.Emulator.Ata;

/// <summary>
/// How commands end: completion FISes (a D2H Register FIS for non-queued commands, Set Device Bits for queued ones,
/// batched when they finish together), errors, the NCQ error state, and aborts.
/// </summary>
public sealed partial class SataDrive
{
    private uint _completedTags;
    private bool _completionsScheduled;
    private bool _ncqErrorPending;
    private NcqCommandErrorLog _ncqErrorLog;

    private void Succeed(DriveCommand command) =>
        command.Schedule(_simulation, Now + _options.FisLatencyNs, CommandStage.Complete);

    /// <summary>
    /// The command ends in error. A queued one puts the drive in the NCQ error state: every outstanding queued command
    /// is aborted and an SDB FIS with ERR goes out; the details wait in log 10h.
    /// </summary>
    private void Fail(DriveCommand command, AtaStatus extraStatus, AtaError error, long lba)
    {
        CountError(error);
        AtaStatus status = AtaStatus.Drdy | AtaStatus.Err | extraStatus;
        if (command.Queued)
        {
            RecordNcqError(new NcqCommandErrorLog
            {
                Tag = command.Slot,
                Status = status,
                Error = error,
                Lba = (ulong)lba,
                Device = 0x40,
                Count = (ushort)command.SectorCount,
            });
            AbortQueuedCommands();
            ScheduleDriveEvent(Now + _options.FisLatencyNs, DriveEvent.SendNcqError, 0, _epoch);
            return;
        }
        Detach(command);
        command.Failed = true;
        command.FailStatus = status;
        command.FailError = error;
        command.FailLba = lba;
        command.Schedule(_simulation, Now + _options.FisLatencyNs, CommandStage.Complete);
    }

    private void CountError(AtaError error)
    {
        Statistics.Errors++;
        if ((error & AtaError.Unc) != 0)
            Statistics.UncorrectableErrors++;
        if ((error & AtaError.Idnf) != 0)
            Statistics.IdnfErrors++;
        if ((error & AtaError.Abrt) != 0)
            Statistics.AbortedCommands++;
    }

    private void OnComplete(DriveCommand command)
    {
        if (command.Queued)
        {
            // Completions that fall on the same instant share one Set Device Bits FIS.
            _completedTags |= 1u << command.Slot;
            Release(command);
            if (!_completionsScheduled)
            {
                _completionsScheduled = true;
                ScheduleDriveEvent(Now, DriveEvent.SendCompletions, 0, _epoch);
            }
            return;
        }
        bool failed = command.Failed;
        AtaStatus status = command.FailStatus;
        AtaError error = command.FailError;
        long lba = command.FailLba;
        Release(command);
        if (failed)
            SendRegister(status, error, interrupt: true, (ulong)lba);
        else
            SendRegister(AtaStatus.Drdy, AtaError.None, interrupt: true);
    }

    private void SendCompletions()
    {
        _completionsScheduled = false;
        uint tags = _completedTags;
        _completedTags = 0;
        if (tags == 0)
            return;
        var fis = new SetDeviceBitsFis
        {
            Interrupt = true,
            Status = AtaStatus.Drdy,
            Error = AtaError.None,
            CompletedTags = tags,
        };
        _host!.ReceiveSetDeviceBits(in fis);
    }

    private void SendNcqError()
    {
        var fis = new SetDeviceBitsFis
        {
            Interrupt = true,
            Status = _ncqErrorLog.Status,
            Error = _ncqErrorLog.Error,
            CompletedTags = 0,
        };
        _host!.ReceiveSetDeviceBits(in fis);
    }

    private void RecordNcqError(in NcqCommandErrorLog log)
    {
        _ncqErrorLog = log;
        _ncqErrorPending = true;
    }

    /// <summary>A command refused at issue: a D2H FIS with ERR and ABRT.</summary>
    private void Reject()
    {
        Statistics.Errors++;
        Statistics.AbortedCommands++;
        ScheduleDriveEvent(Now + _options.FisLatencyNs, DriveEvent.SendRejection, 0, _epoch);
    }

    private void SendRegister(AtaStatus status, AtaError error, bool interrupt, ulong lba = 0)
    {
        var fis = new RegisterD2HFis
        {
            Status = status,
            Error = error,
            Interrupt = interrupt,
            Lba = lba,
            Device = 0x40,
        };
        _host!.ReceiveRegisterD2H(in fis);
    }

    private void AbortQueuedCommands()
    {
        for (int tag = 0; tag < DriveCommand.NonQueuedSlot; tag++)
        {
            if (_commands[tag].InUse)
                AbortCommand(_commands[tag]);
        }
    }

    private void AbortAllCommands()
    {
        foreach (DriveCommand command in _commands)
        {
            if (command.InUse)
                AbortCommand(command);
        }
    }

    /// <summary>The command vanishes without a FIS; a media write it started keeps the sectors already written.</summary>
    private void AbortCommand(DriveCommand command)
    {
        Detach(command);
        Release(command);
    }

    /// <summary>Takes the command out of every queue, reservation and media access it holds.</summary>
    private void Detach(DriveCommand command)
    {
        if (command.InMediaQueue)
        {
            _mediaQueue.Remove(command);
            command.InMediaQueue = false;
        }
        _cacheWaiters.Remove(command);
        if (command.ReservedCacheLines > 0)
        {
            _writeCache.Release(command.ReservedCacheLines);
            command.ReservedCacheLines = 0;
        }
        if (command.MediaSlot >= 0)
        {
            MediaSlot slot = _slots[command.MediaSlot];
            if (slot.Owner == MediaSlotOwner.Command && ReferenceEquals(slot.Command, command))
            {
                if (command.Path == CommandPath.ThroughWrite && command.DataArrived)
                    PersistThroughWrite(command, slot.SectorsDoneBy(Now));
                slot.Owner = MediaSlotOwner.Aborted;
                slot.Command = null;
            }
            command.MediaSlot = -1;
        }
        if (ReferenceEquals(_barrier, command))
            _barrier = null;
    }

    private void Release(DriveCommand command)
    {
        if (command.Queued)
            _queuedMask &= ~(1u << command.Slot);
        command.End();
    }

    /// <summary>What a reset or power loss clears besides the commands themselves.</summary>
    private void ResetProtocolState()
    {
        _completedTags = 0;
        _completionsScheduled = false;
        _ncqErrorPending = false;
        _barrier = null;
        _linkFreeAt = Math.Max(_linkFreeAt, Now);
    }
}
