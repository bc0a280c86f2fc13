using Hardware.Emulator.Sata;

namespace Hardware.BlockLayer.Drivers.Ahci;

public enum AtaOutcome
{
    Success,
    /// <summary>The device reported an error (Status.ERR): see <see cref="AtaCompletion.Error"/>.</summary>
    DeviceError,
    /// <summary>The controller hit a host bus error (PxIS.HBFS/HBDS) or an interface error.</summary>
    HostError,
    /// <summary>The command was aborted because another command on the port failed.</summary>
    Aborted,
}

/// <summary>How one ATA command ended, as the driver read it from PxTFD and the received FIS area.</summary>
public readonly record struct AtaCompletion(AtaOutcome Outcome, AtaStatus Status, AtaError Error, ulong ErrorLba, long CompletedAt)
{
    public bool Succeeded => Outcome == AtaOutcome.Success;
}
