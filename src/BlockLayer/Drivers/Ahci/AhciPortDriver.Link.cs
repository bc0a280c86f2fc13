using Hardware.Emulator.Ahci.Spec;
using Hardware.Emulator.Sata;
using Hardware.Emulator.Simulation;

namespace Hardware.BlockLayer.Drivers.Ahci;

/// <summary>The port engine (PxCMD.ST/CR, FRE/FR) and the link (COMRESET, device detection, signature).</summary>
public sealed partial class AhciPortDriver
{
    /// <summary>How long an empty port may take to show a link at probe (Linux's debounce window is of this order).</summary>
    private const long ProbeLinkUpTimeoutNs = 100 * SimTime.Millisecond;

    /// <summary>Stops the port, points it at our command list and FIS area, clears errors, enables interrupts and starts it.</summary>
    internal async Task<bool> StartAsync()
    {
        if (!await StopAllAsync())
            return false;
        WritePort(PortRegister.Clb, (uint)CommandListAddress);
        WritePort(PortRegister.Clbu, (uint)(CommandListAddress >> 32));
        WritePort(PortRegister.Fb, (uint)ReceivedFisAddress);
        WritePort(PortRegister.Fbu, (uint)(ReceivedFisAddress >> 32));
        WritePort(PortRegister.Cmd, ReadPort(PortRegister.Cmd) | (uint)PortCommand.Fre);
        WritePort(PortRegister.Serr, uint.MaxValue);
        WritePort(PortRegister.Is, uint.MaxValue);

        // Link up (SSTS.DET = 3) and the device's signature FIS received (BSY and DRQ clear).
        if (!await PollAsync(() => SStatus.Det(ReadPort(PortRegister.Ssts)) == SStatus.DetPresentPhy, ProbeLinkUpTimeoutNs))
            return false;
        if (!await PollAsync(DeviceReady, _options.LinkReadyTimeoutNs))
            return false;
        if (ReadPort(PortRegister.Sig) != DeviceSignature.Ata)
        {
            Log.Info(LogSource, $"signature 0x{ReadPort(PortRegister.Sig):x8} is not an ATA disk; port left alone");
            return false;
        }
        WritePort(PortRegister.Ie, (uint)EnabledInterrupts);
        StartEngine();
        return true;
    }

    /// <summary>Clears ST and FRE and waits for CR and FR to drop, as AHCI 1.3.1 section 10.1.2 requires.</summary>
    private async Task<bool> StopAllAsync()
    {
        StopEngine();
        if (!await WaitEngineStoppedAsync())
            return false;
        WritePort(PortRegister.Cmd, ReadPort(PortRegister.Cmd) & ~(uint)PortCommand.Fre);
        return await PollAsync(() => (ReadPort(PortRegister.Cmd) & (uint)PortCommand.Fr) == 0, _options.EngineStopTimeoutNs);
    }

    /// <summary>Clears PxCMD.ST: the HBA stops fetching commands and clears PxCI and PxSACT. FIS receive stays on.</summary>
    internal void StopEngine() => WritePort(PortRegister.Cmd, ReadPort(PortRegister.Cmd) & ~(uint)PortCommand.St);

    internal Task<bool> WaitEngineStoppedAsync() =>
        PollAsync(() => (ReadPort(PortRegister.Cmd) & (uint)PortCommand.Cr) == 0, _options.EngineStopTimeoutNs);

    /// <summary>Clears the error state (PxSERR, PxIS) and sets PxCMD.ST (AHCI 1.3.1 section 6.2.2).</summary>
    internal void StartEngine()
    {
        WritePort(PortRegister.Serr, uint.MaxValue);
        WritePort(PortRegister.Is, uint.MaxValue);
        WritePort(PortRegister.Cmd, ReadPort(PortRegister.Cmd) | (uint)PortCommand.St);
    }

    /// <summary>
    /// COMRESET (AHCI 1.3.1 section 10.4.2): with the engine stopped, PxSCTL.DET = 1 for the hold time, then 0; waits
    /// for the link and the device's signature and restarts the engine. False when no ATA device signed on in time.
    /// </summary>
    internal async Task<bool> ComResetAsync()
    {
        StopEngine();
        if (!await WaitEngineStoppedAsync())
            Log.Warning(LogSource, "PxCMD.CR did not clear; resetting the link anyway");
        uint control = ReadPort(PortRegister.Sctl) & ~0xFu;
        WritePort(PortRegister.Sctl, control | SControl.DetComReset);
        await Simulation.Delay(_options.ComResetHoldNs);
        WritePort(PortRegister.Sctl, control | SControl.DetNoAction);
        bool ready = await PollAsync(
            () => SStatus.Det(ReadPort(PortRegister.Ssts)) == SStatus.DetPresentPhy && DeviceReady()
                && ReadPort(PortRegister.Sig) != DeviceSignature.None,
            _options.LinkReadyTimeoutNs);
        if (!ready)
        {
            Log.Warning(LogSource, $"no device ready after COMRESET (SStatus 0x{ReadPort(PortRegister.Ssts):x}, TFD 0x{ReadPort(PortRegister.Tfd):x})");
            return false;
        }
        uint signature = ReadPort(PortRegister.Sig);
        if (signature != DeviceSignature.Ata)
        {
            Log.Warning(LogSource, $"signature 0x{signature:x8} after COMRESET is not an ATA disk");
            return false;
        }
        StartEngine();
        return true;
    }

    /// <summary>PxTFD shows neither BSY nor DRQ: the device can take a command.</summary>
    internal bool DeviceReady() => (ReadPort(PortRegister.Tfd) & (uint)(AtaStatus.Bsy | AtaStatus.Drq)) == 0;
}
