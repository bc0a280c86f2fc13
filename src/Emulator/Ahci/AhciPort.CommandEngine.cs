using System.Numerics;
using Hardware.Emulator.Ahci.Spec;
using Hardware.Emulator.Sata;

namespace Hardware.Emulator.Ahci;

/// <summary>
/// The command engine: picks the next slot whose PxCI bit is set, fetches its header, CFIS and PRDT from guest
/// memory and sends the command FIS, one at a time. A command may be sent only while the task file is free
/// (PxTFD.STS.BSY = DRQ = 0); a non-queued command keeps BSY until it completes, a queued (NCQ) one until the
/// device accepts it with a D2H FIS that clears BSY, which also clears its PxCI bit.
/// </summary>
internal sealed partial class AhciPort
{
    private const byte DeviceControlSoftReset = 0x04;

    /// <summary>The slot whose command FIS was sent and whose PxCI bit waits for the D2H FIS that clears BSY.</summary>
    private int _activeSlot = -1;
    private int _nextSearchSlot;
    private bool _processScheduled;
    /// <summary>A fatal error stopped the engine; only clearing PxCMD.ST restarts it.</summary>
    private bool _halted;
    private bool _softResetAsserted;

    private void ScheduleProcessing()
    {
        if (_processScheduled)
            return;
        _processScheduled = true;
        Simulation.Schedule(Options.CommandFetchLatency, this, ProcessCommandsEvent);
    }

    /// <summary>Forgets every command: ST cleared, a port or HBA reset.</summary>
    private void StopCommandEngine()
    {
        _activeSlot = -1;
        _dataSlot = -1;
        _pioActive = false;
        _halted = false;
        _softResetAsserted = false;
        foreach (AhciCommandSlot slot in _slots)
            slot.Unload();
    }

    private void ProcessCommands()
    {
        _processScheduled = false;
        if (!Started || _halted || _activeSlot >= 0 || !_linkUp || _device is null)
            return;
        if ((_tfd & (uint)(AtaStatus.Bsy | AtaStatus.Drq)) != 0)
            return;
        uint pending = _ci;
        if (pending == 0)
            return;

        // Round robin from the slot after the last one issued (slot 0 first after ST is set).
        int slot = (BitOperations.TrailingZeroCount(BitOperations.RotateRight(pending, _nextSearchSlot)) + _nextSearchSlot) & 31;
        uint bit = 1u << slot;
        if (!FetchCommand(slot, out CommandHeader header, out RegisterH2DFis fis))
        {
            _hba.UpdateInterrupts();
            return;
        }

        _nextSearchSlot = (slot + 1) & 31;
        _activeSlot = slot;
        _cmd = PortCommandFields.WithCurrentCommandSlot(_cmd, slot);
        _tfd |= (uint)AtaStatus.Bsy;
        if (!_slots[slot].Queued)
            _dataSlot = slot;

        if (!fis.IsCommand)
        {
            SendDeviceControl(slot, bit, header, fis);
            return;
        }
        if (header.ClearBusyUponOk)
            CompleteSentFis(slot, bit);
        _device.ReceiveCommand(fis);
    }

    /// <summary>DMA-reads the slot's command header, CFIS and PRDT. On a bad pointer the port reports HBFS and halts.</summary>
    private bool FetchCommand(int slot, out CommandHeader header, out RegisterH2DFis fis)
    {
        header = default;
        fis = default;
        ulong headerAddress = _clb + (ulong)(slot * CommandHeader.Size);
        if (!_hba.TryGetDmaSpan(Index, headerAddress, CommandHeader.Size, "command header fetch", out Span<byte> headerBytes))
        {
            RaiseFatal(PortInterrupts.Hbfs);
            return false;
        }
        header = CommandHeader.Read(headerBytes);
        if (header.CommandFisLength is < 2 or > 16)
            Log.Warning(_source, $"slot {slot}: command FIS length {header.CommandFisLength} dwords is outside 2-16");

        ulong table = header.CommandTableBase & ~(ulong)(AhciLayout.CommandTableAlignment - 1);
        if (table != header.CommandTableBase)
            Log.Warning(_source, $"slot {slot}: command table 0x{header.CommandTableBase:x} is not 128-byte aligned; low bits ignored");
        int tableLength = CommandTableLayout.Size(header.PrdTableLength);
        if (!_hba.TryGetDmaSpan(Index, table, tableLength, "command table fetch", out Span<byte> tableBytes))
        {
            RaiseFatal(PortInterrupts.Hbfs);
            return false;
        }
        if (tableBytes[CommandTableLayout.CommandFisOffset] != (byte)FisType.RegisterHostToDevice)
        {
            Log.Error(_source, $"slot {slot}: CFIS type 0x{tableBytes[0]:x2} is not a Register H2D FIS; interface fatal error");
            _serr |= (uint)SError.ErrProtocol;
            RaiseFatal(PortInterrupts.Ifs);
            return false;
        }
        fis = RegisterH2DFis.Read(tableBytes.Slice(CommandTableLayout.CommandFisOffset, RegisterH2DFis.Size));
        bool queued = (_sact & (1u << slot)) != 0;
        if (!_slots[slot].Load(headerAddress, header, tableBytes[CommandTableLayout.PrdTableOffset..], queued))
            Log.Warning(_source, $"slot {slot}: a PRD entry has an odd address or byte count (the spec requires word alignment)");
        return true;
    }

    /// <summary>
    /// A Register H2D FIS with C = 0 updates the Device Control register. Software reset (SRST set, then cleared) is
    /// the only use modelled: the device resets as for COMRESET and signs on again with a D2H FIS.
    /// </summary>
    private void SendDeviceControl(int slot, uint bit, in CommandHeader header, in RegisterH2DFis fis)
    {
        bool srst = (fis.Control & DeviceControlSoftReset) != 0;
        bool resetReleased = !srst && _softResetAsserted;
        _softResetAsserted = srst;
        if (header.ClearBusyUponOk)
            CompleteSentFis(slot, bit);
        else
            Log.Warning(_source, $"slot {slot}: Device Control FIS without the C bit; the slot completes only on a D2H FIS");
        if (resetReleased)
        {
            _tfd |= (uint)AtaStatus.Bsy;
            _signatureReceived = false;
            _device!.ComReset(_negotiated);
        }
        ScheduleProcessing();
    }

    /// <summary>Header C bit: once the FIS is on the wire, BSY and the PxCI bit clear without waiting for the device.</summary>
    private void CompleteSentFis(int slot, uint bit)
    {
        _tfd &= ~(uint)AtaStatus.Bsy;
        _ci &= ~bit;
        _activeSlot = -1;
        if (!_slots[slot].Queued && _dataSlot != slot)
            _slots[slot].Unload();
        ScheduleProcessing();
    }

    /// <summary>The device cleared BSY (and DRQ): the sent command is done, or for NCQ accepted.</summary>
    private void CompleteActiveSlot(bool failed)
    {
        int slot = _activeSlot;
        _activeSlot = -1;
        AhciCommandSlot state = _slots[slot];
        if (failed || _halted)
        {
            // A failed command keeps its PxCI bit; PxCMD.CCS names it for the error handler (6.1.2).
            if (!state.Queued)
                UnloadSlot(slot);
            return;
        }
        _ci &= ~(1u << slot);
        if (!state.Queued)
            UnloadSlot(slot);
    }

    private void UnloadSlot(int slot)
    {
        _slots[slot].Unload();
        if (_dataSlot == slot)
            _dataSlot = -1;
    }
}
