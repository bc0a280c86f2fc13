using Hardware.BlockLayer.Tests.Queue.Fakes;
using Hardware.BlockLayer.Tracing;
using Hardware.Testing;

namespace Hardware.BlockLayer.Tests.Queue;

public class AllocationTests
{
    /// <summary>Counts events per action into a fixed array: a tracer that itself allocates nothing.</summary>
    private sealed class CountingTracer : IBlockTracer
    {
        public readonly long[] Counts = new long[32];

        public void Trace(in BlockTraceEvent e) => Counts[(int)e.Action]++;

        public void NameProcess(int processId, string name, long time)
        {
        }
    }

    [Fact]
    public void Steady_state_io_allocates_nothing_through_plugs_merges_splits_flushes_requeues_and_busy_answers()
    {
        var h = new QueueHarness(new QueueLimits { QueueDepth = 8, MaxSectors = 256, WriteCache = true, Fua = false, MaxDiscardSectors = 1024 });
        var tracer = new CountingTracer();
        h.Queue.Tracer = tracer;
        h.Driver.Record = false;
        long decisions = 0;
        h.Driver.Decide = r =>
        {
            decisions++;
            if (decisions % 7 == 0 && h.Driver.InFlight > 0)
                return DriverAction.Busy;
            if (decisions % 11 == 0 && r.Retries == 0)
                return new DriverAction(DriverActionKind.Requeue);
            return DriverAction.Ok;
        };
        BlockDevice part = h.Disk.AddPartition(1, 2048, 500_000);
        var writes = Enumerable.Range(0, 16).Select(_ => new Bio(h.Simulation)).ToArray();
        var reads = Enumerable.Range(0, 4).Select(_ => new Bio(h.Simulation)).ToArray();
        var single = new Bio(h.Simulation, segmentCapacity: 8);
        ulong buffer = h.Allocate(1 << 20);
        const int Pid = 3;

        static void Accept(IoError? error)
        {
            if (error is not null)
                throw new InvalidOperationException(error.ToString());
        }

        // One process body with the rounds inline: a nested async call would allocate its own state machine per call.
        const int WarmUp = 60, Window = 100, Windows = 3;
        var meter = new AllocationMeter();
        long bios = 0;
        h.Run(async () =>
        {
            long queued = 0;
            for (int round = 0; round < WarmUp + Window * Windows; round++)
            {
                if (round >= WarmUp && (round - WarmUp) % Window == 0)
                {
                    queued = h.Queue.Statistics.BiosQueued;
                    meter.Begin();
                }
                long at = (round % 50) * 2048L;
                using (h.Queue.Plug(Pid))
                {
                    for (int i = 0; i < writes.Length; i++)
                    {
                        writes[i].Reset(BioOp.Write, at + i * 8L, BioFlags.None, Pid);
                        writes[i].AddSegment(new BioSegment(buffer + (ulong)i * 4096, 4096));
                        Accept(part.Submit(writes[i]));
                    }
                    for (int i = 0; i < reads.Length; i++)
                    {
                        reads[i].Reset(BioOp.Read, 300_000 + at + i * 64L, BioFlags.Sync, Pid);
                        reads[i].AddSegment(new BioSegment(buffer + 0x80000 + (ulong)i * 8192, 8192));
                        Accept(part.Submit(reads[i]));
                    }
                }
                foreach (Bio bio in writes)
                    await bio.Completion.Task;
                foreach (Bio bio in reads)
                    await bio.Completion.Task;

                single.Reset(BioOp.Read, 400_000, BioFlags.None, Pid); // 600 sectors: split in three
                for (int i = 0; i < 5; i++)
                    single.AddSegment(new BioSegment(buffer + (ulong)i * 61440, 61440));
                await part.SubmitAndWaitAsync(single);
                single.Reset(BioOp.Write, at + 200, BioFlags.Fua, Pid); // write, then a post-flush
                single.AddSegment(new BioSegment(buffer, 4096));
                await part.SubmitAndWaitAsync(single);
                single.Reset(BioOp.Write, at + 300, BioFlags.Preflush | BioFlags.Sync, Pid);
                single.AddSegment(new BioSegment(buffer, 4096));
                await part.SubmitAndWaitAsync(single);
                single.Reset(BioOp.Discard, 450_000, BioFlags.None, Pid); // split in three
                single.SectorCount = 3000;
                await part.SubmitAndWaitAsync(single);
                single.Reset(BioOp.Flush, 0, BioFlags.None, Pid);
                await part.SubmitAndWaitAsync(single);

                if (round >= WarmUp && (round - WarmUp) % Window == Window - 1)
                {
                    meter.End();
                    bios = h.Queue.Statistics.BiosQueued - queued;
                }
            }
        });

        Assert.Equal(2500, bios);
        Assert.True(h.Queue.Statistics.Splits > 0 && h.Queue.Statistics.BusyAnswers > 0 && h.Queue.Statistics.Requeues > 0);
        Assert.True(h.Queue.Statistics.BackMerges > 0 && h.Queue.Statistics.FlushesIssued > 0);
        Assert.Equal(Windows, meter.Windows);
        Assert.Equal(0, meter.Least);
    }
}
