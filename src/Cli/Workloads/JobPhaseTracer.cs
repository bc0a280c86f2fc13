using Hardware.BlockLayer.Tracing;

namespace Hardware.Cli.Workloads;

/// <summary>
/// Passes the queue's events to the observer's tracer only while the jobs run, as blktrace started just before fio
/// would see them: the boot's partition scan, mkfs and the layout of the jobs' files stay out of the trace.
/// </summary>
internal sealed class JobPhaseTracer(IBlockTracer inner) : IBlockTracer
{
    public bool Enabled { get; set; }

    public void Trace(in BlockTraceEvent e)
    {
        if (Enabled)
            inner.Trace(e);
    }

    public void NameProcess(int processId, string name, long time) => inner.NameProcess(processId, name, time);
}
