using Hardware.Emulator.Ahci.Spec;
using Hardware.Emulator.Simulation;

namespace Hardware.Emulator.Ahci;

/// <summary>The generic host control bank (ABAR 00h-FFh): one read switch, one write switch.</summary>
public sealed partial class AhciHba
{
    private uint _ghc;
    private uint _is;
    private long _resetGeneration;

    /// <summary>GHC reset value: AE is read-only 1 because CAP.SAM = 1.</summary>
    private const uint GhcResetValue = (uint)GlobalHbaControl.Ae;

    private uint ReadHostRegister(int offset)
    {
        switch ((HbaRegister)offset)
        {
            case HbaRegister.Cap:
                return Capabilities;
            case HbaRegister.Ghc:
                return _ghc;
            case HbaRegister.Is:
                return _is;
            case HbaRegister.Pi:
                return PortsImplemented;
            case HbaRegister.Vs:
                return AhciLayout.Version1_3_1;
            case HbaRegister.CccCtl:
            case HbaRegister.CccPorts:
                return 0; // CAP.CCCS = 0
            case HbaRegister.EmLoc:
            case HbaRegister.EmCtl:
                return 0; // CAP.EMS = 0
            case HbaRegister.Cap2:
                return (uint)HbaCapabilities2.None;
            case HbaRegister.Bohc:
                return 0; // CAP2.BOH = 0
            default:
                _log.Warning(Source, $"read of unknown host register ABAR+0x{offset:x}; returns 0");
                return 0;
        }
    }

    private void WriteHostRegister(int offset, uint value)
    {
        switch ((HbaRegister)offset)
        {
            case HbaRegister.Ghc:
                WriteGlobalHostControl(value);
                break;
            case HbaRegister.Is:
                _is &= ~(value & PortsImplemented);
                UpdateInterrupts();
                break;
            case HbaRegister.Cap:
            case HbaRegister.Pi:
            case HbaRegister.Vs:
            case HbaRegister.Cap2:
                break; // read-only
            case HbaRegister.CccCtl:
            case HbaRegister.CccPorts:
            case HbaRegister.EmLoc:
            case HbaRegister.EmCtl:
            case HbaRegister.Bohc:
                if (value != 0)
                    _log.Info(Source, $"write of 0x{value:x8} to {(HbaRegister)offset} ignored: the feature is not implemented (read-only 0)");
                break;
            default:
                _log.Warning(Source, $"write of 0x{value:x8} to unknown host register ABAR+0x{offset:x}; dropped");
                break;
        }
    }

    private void WriteGlobalHostControl(uint value)
    {
        if ((value & (uint)GlobalHbaControl.Hr) != 0)
        {
            StartHbaReset();
            return;
        }
        // IE is the only read-write bit: AE is read-only 1 (CAP.SAM) and MRSM read-only 0 (single MSI message).
        _ghc = (_ghc & ~(uint)GlobalHbaControl.Ie) | (value & (uint)GlobalHbaControl.Ie);
        UpdateInterrupts();
    }

    /// <summary>
    /// GHC.HR (10.4.3): GHC.IE, IS and every port register except PxCLB/PxFB go back to their reset values at once;
    /// HR reads 1 for <see cref="AhciHbaOptions.HbaResetLatency"/>, then each port with a device sends COMRESET,
    /// since this HBA has no staggered spin-up.
    /// </summary>
    private void StartHbaReset()
    {
        _ghc = GhcResetValue | (uint)GlobalHbaControl.Hr;
        _is = 0;
        foreach (AhciPort port in _ports)
            port.Reset(keepBaseAddresses: true);
        UpdateInterrupts();
        _resetGeneration++;
        _simulation.Schedule(Options.HbaResetLatency, this, _resetGeneration);
    }

    void ISimEventHandler.OnEvent(long argument)
    {
        if (argument != _resetGeneration)
            return;
        _ghc &= ~(uint)GlobalHbaControl.Hr;
        foreach (AhciPort port in _ports)
            port.StartLink();
    }

    private void ResetHostRegisters()
    {
        _ghc = GhcResetValue;
        _is = 0;
        foreach (AhciPort port in _ports)
            port.Reset(keepBaseAddresses: false);
    }
}
