namespace Hardware.BlockLayer.Tracing;

/// <summary>blktrace action codes (include/uapi/linux/blktrace_api.h, enum blktrace_act).</summary>
public enum BlockTraceAction : ushort
{
    Queue = 1,
    BackMerge = 2,
    FrontMerge = 3,
    GetRequest = 4,
    SleepRequest = 5,
    Requeue = 6,
    Issue = 7,
    Complete = 8,
    Plug = 9,
    UnplugIo = 10,
    UnplugTimer = 11,
    Insert = 12,
    Split = 13,
    Bounce = 14,
    Remap = 15,
    Abort = 16,
}

/// <summary>
/// One traced block-layer event. <see cref="Device"/> is the kernel's dev_t encoding used by blktrace
/// (major &lt;&lt; 20 | minor). For Plug/Unplug, <see cref="Sector"/> and <see cref="Bytes"/> are 0 and
/// <see cref="Depth"/> is the number of requests unplugged.
/// </summary>
public readonly record struct BlockTraceEvent(
    long Time,
    BlockTraceAction Action,
    BioOp Op,
    BioFlags Flags,
    long Sector,
    int Bytes,
    int ProcessId,
    uint Device,
    Errno Error = Errno.None,
    int Depth = 0);

/// <summary>Receives the queue's events (blktrace's relay channel); implementations must not allocate per event.</summary>
public interface IBlockTracer
{
    void Trace(in BlockTraceEvent e);

    /// <summary>Names a process for the trace (blktrace's BLK_TN_PROCESS notify record).</summary>
    void NameProcess(int processId, string name, long time);
}
