using Hardware.Emulator.Sata;

namespace Hardware.BlockLayer.Drivers.Ahci;

internal enum AtaOutcome
{
    Success,
    /// <summary>The device reported an error (Status.ERR): see <see cref="AtaCompletion.Error"/>.</summary>
    DeviceError,
    /// <summary>The controller reported a host bus, interface or overflow error.</summary>
    HostError,
    /// <summary>Nothing came back within the command's timeout.</summary>
    TimedOut,
}

/// <summary>How one internal command (IDENTIFY, READ LOG EXT) ended, as the driver read it from PxIS and PxTFD.</summary>
internal readonly record struct AtaCompletion(AtaOutcome Outcome, AtaStatus Status, AtaError Error)
{
    public bool Succeeded => Outcome == AtaOutcome.Success;

    public override string ToString() =>
        Succeeded ? "success" : $"{Outcome} (Status 0x{(byte)Status:x2} {Status}, Error 0x{(byte)Error:x2} {Error})";
}
