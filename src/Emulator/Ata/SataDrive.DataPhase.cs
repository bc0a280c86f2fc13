using Hardware.Emulator.Sata;

namespace Hardware.Emulator.Ata;

/// <summary>
/// The data phase on the SATA link: one phase at a time, timed at the negotiated generation's payload rate, with the
/// bytes moving through the host port's buffer mapping when the phase ends.
/// </summary>
public sealed partial class SataDrive
{
    private long _linkFreeAt;

    private long TransferNs(long bytes) => _negotiated.TransferNanoseconds(bytes);

    /// <summary>
    /// Read data streams to the host while it comes off the medium; the link runs faster than the medium, so the phase
    /// is timed to end one Data FIS after the last sector is in. This event claims the link when the phase could start.
    /// </summary>
    private void ScheduleDataReady(DriveCommand command, long sourceReadyAt)
    {
        command.SourceReadyAt = sourceReadyAt;
        long bytes = command.TransferBytes;
        long start = sourceReadyAt + TransferNs(Math.Min(bytes, MaxDataFisBytes)) - TransferNs(bytes);
        command.Schedule(_simulation, Math.Max(Now, start), CommandStage.DataReady);
    }

    private void ClaimLinkForRead(DriveCommand command)
    {
        long bytes = command.TransferBytes;
        ClaimLink(command, Now, bytes, command.SourceReadyAt + TransferNs(Math.Min(bytes, MaxDataFisBytes)));
    }

    /// <summary>Reserves the link for the command's data phase, from when it is free and no earlier than <paramref name="earliest"/>.</summary>
    private void ClaimLink(DriveCommand command, long earliest, long bytes, long minimumEnd)
    {
        long start = Math.Max(earliest, _linkFreeAt);
        long end = Math.Max(start + TransferNs(bytes), minimumEnd);
        _linkFreeAt = end;
        // Queued commands name their tag in a DMA Setup FIS; PIO data-in opens with a PIO Setup FIS.
        if (command.Queued || command.Path == CommandPath.PioIn)
            command.Schedule(_simulation, start, CommandStage.LinkStart);
        command.Schedule(_simulation, end, CommandStage.LinkEnd);
    }

    private void OnLinkStart(DriveCommand command)
    {
        if (command.Path == CommandPath.PioIn)
        {
            var pio = new PioSetupFis
            {
                DeviceToHost = true,
                Interrupt = true,
                Status = AtaStatus.Drdy | AtaStatus.Drq,
                EndStatus = AtaStatus.Drdy,
                TransferCount = (ushort)command.TransferBytes,
            };
            _host!.ReceivePioSetup(in pio);
            return;
        }
        bool toHost = command.Path is CommandPath.MediaRead or CommandPath.CacheRead;
        var setup = new DmaSetupFis
        {
            DeviceToHost = toHost,
            AutoActivate = !toHost,
            BufferIdentifier = (ulong)command.Slot,
            BufferOffset = 0,
            TransferCount = (uint)command.TransferBytes,
        };
        _host!.ReceiveDmaSetup(in setup);
    }

    private void OnLinkEnd(DriveCommand command)
    {
        DmaStatus status;
        long moved;
        switch (command.Path)
        {
            case CommandPath.MediaRead or CommandPath.CacheRead:
                status = SendDiskData(command, out moved);
                if (status != DmaStatus.Ok)
                {
                    DmaFailure(command, status, moved);
                    return;
                }
                _host!.CompleteDataPhase(moved);
                Statistics.SectorsRead += command.SectorCount;
                Succeed(command);
                break;

            case CommandPath.PioIn:
                status = SendBuffer(_pioBuffer.AsSpan(0, (int)command.TransferBytes), out moved);
                if (status != DmaStatus.Ok)
                {
                    DmaFailure(command, status, moved);
                    return;
                }
                if (command.Kind == DriveCommandKind.ReadLog && (byte)command.Lba == (byte)Spec.LogAddress.NcqCommandError)
                    _ncqErrorPending = false;
                // PIO data-in ends with its last Data FIS: the PIO Setup FIS already carried the ending status (and the
                // I bit), so no Register FIS follows and the drive takes the next command from this instant. A late
                // D2H FIS here would complete whatever command the host sent next, before the drive had even seen it.
                Release(command);
                _host!.CompleteDataPhase(moved);
                break;

            case CommandPath.CachedWrite:
                status = CheckHostBuffer(command.TransferBytes);
                if (status != DmaStatus.Ok)
                {
                    DmaFailure(command, status, 0);
                    return;
                }
                _writeCache.Prepare(command.Lba, command.SectorCount, command.ReservedCacheLines);
                command.ReservedCacheLines = 0;
                ReceiveIntoCache(command);
                _writeCache.MarkDirty(command.Lba, command.SectorCount);
                _host!.CompleteDataPhase(command.TransferBytes);
                Statistics.SectorsWritten += command.SectorCount;
                Statistics.CachedWrites++;
                Succeed(command);
                TryDispatchMedia();
                break;

            case CommandPath.ThroughWrite:
                if (!TryReceiveWholeBuffer(command))
                    return;
                command.DataArrived = true;
                if (command.MediaDone)
                    FinishThroughWrite(command);
                break;

            case CommandPath.DataOut:
                if (!TryReceiveWholeBuffer(command))
                    return;
                OnTrimDataArrived(command);
                break;

            default:
                throw new InvalidOperationException($"{command} has no data phase");
        }
    }

    /// <summary>The host cut the data phase short: the command ends without touching the medium or the cache.</summary>
    private void DmaFailure(DriveCommand command, DmaStatus status, long moved)
    {
        Statistics.DmaErrors++;
        _log.Warning(_logSource, $"{command}: data phase failed on the host side ({status}) after {moved} bytes");
        if (status == DmaStatus.NoActiveCommand)
        {
            // The port stopped or was reset under the command; nobody is listening for a FIS.
            AbortCommand(command);
            return;
        }
        _host!.CompleteDataPhase(moved);
        Fail(command, AtaStatus.None, AtaError.Abrt, command.Lba);
    }

    /// <summary>Reads go from the store, overlaid with newer dirty cache data, straight into the host's buffer.</summary>
    private DmaStatus SendDiskData(DriveCommand command, out long moved)
    {
        long total = command.TransferBytes;
        long disk = command.Lba * _sectorSize;
        moved = 0;
        while (moved < total)
        {
            DmaStatus status = _host!.MapHostBuffer(moved, PieceLength(total - moved), out Span<byte> piece);
            if (status != DmaStatus.Ok)
                return status;
            if (piece.IsEmpty)
                return DmaStatus.Overflow;
            _store.Read(disk + moved, piece);
            _writeCache.OverlayDirty(disk + moved, piece);
            moved += piece.Length;
        }
        return DmaStatus.Ok;
    }

    private DmaStatus SendBuffer(ReadOnlySpan<byte> source, out long moved)
    {
        moved = 0;
        while (moved < source.Length)
        {
            DmaStatus status = _host!.MapHostBuffer(moved, source.Length - (int)moved, out Span<byte> piece);
            if (status != DmaStatus.Ok)
                return status;
            if (piece.IsEmpty)
                return DmaStatus.Overflow;
            source.Slice((int)moved, piece.Length).CopyTo(piece);
            moved += piece.Length;
        }
        return DmaStatus.Ok;
    }

    /// <summary>
    /// Walks the host buffer of a write before taking any byte, so a buffer that turns out bad leaves the drive's data
    /// untouched (the mapping is pure: the second walk yields the same pieces).
    /// </summary>
    private DmaStatus CheckHostBuffer(long total)
    {
        long offset = 0;
        while (offset < total)
        {
            DmaStatus status = _host!.MapHostBuffer(offset, PieceLength(total - offset), out Span<byte> piece);
            if (status != DmaStatus.Ok)
                return status;
            if (piece.IsEmpty)
                return DmaStatus.Overflow;
            offset += piece.Length;
        }
        return DmaStatus.Ok;
    }

    private void ReceiveIntoCache(DriveCommand command)
    {
        long total = command.TransferBytes;
        long disk = command.Lba * _sectorSize;
        long offset = 0;
        while (offset < total)
        {
            _host!.MapHostBuffer(offset, PieceLength(total - offset), out Span<byte> piece);
            _writeCache.CopyIn(disk + offset, piece);
            offset += piece.Length;
        }
    }

    private void ReceiveIntoBuffer(Span<byte> destination)
    {
        long offset = 0;
        while (offset < destination.Length)
        {
            _host!.MapHostBuffer(offset, destination.Length - (int)offset, out Span<byte> piece);
            piece.CopyTo(destination[(int)offset..]);
            offset += piece.Length;
        }
    }

    private static int PieceLength(long remaining) => (int)Math.Min(remaining, int.MaxValue);

    /// <summary>Moves the command's whole data-out phase into its own buffer; a host DMA failure ends the command.</summary>
    private bool TryReceiveWholeBuffer(DriveCommand command)
    {
        DmaStatus status = CheckHostBuffer(command.TransferBytes);
        if (status != DmaStatus.Ok)
        {
            DmaFailure(command, status, 0);
            return false;
        }
        ReceiveIntoBuffer(command.Buffer.AsSpan(0, (int)command.TransferBytes));
        _host!.CompleteDataPhase(command.TransferBytes);
        return true;
    }
}
