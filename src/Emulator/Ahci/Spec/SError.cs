namespace Hardware.Emulator.Ahci.Spec;

/// <summary>PxSERR bits: ERR in 15:0, DIAG in 31:16 (AHCI 1.3.1, 3.3.12). Write 1 to clear.</summary>
[Flags]
public enum SError : uint
{
    None = 0,
    /// <summary>ERR.I: recovered data integrity error.</summary>
    ErrRecoveredDataIntegrity = 1u << 0,
    /// <summary>ERR.M: recovered communications error.</summary>
    ErrRecoveredCommunication = 1u << 1,
    /// <summary>ERR.T: transient data integrity error.</summary>
    ErrTransientDataIntegrity = 1u << 8,
    /// <summary>ERR.C: persistent communication or data integrity error.</summary>
    ErrPersistentCommunication = 1u << 9,
    /// <summary>ERR.P: protocol error.</summary>
    ErrProtocol = 1u << 10,
    /// <summary>ERR.E: internal error.</summary>
    ErrInternal = 1u << 11,
    /// <summary>DIAG.N: PhyRdy changed (mirrored by PxIS.PRCS).</summary>
    DiagPhyRdyChange = 1u << 16,
    /// <summary>DIAG.I: PHY internal error.</summary>
    DiagPhyInternal = 1u << 17,
    /// <summary>DIAG.W: COMWAKE detected.</summary>
    DiagCommWake = 1u << 18,
    /// <summary>DIAG.B: 10b to 8b decode error.</summary>
    Diag10bTo8bDecode = 1u << 19,
    /// <summary>DIAG.D: disparity error.</summary>
    DiagDisparity = 1u << 20,
    /// <summary>DIAG.C: CRC error.</summary>
    DiagCrc = 1u << 21,
    /// <summary>DIAG.H: handshake error.</summary>
    DiagHandshake = 1u << 22,
    /// <summary>DIAG.S: link sequence error.</summary>
    DiagLinkSequence = 1u << 23,
    /// <summary>DIAG.T: transport state transition error.</summary>
    DiagTransportTransition = 1u << 24,
    /// <summary>DIAG.F: unknown FIS type.</summary>
    DiagUnknownFis = 1u << 25,
    /// <summary>DIAG.X: exchanged, a COMINIT was received (device attached or reset); mirrored by PxIS.PCS.</summary>
    DiagExchanged = 1u << 26,

    All = ErrRecoveredDataIntegrity | ErrRecoveredCommunication | ErrTransientDataIntegrity | ErrPersistentCommunication
        | ErrProtocol | ErrInternal | DiagPhyRdyChange | DiagPhyInternal | DiagCommWake | Diag10bTo8bDecode | DiagDisparity
        | DiagCrc | DiagHandshake | DiagLinkSequence | DiagTransportTransition | DiagUnknownFis | DiagExchanged,
}
