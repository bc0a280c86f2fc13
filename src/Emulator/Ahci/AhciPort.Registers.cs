using Hardware.Emulator.Ahci.Spec;

namespace Hardware.Emulator.Ahci;

/// <summary>The port register bank (PxCLB ... PxDEVSLP): one read switch, one write switch.</summary>
internal sealed partial class AhciPort
{
    /// <summary>PxIS bits software clears by writing 1; PCS and PRCS are cleared through PxSERR instead.</summary>
    private const uint InterruptStatusWriteOneToClear = (uint)(PortInterrupts.All & ~(PortInterrupts.Pcs | PortInterrupts.Prcs));

    /// <summary>PxCMD bits software writes. SUD/POD are read-only 1, PMA/ALPE/ASP/APSTE read-only 0 (no PM, no LPM).</summary>
    private const uint CommandWritable = (uint)(PortCommand.St | PortCommand.Fre | PortCommand.Atapi | PortCommand.Dlae);

    public uint ReadRegister(int offset)
    {
        switch ((PortRegister)offset)
        {
            case PortRegister.Clb: return (uint)_clb;
            case PortRegister.Clbu: return (uint)(_clb >> 32);
            case PortRegister.Fb: return (uint)_fb;
            case PortRegister.Fbu: return (uint)(_fb >> 32);
            case PortRegister.Is: return EffectiveInterruptStatus;
            case PortRegister.Ie: return _ie;
            case PortRegister.Cmd: return _cmd;
            case PortRegister.Tfd: return _tfd;
            case PortRegister.Sig: return _sig;
            case PortRegister.Ssts: return _ssts;
            case PortRegister.Sctl: return _sctl;
            case PortRegister.Serr: return _serr;
            case PortRegister.Sact: return _sact;
            case PortRegister.Ci: return _ci;
            case PortRegister.Sntf: return _sntf;
            case PortRegister.Fbs: return 0; // CAP.FBSS = 0
            case PortRegister.Devslp: return 0; // CAP2.SDS = 0
            default:
                Log.Warning(_source, $"read of unknown port register +0x{offset:x}; returns 0");
                return 0;
        }
    }

    public void WriteRegister(int offset, uint value)
    {
        switch ((PortRegister)offset)
        {
            case PortRegister.Clb:
                WarnIfRunning(PortCommand.St | PortCommand.Cr, "PxCLB");
                _clb = (_clb & 0xFFFF_FFFF_0000_0000) | (value & ~(uint)(AhciLayout.CommandListAlignment - 1));
                break;
            case PortRegister.Clbu:
                WarnIfRunning(PortCommand.St | PortCommand.Cr, "PxCLBU");
                _clb = (_clb & 0xFFFF_FFFF) | (ulong)value << 32;
                break;
            case PortRegister.Fb:
                WarnIfRunning(PortCommand.Fre | PortCommand.Fr, "PxFB");
                _fb = (_fb & 0xFFFF_FFFF_0000_0000) | (value & ~(uint)(AhciLayout.ReceivedFisAlignment - 1));
                break;
            case PortRegister.Fbu:
                WarnIfRunning(PortCommand.Fre | PortCommand.Fr, "PxFBU");
                _fb = (_fb & 0xFFFF_FFFF) | (ulong)value << 32;
                break;
            case PortRegister.Is:
                _is &= ~(value & InterruptStatusWriteOneToClear);
                _hba.UpdateInterrupts();
                break;
            case PortRegister.Ie:
                _ie = value & (uint)PortInterrupts.All;
                _hba.UpdateInterrupts();
                break;
            case PortRegister.Cmd:
                WriteCommand(value);
                break;
            case PortRegister.Sctl:
                WriteSControl(value);
                break;
            case PortRegister.Serr:
                _serr &= ~(value & (uint)SError.All);
                _hba.UpdateInterrupts();
                break;
            case PortRegister.Sact:
                WriteSActive(value);
                break;
            case PortRegister.Ci:
                WriteCommandIssue(value);
                break;
            case PortRegister.Sntf:
                _sntf &= ~(value & 0xFFFF);
                break;
            case PortRegister.Tfd:
            case PortRegister.Sig:
            case PortRegister.Ssts:
            case PortRegister.Fbs:
            case PortRegister.Devslp:
                break; // read-only
            default:
                Log.Warning(_source, $"write of 0x{value:x8} to unknown port register +0x{offset:x}; dropped");
                break;
        }
    }

    private void WarnIfRunning(PortCommand running, string register)
    {
        if ((_cmd & (uint)running) != 0)
            Log.Warning(_source, $"{register} written while PxCMD has {(PortCommand)(_cmd & (uint)running)} set; the spec requires the engine to be stopped");
    }

    /// <summary>PxCMD: the FRE/FR and ST/CR state machine (10.3), CLO and ICC.</summary>
    private void WriteCommand(uint value)
    {
        uint old = _cmd;
        uint next = (old & ~CommandWritable) | (value & CommandWritable);

        bool freOn = (next & (uint)PortCommand.Fre) != 0;
        if (freOn && (old & (uint)PortCommand.Fre) == 0)
        {
            if (_fb == 0)
                Log.Warning(_source, "PxCMD.FRE set while PxFB is 0: received FISes will be posted at address 0");
            next |= (uint)PortCommand.Fr;
        }
        else if (!freOn && (old & (uint)PortCommand.Fre) != 0)
        {
            if ((next & (uint)PortCommand.St) != 0)
                Log.Warning(_source, "PxCMD.FRE cleared while PxCMD.ST is set");
            next &= ~(uint)PortCommand.Fr;
        }

        if ((value & (uint)PortCommand.Clo) != 0)
        {
            // Command list override: the HBA may issue the next command even though the device looks busy.
            _tfd &= ~(uint)(Sata.AtaStatus.Bsy | Sata.AtaStatus.Drq);
        }

        uint icc = PortCommandFields.InterfaceCommunicationControl(value);
        if (icc != PortCommandFields.IccIdle && icc != PortCommandFields.IccActive)
            Log.Warning(_source, $"PxCMD.ICC = {icc:x} requests a low-power state this HBA does not support (CAP.PSC = CAP.SSC = 0); the link stays active");

        bool stOn = (next & (uint)PortCommand.St) != 0;
        bool wasStarted = (old & (uint)PortCommand.St) != 0;
        if (stOn && !wasStarted)
        {
            if ((next & (uint)PortCommand.Fre) == 0)
                Log.Warning(_source, "PxCMD.ST set while PxCMD.FRE is clear; software shall enable FIS receive first");
            if ((_tfd & (uint)(Sata.AtaStatus.Bsy | Sata.AtaStatus.Drq)) != 0)
                Log.Warning(_source, $"PxCMD.ST set while the device is busy (PxTFD = 0x{_tfd:x}); commands wait until it is ready");
            if (_clb == 0)
                Log.Warning(_source, "PxCMD.ST set while PxCLB is 0");
            next |= (uint)PortCommand.Cr;
            _nextSearchSlot = 0;
            _halted = false;
        }
        else if (!stOn && wasStarted)
        {
            // Clearing ST stops the engine: PxCI, PxSACT and CCS clear and CR drops (10.3.2).
            next &= ~(uint)(PortCommand.Cr | PortCommand.CcsMask);
            _ci = 0;
            _sact = 0;
            StopCommandEngine();
        }
        _cmd = next;
        if (stOn)
            ScheduleProcessing();
    }

    private void WriteCommandIssue(uint value)
    {
        if (value == 0)
            return;
        if (!Started)
        {
            Log.Warning(_source, $"PxCI written (0x{value:x8}) while PxCMD.ST is clear; ignored");
            return;
        }
        _ci |= value;
        ScheduleProcessing();
    }

    private void WriteSActive(uint value)
    {
        if (value == 0)
            return;
        if (!Started)
        {
            Log.Warning(_source, $"PxSACT written (0x{value:x8}) while PxCMD.ST is clear; ignored");
            return;
        }
        _sact |= value;
    }
}
