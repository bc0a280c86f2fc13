namespace Hardware.BlockLayer.Tracing;

/// <summary>What every trace writer refuses: events blkparse could not show faithfully are caller bugs.</summary>
internal static class TraceEventChecks
{
    public static void Validate(in BlockTraceEvent e, long previousTime, string traceName)
    {
        ushort code = (ushort)e.Action;
        if (code == 0 || code > BlktraceActionCodes.MaxActionCode)
            throw new ArgumentException($"{traceName}: {e.Action} is not a blktrace action", nameof(e));
        if (e.Action == BlockTraceAction.Remap)
            throw new ArgumentException($"{traceName}: a remap record needs the source device and sector, which a BlockTraceEvent does not carry", nameof(e));
        if (e.Time < 0 || e.Time < previousTime)
            throw new ArgumentException($"{traceName}: event time {e.Time} ns is before the previous event's {previousTime} ns; blkparse and btt need the trace in time order", nameof(e));
        if (e.Sector < 0 || e.Bytes < 0 || e.Depth < 0 || e.ProcessId < 0)
            throw new ArgumentException($"{traceName}: negative sector, size, depth or pid in {e}", nameof(e));
    }
}
