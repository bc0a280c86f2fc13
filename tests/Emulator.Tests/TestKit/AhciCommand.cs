using Hardware.Emulator.Ahci.Spec;
using Hardware.Emulator.Sata;

namespace Hardware.Emulator.Tests.TestKit;

/// <summary>
/// What the test driver writes into a command slot: the CFIS, the data segments its PRDT covers and the header
/// flags. NCQ commands (FPDMA opcodes) use the FIS's tag as the slot and set PxSACT before PxCI.
/// </summary>
public sealed record AhciCommand(RegisterH2DFis Fis)
{
    /// <summary>Guest ranges the PRDT covers, in transfer order.</summary>
    public IReadOnlyList<DmaSegment> Data { get; init; } = [];

    /// <summary>Header W bit: data flows host to device.</summary>
    public bool IsWrite { get; init; }

    /// <summary>Split segments into PRD entries of at most this many bytes (0 = up to the 4 MiB an entry allows).</summary>
    public int PrdEntrySize { get; init; }

    /// <summary>Used verbatim instead of entries built from <see cref="Data"/> (for bad pointers and odd sizes).</summary>
    public IReadOnlyList<PrdEntry>? RawPrdt { get; init; }

    /// <summary>Set the I bit on every PRD entry built from <see cref="Data"/>.</summary>
    public bool InterruptOnEachPrd { get; init; }

    /// <summary>The slot to use for a non-queued command (default: the lowest free one).</summary>
    public int? Slot { get; init; }

    /// <summary>Header C bit (clear busy upon R_OK) and R bit, for software reset sequences.</summary>
    public bool ClearBusyUponOk { get; init; }

    public bool Reset { get; init; }

    public bool IsQueued => AtaCommands.IsQueued(Fis);

    public static AhciCommand Read(RegisterH2DFis fis, params DmaSegment[] data) => new(fis) { Data = data };

    public static AhciCommand Write(RegisterH2DFis fis, params DmaSegment[] data) => new(fis) { Data = data, IsWrite = true };

    public static AhciCommand NoData(RegisterH2DFis fis) => new(fis);
}

/// <summary>What a driver sees when a command has finished (or failed, or timed out).</summary>
public readonly record struct CommandResult(
    int Port,
    int Slot,
    bool Completed,
    bool TimedOut,
    // Every PxIS bit seen since the command was issued (cleared by the handler or still pending).
    uint InterruptStatus,
    uint TaskFileData,
    uint SActive,
    uint CommandIssue,
    uint SError,
    uint PrdByteCount,
    long Time)
{
    public AtaStatus Status => Hardware.Emulator.Ahci.Spec.TaskFileData.Status(TaskFileData);

    public AtaError Error => Hardware.Emulator.Ahci.Spec.TaskFileData.Error(TaskFileData);

    public bool Has(PortInterrupts bits) => (InterruptStatus & (uint)bits) == (uint)bits;

    /// <summary>Completed, with neither an error status nor an error interrupt.</summary>
    public bool Succeeded => Completed && (Status & AtaStatus.Err) == 0 && (InterruptStatus & (uint)AhciTestDriver.ErrorInterrupts) == 0;

    public override string ToString() =>
        $"port {Port} slot {Slot}: completed={Completed} timedOut={TimedOut} PxIS={(PortInterrupts)InterruptStatus} " +
        $"PxTFD=0x{TaskFileData:x} PxSACT=0x{SActive:x8} PxCI=0x{CommandIssue:x8} PxSERR=0x{SError:x8} PRDBC={PrdByteCount} t={Time}";
}
