using Hardware.Emulator.Sata;

namespace Hardware.BlockLayer.Drivers.Ahci;

/// <summary>Why a command did not complete, as the error handler found out.</summary>
internal enum FailureCause : byte
{
    /// <summary>The device ended it with Status.ERR (PxIS.TFES); Status and Error say why.</summary>
    DeviceError,
    /// <summary>PxIS.HBFS or HBDS: the HBA could not reach host memory (a bad address, a master abort).</summary>
    HostBusError,
    /// <summary>PxIS.IFS or INFS: the SATA link garbled a FIS.</summary>
    InterfaceError,
    /// <summary>PxIS.OFS: the device moved more data than the PRDT describes.</summary>
    Overflow,
    /// <summary>The queue's timer ran out before the device answered.</summary>
    Timeout,
    /// <summary>The link went down or a device attached (PxIS.PCS, PRCS).</summary>
    LinkChange,
}

/// <summary>How a failure is treated.</summary>
internal enum ErrorClass : byte
{
    /// <summary>Worth another try: host, link and timeout errors, and device aborts without a media or fault reason.</summary>
    Transient,
    /// <summary>UNC or IDNF: the sectors cannot be read or do not exist. Not retried.</summary>
    Media,
    /// <summary>Status.DF: the device failed the command for good (a write fault). Not retried.</summary>
    DeviceFault,
}

/// <summary>
/// The retry policy, after libata's ata_eh_worth_retry and the SCSI disk's handling of the sense data libata makes:
/// media errors are not retried (the drive already spent its own retries), a device fault maps to HARDWARE ERROR and
/// is not retried, everything else is retried up to <see cref="AhciDriverOptions.MaxTries"/> tries.
/// </summary>
internal static class AtaErrorPolicy
{
    public static ErrorClass Classify(FailureCause cause, AtaStatus status, AtaError error)
    {
        if (cause != FailureCause.DeviceError)
            return ErrorClass.Transient;
        if ((error & (AtaError.Unc | AtaError.Idnf)) != 0)
            return ErrorClass.Media;
        if ((status & AtaStatus.DeviceFault) != 0)
            return ErrorClass.DeviceFault;
        return ErrorClass.Transient;
    }
}
