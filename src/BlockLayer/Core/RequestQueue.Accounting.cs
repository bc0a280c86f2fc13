using Hardware.BlockLayer.Stats;
using Hardware.BlockLayer.Tracing;

namespace Hardware.BlockLayer;

// What the queue reports: blktrace events and the /proc/diskstats counters of the request's device (and, for a
// partition, of its disk).
public sealed partial class RequestQueue
{
    private void TraceBio(BlockTraceAction action, Bio bio, long diskSector)
    {
        if (Tracer is { } tracer)
            tracer.Trace(new BlockTraceEvent(Simulation.Now, action, bio.Op, bio.Flags, diskSector, TraceBytes(bio.SectorCount),
                bio.ProcessId, TraceDevice));
    }

    internal void TraceRequest(BlockTraceAction action, Request request, Errno error = Errno.None)
    {
        if (Tracer is { } tracer)
            tracer.Trace(new BlockTraceEvent(Simulation.Now, action, request.Op, request.Flags, request.Sector,
                TraceBytes(request.SectorCount), request.ProcessId, TraceDevice, error));
    }

    private void TracePlug(BlockTraceAction action, int processId, int depth)
    {
        if (Tracer is { } tracer)
            tracer.Trace(new BlockTraceEvent(Simulation.Now, action, BioOp.Read, BioFlags.None, 0, 0, processId, TraceDevice, Depth: depth));
    }

    private static int TraceBytes(long sectors) => (int)Math.Min(sectors * Bio.SectorSize, int.MaxValue);

    private static StatGroup? GroupOf(BioOp op) => op switch
    {
        BioOp.Read => StatGroup.Read,
        BioOp.Write => StatGroup.Write,
        BioOp.Discard => StatGroup.Discard,
        _ => null,
    };

    private static void AccountMerge(RequestContext context)
    {
        if (GroupOf(context.Request.Op) is not { } group)
            return;
        BlockDevice device = context.Device!;
        device.Stats.AddMerge(group);
        if (device.IsPartition)
            device.Disk.Stats.AddMerge(group);
    }

    private static void AccountStart(RequestContext context)
    {
        BlockDevice device = context.Device!;
        device.Stats.RequestStarted();
        if (device.IsPartition)
            device.Disk.Stats.RequestStarted();
    }

    private static void AccountEnd(RequestContext context)
    {
        BlockDevice device = context.Device!;
        device.Stats.RequestEnded();
        if (device.IsPartition)
            device.Disk.Stats.RequestEnded();
    }

    private void AccountCompletion(RequestContext context)
    {
        if (GroupOf(context.Request.Op) is not { } group)
            return;
        Request request = context.Request;
        long ticks = Simulation.Now - request.StartTime;
        BlockDevice device = context.Device!;
        device.Stats.AddCompletion(group, request.SectorCount, ticks);
        if (device.IsPartition)
            device.Disk.Stats.AddCompletion(group, request.SectorCount, ticks);
    }

    private void AccountFlush(RequestContext context) =>
        context.Device!.Disk.Stats.AddCompletion(StatGroup.Flush, 0, Simulation.Now - context.Request.StartTime);
}
