using Hardware.BlockLayer.Tracing;
using Hardware.Emulator.Simulation;

namespace Hardware.BlockLayer;

/// <summary>
/// A process's plug (struct blk_plug): while it is active, the process's new requests gather here and merge with each
/// other instead of going to the elevator one by one. It is flushed when a new request finds it full (32 requests,
/// or a last request of 128 KiB), when the process waits (<see cref="RequestQueue.FlushPlug(int)"/>,
/// <see cref="BlockDevice.SubmitAndWaitAsync"/>), or when it is finished. One plug per process, reused; nesting
/// counts, and only the outermost finish flushes (a nested blk_start_plug is a no-op too).
/// </summary>
public sealed class BlockPlug : IDisposable
{
    private readonly RequestQueue _queue;
    private SimTimer? _unplugTimer;
    private int _depth;

    internal BlockPlug(RequestQueue queue, int processId)
    {
        _queue = queue;
        ProcessId = processId;
    }

    public int ProcessId { get; }

    public bool IsActive => _depth > 0;

    /// <summary>Requests waiting in the plug.</summary>
    public int RequestCount => Requests.Count;

    internal RequestContextList Requests { get; } = new();

    /// <summary>Sends what the plug holds now and keeps plugging (blk_flush_plug).</summary>
    public void Flush() => _queue.FlushPlug(this, BlockTraceAction.UnplugIo);

    /// <summary>Ends this level of plugging; the outermost finish sends what the plug holds (blk_finish_plug).</summary>
    public void Finish()
    {
        if (_depth == 0)
            return;
        if (--_depth == 0)
            _queue.FlushPlug(this, BlockTraceAction.UnplugIo);
    }

    public void Dispose() => Finish();

    internal void Begin() => _depth++;

    internal void ArmUnplugTimer(long delay)
    {
        _unplugTimer ??= new SimTimer(_queue.Simulation, () => _queue.FlushPlug(this, BlockTraceAction.UnplugTimer));
        _unplugTimer.Arm(delay);
    }

    internal void CancelUnplugTimer()
    {
        if (_unplugTimer is { IsArmed: true } timer)
            timer.Cancel();
    }
}
