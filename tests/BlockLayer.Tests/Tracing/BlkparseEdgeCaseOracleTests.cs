using Hardware.BlockLayer.Tracing;

namespace Hardware.BlockLayer.Tests.Tracing;

/// <summary>The rarer events, side by side with blkparse: the text writer must print exactly what blkparse prints.</summary>
public sealed class BlkparseEdgeCaseOracleTests : IDisposable
{
    private static readonly uint Sdb = BlktraceDevice.Make(8, 16);
    private readonly string _directory = Directory.CreateTempSubdirectory("hwstack-blktrace-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [OracleFact("blkparse")]
    public void Sleeps_splits_bounces_timer_unplugs_aborts_errors_and_unnamed_processes_print_as_blkparse_prints_them()
    {
        BlockTraceEvent[] events =
        [
            new(5_000, BlockTraceAction.SleepRequest, BioOp.Write, BioFlags.Sync, 800, 4096, 77, Sdb),
            new(6_000, BlockTraceAction.Split, BioOp.Write, BioFlags.Sync, 800, 65536, 77, Sdb),
            new(6_000, BlockTraceAction.Bounce, BioOp.Read, BioFlags.None, 900, 512, 78, Sdb),
            new(7_000, BlockTraceAction.UnplugTimer, BioOp.Read, BioFlags.None, 0, 0, 0, Sdb, Depth: 3),
            new(8_000, BlockTraceAction.Abort, BioOp.Read, BioFlags.None, 900, 512, 78, Sdb),
            new(1_234_567_890_123, BlockTraceAction.FrontMerge, BioOp.Read, BioFlags.None, 900, 0, 78, Sdb),
            new(1_234_567_890_124, BlockTraceAction.Complete, BioOp.Write, BioFlags.Fua, 800, 0, 0, Sdb, Errno.ETIMEDOUT),
            new(1_234_567_890_125, BlockTraceAction.Requeue, BioOp.Write, BioFlags.Fua, 800, 4096, 0, Sdb, Errno.EIO),
            new(1_234_567_890_125, BlockTraceAction.Issue, BioOp.Read, BioFlags.Meta, 900, 512, 123456, Sdb),
            new(1_234_567_890_126, BlockTraceAction.Queue, BioOp.Discard, BioFlags.Sync, 900, 1 << 30, 77, Sdb),
        ];

        var text = new StringWriter();
        var textWriter = new BlkparseTextWriter(text, "sdb");
        Assert.True(BlktraceWriter.TryCreate(_directory, "sdb", out BlktraceWriter? binary, out IoError? error), error?.ToString());
        using (binary)
        {
            var both = new FanOutTracer(binary, textWriter);
            both.NameProcess(77, "a-process-name-longer-than-a-comm", 0);
            foreach (BlockTraceEvent e in events)
                both.Trace(e);
        }

        textWriter.WriteSummary();
        string blkparse = BlktraceTools.Normalize(BlktraceTools.Blkparse(_directory, "-i", "sdb"));
        Assert.Equal(blkparse, text.ToString());
        Assert.Contains("  8,16   0        2     0.000001000    77  X  WS 800 / 928 [a-process-name-]", blkparse);
        Assert.Contains("  8,16   0        4     0.000002000     0 UT   N [(null)] 3", blkparse);
        Assert.DoesNotContain("       5 ", blkparse); // the abort has no line, as in blkparse
    }
}
