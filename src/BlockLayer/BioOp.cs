namespace Hardware.BlockLayer;

/// <summary>What a bio asks of the device (REQ_OP_*).</summary>
public enum BioOp : byte
{
    Read,
    Write,
    /// <summary>Empty flush: make everything written so far durable.</summary>
    Flush,
    /// <summary>The range no longer holds data (TRIM).</summary>
    Discard,
}

/// <summary>Modifiers of a bio (REQ_* flags).</summary>
[Flags]
public enum BioFlags : ushort
{
    None = 0,
    /// <summary>Someone waits for it (reads, O_SYNC and fsync writes).</summary>
    Sync = 1 << 0,
    /// <summary>Filesystem metadata.</summary>
    Meta = 1 << 1,
    /// <summary>Forced unit access: durable when complete.</summary>
    Fua = 1 << 2,
    /// <summary>Flush the device cache before this request.</summary>
    Preflush = 1 << 3,
    /// <summary>Speculative read-ahead.</summary>
    ReadAhead = 1 << 4,
}

/// <summary>A piece of a bio's data in guest physical memory (Linux's bio_vec: page, offset, length).</summary>
public readonly record struct BioSegment(ulong Address, int Length);
