using Hardware.Emulator.Ahci.Spec;
using Hardware.Emulator.Sata;

namespace Hardware.Emulator.Ahci;

/// <summary>
/// The host end of the link as the device sees it: FISes arriving (posted to the received-FIS area when FRE is set,
/// shadowed into PxTFD/PxSIG/PxSACT, turned into PxIS bits) and the data phase resolved through the slot's PRDT.
/// </summary>
internal sealed partial class AhciPort
{
    /// <summary>The slot whose PRDT the next data phase uses: the non-queued command sent, or the tag of the last DMA Setup.</summary>
    private int _dataSlot = -1;
    private bool _pioActive;
    private AtaStatus _pioEndStatus;
    private AtaError _pioError;
    private bool _pioInterrupt;

    public void ReceiveRegisterD2H(in RegisterD2HFis fis)
    {
        if (!AcceptFis("D2H Register"))
            return;
        if (TryGetReceivedFisSpan(ReceivedFisLayout.RegisterD2HOffset, RegisterD2HFis.Size, out Span<byte> area))
            fis.Write(area);
        _tfd = TaskFileData.Compose(fis.Status, fis.Error);
        if (!_signatureReceived)
        {
            _sig = fis.Signature;
            _signatureReceived = true;
        }
        if (fis.Interrupt)
            RaiseStatus(PortInterrupts.Dhrs);
        bool failed = (fis.Status & AtaStatus.Err) != 0;
        if (failed)
            RaiseFatal(PortInterrupts.Tfes);
        if ((fis.Status & (AtaStatus.Bsy | AtaStatus.Drq)) == 0)
        {
            _pioActive = false;
            if (_activeSlot >= 0)
                CompleteActiveSlot(failed);
        }
        _hba.UpdateInterrupts();
        ScheduleProcessing();
    }

    public void ReceiveSetDeviceBits(in SetDeviceBitsFis fis)
    {
        if (!AcceptFis("Set Device Bits"))
            return;
        if (TryGetReceivedFisSpan(ReceivedFisLayout.SetDeviceBitsOffset, SetDeviceBitsFis.Size, out Span<byte> area))
            fis.Write(area);
        // Status bits 6:4 and 2:0 are replaced; BSY and DRQ are not carried by this FIS.
        const uint carried = 0x77;
        _tfd = (_tfd & ~(0xFF00u | carried)) | ((uint)fis.Status & carried) | (uint)fis.Error << 8;

        uint completed = fis.CompletedTags & _sact;
        if (completed != fis.CompletedTags)
            Log.Warning(_source, $"Set Device Bits completes tags 0x{fis.CompletedTags & ~_sact:x8} that are not outstanding");
        _sact &= ~fis.CompletedTags;
        for (uint tags = completed; tags != 0; tags &= tags - 1)
        {
            int tag = System.Numerics.BitOperations.TrailingZeroCount(tags);
            if (_activeSlot == tag)
            {
                // Completed before its acceptance FIS: the PxCI bit goes too.
                _activeSlot = -1;
                _ci &= ~(1u << tag);
            }
            UnloadSlot(tag);
        }
        if (fis.Notification)
            _sntf |= 1u << fis.PortMultiplierPort;
        if (fis.Interrupt)
            RaiseStatus(PortInterrupts.Sdbs);
        if ((fis.Status & AtaStatus.Err) != 0)
            RaiseFatal(PortInterrupts.Tfes);
        _hba.UpdateInterrupts();
        ScheduleProcessing();
    }

    public void ReceiveDmaSetup(in DmaSetupFis fis)
    {
        if (!AcceptFis("DMA Setup"))
            return;
        if (TryGetReceivedFisSpan(ReceivedFisLayout.DmaSetupOffset, DmaSetupFis.Size, out Span<byte> area))
            fis.Write(area);
        int tag = fis.NcqTag;
        if (!_slots[tag].Loaded)
            Log.Warning(_source, $"DMA Setup names tag {tag}, which has no fetched command; its data phase will be refused");
        _dataSlot = tag;
        if (fis.Interrupt)
            RaiseStatus(PortInterrupts.Dss);
        _hba.UpdateInterrupts();
    }

    public void ReceivePioSetup(in PioSetupFis fis)
    {
        if (!AcceptFis("PIO Setup"))
            return;
        if (TryGetReceivedFisSpan(ReceivedFisLayout.PioSetupOffset, PioSetupFis.Size, out Span<byte> area))
            fis.Write(area);
        _tfd = TaskFileData.Compose(fis.Status, fis.Error);
        _pioActive = true;
        _pioEndStatus = fis.EndStatus;
        _pioError = fis.Error;
        _pioInterrupt = fis.Interrupt;
        if (_activeSlot >= 0)
            _dataSlot = _activeSlot;
        if ((fis.Status & AtaStatus.Err) != 0)
            RaiseFatal(PortInterrupts.Tfes);
        _hba.UpdateInterrupts();
    }

    public DmaStatus MapHostBuffer(long offset, int maxLength, out Span<byte> piece)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxLength);
        piece = default;
        if (_dataSlot < 0 || !_slots[_dataSlot].Loaded)
            return DmaStatus.NoActiveCommand;
        AhciCommandSlot slot = _slots[_dataSlot];
        int index = slot.Locate(offset);
        if (index < 0)
        {
            Log.Error(_source, $"slot {slot.Index}: data phase at byte {offset} but the PRDT describes {slot.TotalBytes} bytes (overflow)");
            RaiseFatal(PortInterrupts.Ofs);
            _hba.UpdateInterrupts();
            return DmaStatus.Overflow;
        }
        ref readonly PrdEntry entry = ref slot.Entry(index);
        long within = offset - slot.EntryStart(index);
        int length = (int)Math.Min(maxLength, entry.ByteCount - within);
        string what = slot.IsWrite ? "data read (write command)" : "data write (read command)";
        if (!_hba.TryGetDmaSpan(Index, entry.DataBase + (ulong)within, length, what, out piece))
        {
            RaiseFatal(PortInterrupts.Hbfs);
            _hba.UpdateInterrupts();
            return DmaStatus.HostBusFatal;
        }
        // Reaching into a later entry means the earlier ones have been transferred.
        if (slot.TakeCompletedInterruptEntries(offset))
        {
            RaiseStatus(PortInterrupts.Dps);
            _hba.UpdateInterrupts();
        }
        return DmaStatus.Ok;
    }

    public void CompleteDataPhase(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        if (_dataSlot < 0 || !_slots[_dataSlot].Loaded)
        {
            Log.Warning(_source, $"data phase of {bytes} bytes completed with no active command; dropped");
            return;
        }
        AhciCommandSlot slot = _slots[_dataSlot];
        if (_hba.TryGetDmaSpan(Index, slot.HeaderAddress + CommandHeader.PrdByteCountOffset, sizeof(uint), "PRDBC write-back", out Span<byte> prdbc))
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(prdbc, (uint)bytes);
        else
            RaiseFatal(PortInterrupts.Hbfs);
        if (slot.TakeCompletedInterruptEntries(bytes))
            RaiseStatus(PortInterrupts.Dps);

        if (_pioActive)
        {
            // PIO: the Status the PIO Setup FIS carried for the end of the transfer becomes the shadow Status.
            _pioActive = false;
            _tfd = TaskFileData.Compose(_pioEndStatus, _pioError);
            if (_pioInterrupt)
                RaiseStatus(PortInterrupts.Pss);
            bool failed = (_pioEndStatus & AtaStatus.Err) != 0;
            if (failed)
                RaiseFatal(PortInterrupts.Tfes);
            if ((_pioEndStatus & (AtaStatus.Bsy | AtaStatus.Drq)) == 0 && _activeSlot >= 0)
                CompleteActiveSlot(failed);
            ScheduleProcessing();
        }
        _hba.UpdateInterrupts();
    }

    /// <summary>FISes arriving while the link is down (COMRESET held, PHY offline) cannot exist on the wire.</summary>
    private bool AcceptFis(string kind)
    {
        if (_linkUp)
            return true;
        Log.Warning(_source, $"{kind} FIS received while the link is down; dropped");
        return false;
    }

    /// <summary>
    /// Where a received FIS is posted: only while PxCMD.FR is set (10.3.2). A bad PxFB is a host bus fatal error;
    /// the shadow registers are still updated, as the FIS did arrive.
    /// </summary>
    private bool TryGetReceivedFisSpan(int offset, int length, out Span<byte> area)
    {
        area = default;
        if ((_cmd & (uint)PortCommand.Fr) == 0)
            return false;
        if (_hba.TryGetDmaSpan(Index, _fb + (ulong)offset, length, "received FIS post", out area))
            return true;
        RaiseFatal(PortInterrupts.Hbfs);
        return false;
    }
}
