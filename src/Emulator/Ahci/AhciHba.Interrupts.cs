using Hardware.Emulator.Ahci.Spec;
using Hardware.Emulator.Platform;

namespace Hardware.Emulator.Ahci;

/// <summary>The one place that turns status bits into an interrupt (QEMU's ahci_check_irq, AHCI 1.3.1 5.6.3).</summary>
public sealed partial class AhciHba
{
    private readonly InterruptLine?[] _lines = new InterruptLine?[InterruptController.LineCount];
    private InterruptLine? _intx;
    private int _intxIrq = -1;
    private bool _asserted;
    private bool _warnedNoRoute;

    /// <summary>
    /// Everything that sets or clears a status or enable bit calls this afterwards. A port whose PxIS &amp; PxIE is
    /// non-zero sets its IS bit (IS stays set until software clears it, and is set again while the port still has
    /// an enabled status). With GHC.IE and IS non-zero the HBA interrupts: it holds its INTx line asserted, or, with
    /// MSI enabled, sends one message whenever the condition becomes true or a port gains a new enabled status bit.
    /// </summary>
    internal void UpdateInterrupts()
    {
        uint pendingPorts = 0;
        bool newStatus = false;
        for (int i = 0; i < _ports.Length; i++)
        {
            uint enabled = _ports[i].EnabledStatus;
            if (enabled != 0)
                pendingPorts |= 1u << i;
            newStatus |= (enabled & ~_ports[i].ReportedStatus) != 0;
            _ports[i].ReportedStatus = enabled;
        }
        _is |= pendingPorts;
        bool condition = (_ghc & (uint)GlobalHbaControl.Ie) != 0 && _is != 0;
        bool rising = condition && (!_asserted || newStatus);
        _asserted = condition;
        SetInterruptStatus(condition && !MsiEnabled);

        if (MsiEnabled)
        {
            DriveIntx(false);
            if (rising)
                SendMsi();
            return;
        }
        DriveIntx(condition && !IntxDisabled);
    }

    private void SendMsi()
    {
        if (!BusMasterEnabled)
        {
            _log.Warning(Source, "MSI not sent: bus mastering is disabled");
            return;
        }
        _interrupts.SignalMsi(MsiAddress, MsiData);
    }

    private void DriveIntx(bool level)
    {
        int irq = InterruptLine < InterruptController.LineCount ? InterruptLine : -1;
        if (irq != _intxIrq)
        {
            _intx?.Lower();
            _intx = irq < 0 ? null : _lines[irq] ??= _interrupts.GetLine(irq);
            _intxIrq = irq;
            _warnedNoRoute = false;
        }
        if (_intx is null)
        {
            if (level && !_warnedNoRoute)
            {
                _warnedNoRoute = true;
                _log.Warning(Source, $"INTx asserted but the Interrupt Line register (0x{InterruptLine:x2}) routes it nowhere");
            }
            return;
        }
        _intx.SetLevel(level);
    }
}
