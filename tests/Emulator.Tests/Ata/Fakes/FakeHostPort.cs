using Hardware.Emulator.Sata;
using Sim = Hardware.Emulator.Simulation.Simulation;

namespace Hardware.Emulator.Tests.Ata.Fakes;

public enum FisKind
{
    RegisterD2H,
    SetDeviceBits,
    DmaSetup,
    PioSetup,
    DataPhase,
}

/// <summary>One thing the device sent (or a data phase it ended), at a virtual time.</summary>
public readonly record struct FisRecord(
    long Time,
    FisKind Kind,
    AtaStatus Status = AtaStatus.None,
    AtaError Error = AtaError.None,
    bool Interrupt = false,
    ulong Lba = 0,
    ushort Count = 0,
    uint Tags = 0,
    int Tag = -1,
    long Bytes = 0,
    // PIO Setup only: the Status the host takes on when the data phase ends (E_Status).
    AtaStatus EndStatus = AtaStatus.None);

/// <summary>
/// The host side of a link for drive tests: records every FIS with its time, keeps a byte-array buffer per NCQ tag
/// and one for non-queued commands, and can cut buffers into small pieces or fail the mapping like a bad PRDT.
/// </summary>
public sealed class FakeHostPort : ISataHostPort
{
    private readonly byte[]?[] _tagBuffers = new byte[32][];
    private byte[]? _nonQueuedBuffer;
    private int _phaseTag = -1;

    public FakeHostPort(Sim simulation)
    {
        Simulation = simulation;
    }

    public Sim Simulation { get; }

    public ISataDevice? Device { get; private set; }

    public List<FisRecord> Timeline { get; } = new();

    /// <summary>Off for allocation measurements: the timeline list itself would allocate.</summary>
    public bool Record { get; set; } = true;

    public int SetDeviceBitsCount { get; private set; }

    public int RegisterCount { get; private set; }

    /// <summary>Tags issued and not yet completed by an SDB FIS, like PxSACT.</summary>
    public uint Outstanding { get; private set; }

    /// <summary>Tags in the order their completions arrived.</summary>
    public List<int> CompletionOrder { get; } = new();

    /// <summary>Largest piece one mapping returns (a PRD entry's length).</summary>
    public int MaxPiece { get; set; } = int.MaxValue;

    /// <summary>When set, every mapping from this byte offset on fails with this status.</summary>
    public DmaStatus? FailMappingWith { get; set; }

    public long FailMappingAtOffset { get; set; }

    public void Connect(ISataDevice device)
    {
        Device = device;
        device.Attach(this);
    }

    /// <summary>Issues a command with <paramref name="buffer"/> as its data buffer (the command table's PRDT).</summary>
    public void Issue(in RegisterH2DFis fis, byte[]? buffer = null)
    {
        bool queued = fis.Command is 0x60 or 0x61;
        if (queued)
        {
            _tagBuffers[fis.NcqTag] = buffer;
            Outstanding |= 1u << fis.NcqTag;
        }
        else
        {
            _nonQueuedBuffer = buffer;
        }
        Device!.ReceiveCommand(fis);
    }

    public IEnumerable<FisRecord> Of(FisKind kind) => Timeline.Where(r => r.Kind == kind);

    public FisRecord LastRegister => Timeline.Last(r => r.Kind == FisKind.RegisterD2H);

    public void ReceiveRegisterD2H(in RegisterD2HFis fis)
    {
        RegisterCount++;
        Add(new FisRecord(Simulation.Now, FisKind.RegisterD2H, fis.Status, fis.Error, fis.Interrupt, fis.Lba, fis.Count));
    }

    public void ReceiveSetDeviceBits(in SetDeviceBitsFis fis)
    {
        SetDeviceBitsCount++;
        Add(new FisRecord(Simulation.Now, FisKind.SetDeviceBits, fis.Status, fis.Error, fis.Interrupt, Tags: fis.CompletedTags));
        for (int tag = 0; tag < 32 && Record; tag++)
        {
            if ((fis.CompletedTags & (1u << tag)) != 0)
                CompletionOrder.Add(tag);
        }
        Outstanding &= ~fis.CompletedTags;
    }

    public void ReceiveDmaSetup(in DmaSetupFis fis)
    {
        _phaseTag = fis.NcqTag;
        Add(new FisRecord(Simulation.Now, FisKind.DmaSetup, Interrupt: fis.Interrupt, Tag: fis.NcqTag, Bytes: fis.TransferCount));
    }

    public void ReceivePioSetup(in PioSetupFis fis) =>
        Add(new FisRecord(Simulation.Now, FisKind.PioSetup, fis.Status, fis.Error, fis.Interrupt, Bytes: fis.TransferCount, EndStatus: fis.EndStatus));

    public DmaStatus MapHostBuffer(long offset, int maxLength, out Span<byte> piece)
    {
        piece = default;
        if (FailMappingWith is { } failure && offset >= FailMappingAtOffset)
            return failure;
        byte[]? buffer = _phaseTag >= 0 ? _tagBuffers[_phaseTag] : _nonQueuedBuffer;
        if (buffer is null)
            return DmaStatus.NoActiveCommand;
        if (offset >= buffer.Length)
            return DmaStatus.Overflow;
        int length = (int)Math.Min(Math.Min(maxLength, MaxPiece), buffer.Length - offset);
        if (FailMappingWith is not null)
            length = (int)Math.Min(length, FailMappingAtOffset - offset);
        piece = buffer.AsSpan((int)offset, length);
        return DmaStatus.Ok;
    }

    public void CompleteDataPhase(long bytes)
    {
        Add(new FisRecord(Simulation.Now, FisKind.DataPhase, Tag: _phaseTag, Bytes: bytes));
        _phaseTag = -1;
    }

    private void Add(in FisRecord record)
    {
        if (Record)
            Timeline.Add(record);
    }
}
