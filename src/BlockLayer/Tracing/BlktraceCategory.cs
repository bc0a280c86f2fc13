namespace Hardware.BlockLayer.Tracing;

/// <summary>
/// blktrace category bits (enum blktrace_cat), stored in the upper 16 bits of a record's action. They say what kind
/// of event it is (queue, issue, complete, requeue, notify) and what the I/O was (read/write, sync, FUA, ...).
/// </summary>
[Flags]
public enum BlktraceCategory : ushort
{
    None = 0,
    Read = 1 << 0,
    Write = 1 << 1,
    /// <summary>REQ_PREFLUSH, or the empty flush operation itself.</summary>
    Flush = 1 << 2,
    Sync = 1 << 3,
    Queue = 1 << 4,
    Requeue = 1 << 5,
    Issue = 1 << 6,
    Complete = 1 << 7,
    /// <summary>A filesystem (not passthrough) request: set on request-level events.</summary>
    Fs = 1 << 8,
    /// <summary>Passthrough (SCSI/ATA command) request.</summary>
    Pc = 1 << 9,
    Notify = 1 << 10,
    Ahead = 1 << 11,
    Meta = 1 << 12,
    Discard = 1 << 13,
    DriverData = 1 << 14,
    Fua = 1 << 15,
}

/// <summary>Notify record kinds (enum blktrace_notify): the action code of a record with the Notify category.</summary>
public enum BlktraceNotify : ushort
{
    /// <summary>Names a pid: the payload is the 16-byte task comm.</summary>
    Process = 0,
    /// <summary>Wall-clock time at trace start: the payload is two u32, seconds and nanoseconds.</summary>
    Timestamp = 1,
    /// <summary>Free text from a driver or tool.</summary>
    Message = 2,
}
