namespace Hardware.Emulator.Ahci.Spec;

/// <summary>Generic host control registers at the start of ABAR (AHCI 1.3.1, 3.1).</summary>
public enum HbaRegister : int
{
    /// <summary>CAP: host capabilities.</summary>
    Cap = 0x00,
    /// <summary>GHC: global host control.</summary>
    Ghc = 0x04,
    /// <summary>IS: interrupt status, one bit per port.</summary>
    Is = 0x08,
    /// <summary>PI: ports implemented.</summary>
    Pi = 0x0C,
    /// <summary>VS: version.</summary>
    Vs = 0x10,
    /// <summary>CCC_CTL: command completion coalescing control.</summary>
    CccCtl = 0x14,
    /// <summary>CCC_PORTS: command completion coalescing ports.</summary>
    CccPorts = 0x18,
    /// <summary>EM_LOC: enclosure management location.</summary>
    EmLoc = 0x1C,
    /// <summary>EM_CTL: enclosure management control.</summary>
    EmCtl = 0x20,
    /// <summary>CAP2: host capabilities extended.</summary>
    Cap2 = 0x24,
    /// <summary>BOHC: BIOS/OS handoff control and status.</summary>
    Bohc = 0x28,
}
