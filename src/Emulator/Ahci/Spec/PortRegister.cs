namespace Hardware.Emulator.Ahci.Spec;

/// <summary>Port registers, relative to <see cref="AhciLayout.PortBase"/> (AHCI 1.3.1, 3.3).</summary>
public enum PortRegister : int
{
    /// <summary>PxCLB: command list base address, 1 KiB aligned.</summary>
    Clb = 0x00,
    Clbu = 0x04,
    /// <summary>PxFB: received FIS base address, 256-byte aligned.</summary>
    Fb = 0x08,
    Fbu = 0x0C,
    /// <summary>PxIS: interrupt status (write 1 to clear).</summary>
    Is = 0x10,
    /// <summary>PxIE: interrupt enable.</summary>
    Ie = 0x14,
    /// <summary>PxCMD: command and status.</summary>
    Cmd = 0x18,
    /// <summary>PxTFD: task file data (ERR in 15:8, STS in 7:0).</summary>
    Tfd = 0x20,
    /// <summary>PxSIG: signature of the attached device.</summary>
    Sig = 0x24,
    /// <summary>PxSSTS: SStatus.</summary>
    Ssts = 0x28,
    /// <summary>PxSCTL: SControl.</summary>
    Sctl = 0x2C,
    /// <summary>PxSERR: SError (write 1 to clear).</summary>
    Serr = 0x30,
    /// <summary>PxSACT: SActive, outstanding NCQ tags.</summary>
    Sact = 0x34,
    /// <summary>PxCI: command issue, one bit per slot.</summary>
    Ci = 0x38,
    /// <summary>PxSNTF: SNotification.</summary>
    Sntf = 0x3C,
    /// <summary>PxFBS: FIS-based switching control.</summary>
    Fbs = 0x40,
    /// <summary>PxDEVSLP: device sleep.</summary>
    Devslp = 0x44,
}
