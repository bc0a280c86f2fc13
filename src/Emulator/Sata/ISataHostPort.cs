namespace Hardware.Emulator.Sata;

/// <summary>
/// The host (HBA port) side of a SATA link, as the device sees it: the FISes it can send upstream and the
/// data phase of the current command.
/// </summary>
/// <remarks>
/// The device calls these from simulation events at the virtual time the FIS arrives. For a non-queued command
/// the data phase belongs to the command the port issued; for NCQ it belongs to the tag named by the last
/// <see cref="ReceiveDmaSetup"/>.
/// </remarks>
public interface ISataHostPort
{
    Simulation.Simulation Simulation { get; }

    void ReceiveRegisterD2H(in RegisterD2HFis fis);

    void ReceiveSetDeviceBits(in SetDeviceBitsFis fis);

    void ReceiveDmaSetup(in DmaSetupFis fis);

    void ReceivePioSetup(in PioSetupFis fis);

    /// <summary>
    /// Resolves the next contiguous piece of the current command's host buffer (its PRDT), starting
    /// <paramref name="offset"/> bytes into the transfer and at most <paramref name="maxLength"/> long. The device
    /// reads from or writes into <paramref name="piece"/> directly: that copy is the DMA. Call
    /// <see cref="CompleteDataPhase"/> with the bytes moved when the phase ends.
    /// </summary>
    DmaStatus MapHostBuffer(long offset, int maxLength, out Span<byte> piece);

    /// <summary>The data phase moved <paramref name="bytes"/> in total (the HBA records them in PRDBC).</summary>
    void CompleteDataPhase(long bytes);
}
