namespace Hardware.Emulator.Sata;

/// <summary>
/// A device at the far end of a SATA link (a disk today; a port multiplier or ATAPI device could follow).
/// Everything crosses the link as FISes; the only shortcut is that the data of a Data FIS is moved straight
/// between the device and the host buffer the HBA resolves (<see cref="ISataHostPort.MapHostBuffer"/>).
/// </summary>
public interface ISataDevice
{
    /// <summary>The fastest generation the device's PHY supports.</summary>
    SataGeneration MaxGeneration { get; }

    /// <summary>Plugs the device into a host port. Called once, before any reset.</summary>
    void Attach(ISataHostPort host);

    /// <summary>
    /// COMRESET (or power-on): the device drops every command it holds, and after its reset time sends the
    /// signature Register D2H FIS (Status 50h, Error 01h, Count 1, LBA 1 for a disk).
    /// </summary>
    void ComReset(SataGeneration negotiated);

    /// <summary>A Register H2D FIS with the C bit set: a new command.</summary>
    void ReceiveCommand(in RegisterH2DFis fis);
}
