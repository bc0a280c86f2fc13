namespace Hardware.BlockLayer.Tracing;

/// <summary>Hands every event to several tracers in order (a binary trace and its text view, say).</summary>
public sealed class FanOutTracer : IBlockTracer
{
    private readonly IBlockTracer[] _tracers;

    public FanOutTracer(params IBlockTracer[] tracers)
    {
        ArgumentNullException.ThrowIfNull(tracers);
        foreach (IBlockTracer tracer in tracers)
            ArgumentNullException.ThrowIfNull(tracer, nameof(tracers));
        _tracers = (IBlockTracer[])tracers.Clone();
    }

    public void Trace(in BlockTraceEvent e)
    {
        foreach (IBlockTracer tracer in _tracers)
            tracer.Trace(e);
    }

    public void NameProcess(int processId, string name, long time)
    {
        foreach (IBlockTracer tracer in _tracers)
            tracer.NameProcess(processId, name, time);
    }
}
