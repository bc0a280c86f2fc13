using Hardware.Emulator.Ahci.Spec;
using Hardware.Emulator.Platform;
using Hardware.Emulator.Sata;
using Hardware.Emulator.Simulation;

namespace Hardware.Emulator.Ahci;

/// <summary>
/// One AHCI port: its register bank, the link to the device, the command engine that fetches and sends commands,
/// and the host side of the SATA link (<see cref="ISataHostPort"/>) that receives FISes and resolves DMA.
/// Split by concern over several files; this one holds state, reset and event dispatch.
/// </summary>
internal sealed partial class AhciPort : ISataHostPort, ISimEventHandler
{
    private const long EventKindMask = 0xFF;
    private const long ProcessCommandsEvent = 1;
    private const long LinkUpEvent = 2;

    private readonly AhciHba _hba;
    private readonly string _source;
    private readonly AhciCommandSlot[] _slots = new AhciCommandSlot[AhciLayout.CommandSlots];

    // Registers.
    private ulong _clb;
    private ulong _fb;
    private uint _is;
    private uint _ie;
    private uint _cmd;
    private uint _tfd;
    private uint _sig;
    private uint _ssts;
    private uint _sctl;
    private uint _serr;
    private uint _sact;
    private uint _ci;
    private uint _sntf;

    public AhciPort(AhciHba hba, int index)
    {
        _hba = hba;
        Index = index;
        _source = $"ahci.p{index}";
        for (int i = 0; i < _slots.Length; i++)
            _slots[i] = new AhciCommandSlot(i);
    }

    public int Index { get; }

    public Simulation.Simulation Simulation => _hba.Simulation;

    /// <summary>PxIS as software reads it: PCS and PRCS mirror PxSERR.DIAG.X and DIAG.N.</summary>
    private uint EffectiveInterruptStatus =>
        _is
        | ((_serr & (uint)SError.DiagExchanged) != 0 ? (uint)PortInterrupts.Pcs : 0)
        | ((_serr & (uint)SError.DiagPhyRdyChange) != 0 ? (uint)PortInterrupts.Prcs : 0);

    /// <summary>PxIS &amp; PxIE: what this port contributes to the HBA's interrupt.</summary>
    public uint EnabledStatus => EffectiveInterruptStatus & _ie;

    /// <summary>The enabled status the interrupt logic last saw (for MSI's "new bit" rule).</summary>
    public uint ReportedStatus { get; set; }

    private DeviceLog Log => _hba.Log;

    private AhciHbaOptions Options => _hba.Options;

    private bool Started => (_cmd & (uint)PortCommand.St) != 0;

    /// <summary>Every register back to its reset value (10.4.3); an HBA reset keeps PxCLB and PxFB.</summary>
    public void Reset(bool keepBaseAddresses)
    {
        if (!keepBaseAddresses)
        {
            _clb = 0;
            _fb = 0;
        }
        _is = 0;
        _ie = 0;
        // No staggered spin-up and no cold presence detect: SUD and POD are read-only 1.
        _cmd = (uint)(PortCommand.Sud | PortCommand.Pod);
        _sctl = 0;
        _serr = 0;
        _sact = 0;
        _ci = 0;
        _sntf = 0;
        ReportedStatus = 0;
        StopCommandEngine();
        TakeLinkDown();
    }

    void ISimEventHandler.OnEvent(long argument)
    {
        switch (argument & EventKindMask)
        {
            case ProcessCommandsEvent:
                ProcessCommands();
                break;
            case LinkUpEvent:
                CompleteLinkUp(argument >> 8);
                break;
            default:
                throw new InvalidOperationException($"port {Index}: unknown event 0x{argument:x}");
        }
    }

    private void RaiseStatus(PortInterrupts bits) => _is |= (uint)bits;

    /// <summary>A fatal error (6.1.2): record it and stop issuing commands until software clears PxCMD.ST.</summary>
    private void RaiseFatal(PortInterrupts bits)
    {
        _is |= (uint)bits;
        _halted = true;
    }
}
