using Hardware.BlockLayer.Tracing;

namespace Hardware.BlockLayer.Tests.Tracing;

/// <summary>
/// The events a request queue emits for a fixed workload on sda (8,0), with fixed latencies so btt's figures are
/// known in advance. Three processes:
/// <list type="bullet">
/// <item>seq-reader: 10 plugged batches of 5 contiguous 4 KiB reads (one request, 4 back merges each); the first
/// batch is read-ahead, the rest sync.</item>
/// <item>rand-reader: 25 plugged batches of 2 reads: 24 far apart (two requests, unplug depth 2), one where the
/// second read ends where the first starts (a front merge); one batch is metadata; one request fails with EIO.</item>
/// <item>journal-writer: 10 plugged batches of 5 sync writes (9 fully merged; the last has 3 merged writes, a FUA
/// write and a preflush+FUA write), an empty flush after every second batch, one request requeued once, and a
/// final 1 MiB discard.</item>
/// </list>
/// Every request is issued <see cref="InsertToIssue"/> after its batch and spends <see cref="ServiceTime"/> at the
/// device; the requeued one fails after <see cref="ServiceTime"/>, is reissued <see cref="RequeueDelay"/> later and
/// then completes after another <see cref="ServiceTime"/>. Completions and requeues run in interrupt context (pid 0).
/// </summary>
internal sealed class SyntheticBlockWorkload
{
    public const long Start = 3_000_000;
    public const long InsertToIssue = 20_000;
    public const long ServiceTime = 1_000_000;
    public const long RequeueDelay = 10_000;
    public const int SeqReader = 1201;
    public const int RandReader = 1202;
    public const int JournalWriter = 1203;
    public const int Flushes = 5;
    public const int RequeuedBios = 5;

    public static readonly uint Device = BlktraceDevice.Make(8, 0);

    public static readonly IReadOnlyList<(int Pid, string Name)> Processes =
        [(SeqReader, "seq-reader"), (RandReader, "rand-reader"), (JournalWriter, "journal-writer")];

    private readonly List<(long Time, int Order, BlockTraceEvent Event)> _timeline = [];

    public SyntheticBlockWorkload()
    {
        for (int batch = 0; batch < 10; batch++)
        {
            BioFlags flags = batch == 0 ? BioFlags.ReadAhead : BioFlags.Sync;
            long sector = 100_000 + batch * 40;
            Plugged(Start + batch * 2_000_000, SeqReader,
                Enumerable.Range(0, 5).Select(i => new BioSpec(BioOp.Read, flags, sector + i * 8, 8)).ToArray());
        }

        for (int batch = 0; batch < 25; batch++)
        {
            long time = Start + 300_000 + batch * 800_000;
            BioFlags flags = batch == 7 ? BioFlags.Meta | BioFlags.Sync : BioFlags.Sync;
            long first = 500_000 + (batch * 7919 % 1000) * 64;
            BioSpec[] bios = batch == 12
                ? [new(BioOp.Read, flags, first, 8), new(BioOp.Read, flags, first - 8, 8)]
                : [new(BioOp.Read, flags, first, 8), new(BioOp.Read, flags, first + 100_000, 8)];
            Plugged(time, RandReader, bios, failFirstRequest: batch == 20);
        }

        for (int batch = 0; batch < 10; batch++)
        {
            long time = Start + 550_000 + batch * 2_000_000;
            long sector = 2_000_000 + batch * 64;
            BioSpec[] bios = batch < 9
                ? Enumerable.Range(0, 5).Select(i => new BioSpec(BioOp.Write, BioFlags.Sync, sector + i * 8, 8)).ToArray()
                :
                [
                    new(BioOp.Write, BioFlags.Sync, sector, 8), new(BioOp.Write, BioFlags.Sync, sector + 8, 8),
                    new(BioOp.Write, BioFlags.Sync, sector + 16, 8),
                    new(BioOp.Write, BioFlags.Sync | BioFlags.Fua, 3_000_000, 8),
                    new(BioOp.Write, BioFlags.Sync | BioFlags.Preflush | BioFlags.Fua, 3_000_100, 8),
                ];
            Plugged(time, JournalWriter, bios, requeueFirstRequest: batch == 3);
            if (batch % 2 == 1)
                Unplugged(time + 1_500_000, JournalWriter, new BioSpec(BioOp.Flush, BioFlags.None, 0, 0));
        }

        Unplugged(Start + 21_000_000, JournalWriter, new BioSpec(BioOp.Discard, BioFlags.None, 4_000_000, 2048));

        Events = _timeline.OrderBy(t => t.Time).ThenBy(t => t.Order).Select(t => t.Event).ToArray();
    }

    /// <summary>All events in time order.</summary>
    public IReadOnlyList<BlockTraceEvent> Events { get; }

    /// <summary>btt's mean Q2C: every queued bio with data waits for its request's completion.</summary>
    public static double ExpectedMeanQ2CSeconds
    {
        get
        {
            const int bios = 100 + 50 + 1; // btt ignores the empty flushes (no bytes to complete)
            double normal = (InsertToIssue + ServiceTime) * 1e-9;
            double requeued = (InsertToIssue + ServiceTime + RequeueDelay + ServiceTime) * 1e-9;
            return (normal * (bios - RequeuedBios) + requeued * RequeuedBios) / bios;
        }
    }

    /// <summary>Feeds the events to <paramref name="tracer"/>, naming each process just before its first event.</summary>
    public void Replay(IBlockTracer tracer)
    {
        var named = new HashSet<int>();
        foreach (BlockTraceEvent e in Events)
        {
            foreach ((int pid, string name) in Processes)
                if (pid == e.ProcessId && named.Add(pid))
                    tracer.NameProcess(pid, name, e.Time);
            tracer.Trace(e);
        }
    }

    private void Plugged(long time, int pid, BioSpec[] bios, bool failFirstRequest = false, bool requeueFirstRequest = false)
    {
        var requests = new List<RequestSpan>();
        foreach (BioSpec bio in bios)
        {
            Add(time, Bio(BlockTraceAction.Queue, bio, pid));
            RequestSpan? back = requests.Find(r => r.Compatible(bio) && r.End == bio.Sector);
            RequestSpan? front = requests.Find(r => r.Compatible(bio) && bio.Sector + bio.Sectors == r.Sector);
            if (back is not null)
            {
                back.Sectors += bio.Sectors;
                Add(time, Bio(BlockTraceAction.BackMerge, bio, pid));
            }
            else if (front is not null)
            {
                front.Sector = bio.Sector;
                front.Sectors += bio.Sectors;
                Add(time, Bio(BlockTraceAction.FrontMerge, bio, pid));
            }
            else
            {
                Add(time, Bio(BlockTraceAction.GetRequest, bio, pid));
                if (requests.Count == 0)
                    Add(time, new BlockTraceEvent(time, BlockTraceAction.Plug, BioOp.Read, BioFlags.None, 0, 0, pid, Device));
                requests.Add(new RequestSpan(bio));
            }
        }

        Add(time, new BlockTraceEvent(time, BlockTraceAction.UnplugIo, BioOp.Read, BioFlags.None, 0, 0, pid, Device, Depth: requests.Count));
        for (int i = 0; i < requests.Count; i++)
            Issue(time, pid, requests[i], failFirstRequest && i == 0, requeueFirstRequest && i == 0);
    }

    private void Unplugged(long time, int pid, BioSpec bio)
    {
        Add(time, Bio(BlockTraceAction.Queue, bio, pid));
        Add(time, Bio(BlockTraceAction.GetRequest, bio, pid));
        Issue(time, pid, new RequestSpan(bio), fail: false, requeue: false);
    }

    private void Issue(long time, int pid, RequestSpan request, bool fail, bool requeue)
    {
        Add(time, request.Event(BlockTraceAction.Insert, time, pid));
        long issued = time + InsertToIssue;
        Add(issued, request.Event(BlockTraceAction.Issue, issued, pid));
        if (requeue)
        {
            long requeued = issued + ServiceTime;
            Add(requeued, request.Event(BlockTraceAction.Requeue, requeued, 0));
            issued = requeued + RequeueDelay;
            Add(issued, request.Event(BlockTraceAction.Issue, issued, pid));
        }

        long completed = issued + ServiceTime;
        Add(completed, request.Event(BlockTraceAction.Complete, completed, 0, fail ? Errno.EIO : Errno.None));
    }

    private void Add(long time, BlockTraceEvent e) => _timeline.Add((time, _timeline.Count, e with { Time = time }));

    private static BlockTraceEvent Bio(BlockTraceAction action, BioSpec bio, int pid) =>
        new(0, action, bio.Op, bio.Flags, bio.Sector, bio.Sectors * 512, pid, Device);

    private readonly record struct BioSpec(BioOp Op, BioFlags Flags, long Sector, int Sectors);

    private sealed class RequestSpan(BioSpec first)
    {
        public BioOp Op { get; } = first.Op;

        public BioFlags Flags { get; } = first.Flags;

        public long Sector { get; set; } = first.Sector;

        public int Sectors { get; set; } = first.Sectors;

        public long End => Sector + Sectors;

        public bool Compatible(BioSpec bio) => bio.Op == Op && bio.Flags == Flags && Sectors > 0;

        public BlockTraceEvent Event(BlockTraceAction action, long time, int pid, Errno error = Errno.None) =>
            new(time, action, Op, Flags, Sector, Sectors * 512, pid, Device, error);
    }
}
