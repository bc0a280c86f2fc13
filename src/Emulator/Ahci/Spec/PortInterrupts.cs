namespace Hardware.Emulator.Ahci.Spec;

/// <summary>PxIS status bits; PxIE uses the same positions for the enables (AHCI 1.3.1, 3.3.5-3.3.6).</summary>
[Flags]
public enum PortInterrupts : uint
{
    None = 0,
    /// <summary>DHRS: a D2H Register FIS with the I bit arrived.</summary>
    Dhrs = 1u << 0,
    /// <summary>PSS: a PIO Setup FIS with the I bit arrived and its data moved.</summary>
    Pss = 1u << 1,
    /// <summary>DSS: a DMA Setup FIS with the I bit arrived.</summary>
    Dss = 1u << 2,
    /// <summary>SDBS: a Set Device Bits FIS with the I bit arrived.</summary>
    Sdbs = 1u << 3,
    /// <summary>UFS: unknown FIS.</summary>
    Ufs = 1u << 4,
    /// <summary>DPS: a PRD entry with its I bit has been transferred.</summary>
    Dps = 1u << 5,
    /// <summary>PCS: port connect change; mirrors PxSERR.DIAG.X, cleared by clearing it.</summary>
    Pcs = 1u << 6,
    /// <summary>DMPS: device mechanical presence.</summary>
    Dmps = 1u << 7,
    /// <summary>PRCS: PhyRdy change; mirrors PxSERR.DIAG.N, cleared by clearing it.</summary>
    Prcs = 1u << 22,
    /// <summary>IPMS: incorrect port multiplier.</summary>
    Ipms = 1u << 23,
    /// <summary>OFS: overflow, the device moved more data than the PRDT describes.</summary>
    Ofs = 1u << 24,
    /// <summary>INFS: interface non-fatal error.</summary>
    Infs = 1u << 26,
    /// <summary>IFS: interface fatal error.</summary>
    Ifs = 1u << 27,
    /// <summary>HBDS: host bus data error.</summary>
    Hbds = 1u << 28,
    /// <summary>HBFS: host bus fatal error (a bad pointer, a master abort).</summary>
    Hbfs = 1u << 29,
    /// <summary>TFES: task file error, the device reported Status.ERR.</summary>
    Tfes = 1u << 30,
    /// <summary>CPDS: cold port detect.</summary>
    Cpds = 1u << 31,

    /// <summary>Every defined bit.</summary>
    All = Dhrs | Pss | Dss | Sdbs | Ufs | Dps | Pcs | Dmps | Prcs | Ipms | Ofs | Infs | Ifs | Hbds | Hbfs | Tfes | Cpds,

    /// <summary>Errors after which the HBA stops issuing commands until software clears PxCMD.ST (6.1.2).</summary>
    Fatal = Ifs | Hbds | Hbfs | Tfes | Ofs,
}
