using Hardware.Emulator.Ahci.Spec;
using Hardware.Emulator.Sata;

namespace Hardware.Emulator.Ahci;

/// <summary>The SATA link: device attach, COMRESET through PxSCTL.DET, PHY ready and the device's signature.</summary>
internal sealed partial class AhciPort
{
    private ISataDevice? _device;
    private bool _linkUp;
    private SataGeneration _negotiated;
    private long _linkEpoch;
    private bool _signatureReceived;

    public void Attach(ISataDevice device)
    {
        if (_device is not null)
            throw new InvalidOperationException($"port {Index} already has a device");
        _device = device;
        device.Attach(this);
        StartLink(); // power-on: without staggered spin-up the HBA brings the link up by itself
    }

    /// <summary>COMRESET released or power-on: after the OOB exchange the PHY is ready and the device is reset.</summary>
    public void StartLink()
    {
        _linkEpoch++;
        if (_device is null)
            return;
        Simulation.Schedule(Options.LinkUpLatency, this, LinkUpEvent | _linkEpoch << 8);
    }

    /// <summary>PxSCTL.DET = 1 (10.4.2): PxSSTS.DET and PxTFD.STS go to 0 and 7Fh, PxSIG forgets the device.</summary>
    private void TakeLinkDown()
    {
        _linkEpoch++;
        _linkUp = false;
        _ssts = SStatus.Compose(SStatus.DetNoDevice, 0, SStatus.IpmNotPresent);
        _tfd = TaskFileData.ResetValue;
        _sig = DeviceSignature.None;
        _signatureReceived = false;
    }

    private void CompleteLinkUp(long epoch)
    {
        if (epoch != _linkEpoch || _device is null)
            return;
        _negotiated = NegotiateGeneration();
        _linkUp = true;
        _ssts = SStatus.Compose(SStatus.DetPresentPhy, (uint)_negotiated, SStatus.IpmActive);
        // COMINIT received: DIAG.X (PxIS.PCS) and the PhyRdy change DIAG.N (PxIS.PRCS); BSY until the signature.
        _serr |= (uint)(SError.DiagExchanged | SError.DiagPhyRdyChange);
        _tfd |= (uint)AtaStatus.Bsy;
        _hba.UpdateInterrupts();
        _device.ComReset(_negotiated);
    }

    private SataGeneration NegotiateGeneration()
    {
        int generation = Math.Min((int)Options.Generation, (int)_device!.MaxGeneration);
        uint limit = SControl.Spd(_sctl);
        if (limit != SControl.SpdNoRestriction)
            generation = Math.Min(generation, (int)limit);
        return (SataGeneration)Math.Max(generation, (int)SataGeneration.Gen1);
    }

    /// <summary>PxSCTL: DET 0→1 holds COMRESET, 1→0 releases it; DET = 4 takes the PHY offline.</summary>
    private void WriteSControl(uint value)
    {
        uint oldDet = SControl.Det(_sctl);
        _sctl = value & SControl.WritableMask;
        uint det = SControl.Det(_sctl);
        if (det == oldDet)
            return;
        if (Started)
            Log.Warning(_source, $"PxSCTL.DET changed to {det} while PxCMD.ST is set; the spec allows it only with ST clear");
        switch (det)
        {
            case SControl.DetComReset:
                TakeLinkDown();
                StopDeviceSideState();
                break;
            case SControl.DetDisable:
                TakeLinkDown();
                StopDeviceSideState();
                _ssts = SStatus.Compose(SStatus.DetOffline, 0, SStatus.IpmNotPresent);
                break;
            case SControl.DetNoAction:
                StartLink();
                break;
            default:
                Log.Warning(_source, $"PxSCTL.DET = {det} is reserved; no action");
                break;
        }
        _hba.UpdateInterrupts();
    }

    /// <summary>The device loses everything it held: commands in flight can no longer complete on this link.</summary>
    private void StopDeviceSideState()
    {
        _activeSlot = -1;
        _dataSlot = -1;
        _pioActive = false;
    }
}
