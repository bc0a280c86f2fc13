using System.Numerics;
using Hardware.Emulator.Ahci.Spec;
using Hardware.Emulator.Platform;
using Hardware.Emulator.Sata;
using Hardware.Emulator.Simulation;

namespace Hardware.BlockLayer.Drivers.Ahci;

/// <summary>
/// The block layer's side: requests in (one slot per tag, command table built from the request's segments), the
/// libata deferral rule for non-queued commands, and completions from the interrupt handler in any order.
/// </summary>
public sealed partial class AhciPortDriver
{
    private IBlockDriverHost? _host;
    private PageFrame _trimPayload;
    /// <summary>Slots whose command is in the command list (or failed there and waits for recovery).</summary>
    private uint _issuedMask;
    /// <summary>Slots, issued or parked, whose current command is READ/WRITE FPDMA QUEUED.</summary>
    private uint _queuedMask;
    /// <summary>Slots, issued or parked, whose current command is non-queued (at most one).</summary>
    private uint _nonQueuedMask;
    /// <summary>Slots taken while the port is offline; an event fails them.</summary>
    private uint _offlineMask;
    private OfflineFailer? _offlineFailer;

    public void Attach(IBlockDriverHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (_features is null)
            throw new InvalidOperationException($"{LogSource}: attach a queue only to an identified disk");
        if (ReferenceEquals(_host, host))
            return;
        if (_host is not null)
            throw new InvalidOperationException($"{LogSource}: the disk already belongs to a request queue");
        _host = host;
    }

    public bool TryQueueRequest(Request request)
    {
        ArgumentNullException.ThrowIfNull(request);
        AtaDiskFeatures features = _features ?? throw new InvalidOperationException($"{LogSource}: the disk has not been identified");
        if (_host is null)
            throw new InvalidOperationException($"{LogSource}: no request queue is attached");
        CommandSlot slot = ValidateRequest(request, features);

        bool firstQueued = features.UsesNcq && request.Op is BioOp.Read or BioOp.Write && (request.Flags & BioFlags.Preflush) == 0;
        if (_nonQueuedMask != 0 || (!firstQueued && _queuedMask != 0))
        {
            // libata's qc_defer: a non-queued command waits until no queued one is outstanding, and nothing joins a
            // non-queued command. The queue tries again after the next completion, which the busy slots guarantee.
            Statistics.Deferrals++;
            return false;
        }

        if (BuildDataTable(slot, request, features) is { } problem)
            throw new ArgumentException($"{LogSource}: {request}: {problem}", nameof(request));
        slot.Request = request;
        slot.Step = (request.Flags & BioFlags.Preflush) != 0 && request.Op != BioOp.Flush ? RequestStep.Preflush : RequestStep.Main;

        if (IsOffline)
        {
            slot.State = SlotState.Issued;
            _offlineMask |= slot.Bit;
            Simulation.Schedule(0, _offlineFailer ??= new OfflineFailer(this));
            return true;
        }
        PrepareStep(slot);
        if (_recovering)
            Park(slot);
        else
            IssueSlot(slot);
        return true;
    }

    public void TimeoutRequest(Request request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if ((uint)request.Tag >= (uint)_slotCount || !ReferenceEquals(_slots[request.Tag].Request, request))
        {
            Log.Warning(LogSource, $"timeout for {request}, which is not at the device; ignored");
            return;
        }
        CommandSlot slot = _slots[request.Tag];
        if ((_offlineMask & slot.Bit) != 0)
            return;
        if (_recovering)
        {
            // Recovery already owns the issued commands; a parked one goes back to the queue when recovery ends.
            if (slot.State == SlotState.Parked)
                slot.TimedOutWhileParked = true;
            return;
        }
        Statistics.Timeouts++;
        _errorHandler.Begin(RecoveryTrigger.Timeout, PortInterrupts.None, slot.Index);
    }

    /// <summary>Called by the controller's interrupt handler when this port's bit in IS is set.</summary>
    internal void HandleInterrupt()
    {
        var status = (PortInterrupts)ReadPort(PortRegister.Is);
        WritePort(PortRegister.Is, (uint)status);
        if ((status & LinkChangeInterrupts) != 0)
            WritePort(PortRegister.Serr, (uint)(SError.DiagExchanged | SError.DiagPhyRdyChange));
        if (_internalActive)
        {
            OnInternalInterrupt(status);
            return;
        }
        if (_recovering || IsOffline)
            return;
        if ((status & ErrorInterrupts) != 0)
        {
            Statistics.ErrorInterrupts++;
            _errorHandler.Begin(RecoveryTrigger.ErrorInterrupt, status, -1);
            return;
        }
        CompleteFinishedCommands();
    }

    /// <summary>Every issued slot whose PxCI and PxSACT bits are both clear has finished its command.</summary>
    private void CompleteFinishedCommands()
    {
        uint finished = _issuedMask & ~(ReadPort(PortRegister.Ci) | ReadPort(PortRegister.Sact));
        while (finished != 0)
        {
            int index = BitOperations.TrailingZeroCount(finished);
            finished &= finished - 1;
            CommandSlot slot = _slots[index];
            _issuedMask &= ~slot.Bit;
            if (TryAdvanceStep(slot))
                continue;
            Request request = slot.Request!;
            ReleaseSlot(slot);
            Statistics.RequestsCompleted++;
            _host!.CompleteRequest(request, Errno.None);
        }
    }

    /// <summary>A preflush is done: the request's own command goes next, in the same slot.</summary>
    private bool TryAdvanceStep(CommandSlot slot)
    {
        if (slot.Step != RequestStep.Preflush)
            return false;
        slot.Step = RequestStep.Main;
        PrepareStep(slot);
        IssueSlot(slot);
        return true;
    }

    /// <summary>Checks what the queue promised (tag, limits, alignment); a broken promise is a bug, not an I/O error.</summary>
    private CommandSlot ValidateRequest(Request request, AtaDiskFeatures features)
    {
        if ((uint)request.Tag >= (uint)features.QueueDepth)
            throw new ArgumentException($"{LogSource}: tag {request.Tag} is outside the queue depth of {features.QueueDepth}", nameof(request));
        CommandSlot slot = _slots[request.Tag];
        if (slot.State != SlotState.Free)
            throw new InvalidOperationException($"{LogSource}: tag {request.Tag} is still busy with {slot.Request}");
        int perBlock = features.SectorsPerBlock;
        if (request.Sector < 0 || request.Sector % perBlock != 0 || request.SectorCount % perBlock != 0)
            throw new ArgumentException($"{LogSource}: {request} is not aligned to the {features.Identify.LogicalSectorSize}-byte logical block", nameof(request));
        if (request.Op == BioOp.Write && (request.Flags & BioFlags.Fua) != 0 && !features.UsesNcq && !features.Fua)
            throw new ArgumentException($"{LogSource}: {request} asks for FUA, which the disk does not offer (queue limits say Fua = false)", nameof(request));
        switch (request.Op)
        {
            case BioOp.Read or BioOp.Write:
                if (request.SectorCount <= 0 || request.SectorCount > AtaCommands.MaxSectorsLba48 * perBlock)
                    throw new ArgumentException($"{LogSource}: {request} moves {request.SectorCount} sectors; the limit is {AtaCommands.MaxSectorsLba48 * perBlock}", nameof(request));
                break;
            case BioOp.Discard:
                long limit = TrimPayload.MaxSectors(features.TrimBlocks) * perBlock;
                if (features.TrimBlocks == 0)
                    throw new ArgumentException($"{LogSource}: {request}: the disk does not support TRIM (max discard sectors is 0)", nameof(request));
                if (request.SectorCount <= 0 || request.SectorCount > limit)
                    throw new ArgumentException($"{LogSource}: {request} discards {request.SectorCount} sectors; the limit is {limit}", nameof(request));
                break;
        }
        return slot;
    }

    /// <summary>
    /// Writes the PRDT once per request: the data pages for reads and writes, the range payload for a discard. Flush
    /// steps of the same request reuse the table with a PRDT length of zero. Returns what is wrong with the request's
    /// segments, or null.
    /// </summary>
    private string? BuildDataTable(CommandSlot slot, Request request, AtaDiskFeatures features)
    {
        Span<byte> prdt = _platform.Memory.GetSpan(slot.Table.Address + CommandTableLayout.PrdTableOffset, MaxPrdEntries * PrdEntry.Size);
        switch (request.Op)
        {
            case BioOp.Read or BioOp.Write:
                if (FindOddSegment(request) is { } odd)
                    return $"segment at 0x{odd:x} is not word aligned (PRD entries need even addresses)";
                var writer = new PrdTableWriter(prdt, MaxPrdEntries);
                writer.AddRequest(request);
                slot.PrdEntries = writer.Finish();
                if (writer.Overflowed)
                    return $"its segments need more than the {MaxPrdEntries} PRD entries of a command table";
                if (writer.Bytes != (long)request.SectorCount * Bio.SectorSize)
                    return $"its segments hold {writer.Bytes} bytes, not the {request.SectorCount} sectors it claims";
                return null;
            case BioOp.Discard:
                int perBlock = features.SectorsPerBlock;
                Span<byte> payload = _platform.Memory.GetSpan(_trimPayload.Address, PageFrame.Size);
                slot.TrimBlocks = TrimPayload.Write(payload, request.Sector / perBlock, request.SectorCount / perBlock);
                new PrdEntry { DataBase = _trimPayload.Address, ByteCount = slot.TrimBlocks * TrimPayload.BlockBytes }.Write(prdt);
                slot.PrdEntries = 1;
                return null;
            default:
                slot.PrdEntries = 0;
                return null;
        }
    }

    /// <summary>The first segment at an odd address: AHCI 1.3.1 section 4.2.3.3 reserves DBA bit 0.</summary>
    private static ulong? FindOddSegment(Request request)
    {
        for (Bio? bio = request.FirstBio; bio is not null; bio = bio.Next)
        {
            foreach (BioSegment segment in bio.Segments)
            {
                if ((segment.Address & 1) != 0)
                    return segment.Address;
            }
        }
        return null;
    }

    /// <summary>Writes the CFIS of the slot's current step and files the slot as queued or non-queued.</summary>
    private void PrepareStep(CommandSlot slot)
    {
        Request request = slot.Request!;
        AtaDiskFeatures features = _features!;
        RegisterH2DFis fis;
        bool queued = false;
        bool write = false;
        if (slot.Step != RequestStep.Main || request.Op == BioOp.Flush)
        {
            fis = AtaCommands.FlushCacheExt();
        }
        else if (request.Op == BioOp.Discard)
        {
            fis = AtaCommands.DataSetManagementTrim(slot.TrimBlocks);
            write = true;
        }
        else
        {
            write = request.Op == BioOp.Write;
            long lba = request.Sector / features.SectorsPerBlock;
            int count = request.SectorCount / features.SectorsPerBlock;
            bool fua = (request.Flags & BioFlags.Fua) != 0;
            queued = features.UsesNcq;
            fis = queued
                ? AtaCommands.FpdmaQueued(write, lba, count, fua, slot.Index)
                : AtaCommands.DmaExt(write, lba, count, fua && features.Fua);
        }
        fis.Write(_platform.Memory.GetSpan(slot.Table.Address + CommandTableLayout.CommandFisOffset, RegisterH2DFis.Size));
        slot.Queued = queued;
        slot.IsWrite = write;
        slot.Opcode = fis.Command;
        if (queued)
        {
            _queuedMask |= slot.Bit;
            _nonQueuedMask &= ~slot.Bit;
        }
        else
        {
            _nonQueuedMask |= slot.Bit;
            _queuedMask &= ~slot.Bit;
        }
    }

    /// <summary>Command header, then PxSACT for a queued command, then PxCI (AHCI 1.3.1 section 5.6.4.1 order).</summary>
    private void IssueSlot(CommandSlot slot)
    {
        bool carriesData = slot.Step == RequestStep.Main && slot.Request!.Op != BioOp.Flush;
        new CommandHeader
        {
            CommandFisLength = RegisterH2DFis.Size / 4,
            IsWrite = slot.IsWrite,
            PrdTableLength = (ushort)(carriesData ? slot.PrdEntries : 0),
            CommandTableBase = slot.Table.Address,
        }.Write(CommandHeaderSpan(slot.Index));
        slot.State = SlotState.Issued;
        _issuedMask |= slot.Bit;
        Statistics.CommandsIssued++;
        if (slot.Queued)
        {
            Statistics.QueuedCommandsIssued++;
            WritePort(PortRegister.Sact, slot.Bit);
        }
        WritePort(PortRegister.Ci, slot.Bit);
    }

    private void ReleaseSlot(CommandSlot slot)
    {
        _issuedMask &= ~slot.Bit;
        _queuedMask &= ~slot.Bit;
        _nonQueuedMask &= ~slot.Bit;
        _offlineMask &= ~slot.Bit;
        slot.Release();
    }

    /// <summary>Fails what was handed to an offline port, from an event so the queue never sees a completion inside its own call.</summary>
    private void FailOfflineRequests()
    {
        uint failing = _offlineMask;
        while (failing != 0)
        {
            int index = BitOperations.TrailingZeroCount(failing);
            failing &= failing - 1;
            CommandSlot slot = _slots[index];
            Request request = slot.Request!;
            ReleaseSlot(slot);
            Statistics.RequestsFailed++;
            _host!.CompleteRequest(request, Errno.EIO);
        }
    }

    private sealed class OfflineFailer(AhciPortDriver port) : ISimEventHandler
    {
        public void OnEvent(long argument) => port.FailOfflineRequests();
    }
}
