namespace Hardware.Emulator.Sata;

/// <summary>Outcome of a data-phase request against the host's buffer for the current command.</summary>
public enum DmaStatus
{
    Ok,
    /// <summary>A PRD entry or a structure points outside guest memory, or bus mastering is off (host sets PxIS.HBFS).</summary>
    HostBusFatal,
    /// <summary>The PRDT describes fewer bytes than the transfer needs (host sets PxIS.OFS).</summary>
    Overflow,
    /// <summary>No command is active for the data phase (the port was stopped or reset meanwhile); drop the data.</summary>
    NoActiveCommand,
}
