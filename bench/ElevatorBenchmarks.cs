using BenchmarkDotNet.Attributes;
using Hardware.BlockLayer;
using Hardware.BlockLayer.Schedulers;

namespace Hardware.Bench;

/// <summary>
/// One scheduler alone, without a disk: <see cref="Depth"/> requests from eight processes at scattered sectors are
/// inserted, then dispatched and completed one by one until the scheduler is empty. The figure is per request
/// (one insert, one dispatch, one completion). A scheduler that holds back (idling, throttling) is let run at the
/// time it asked for, as the queue's timer would (or a millisecond later when it asked for none).
/// </summary>
[MemoryDiagnoser]
public class ElevatorBenchmarks
{
    private Request[] _requests = null!;
    private IElevator _elevator = null!;
    private BenchElevatorQueue _queue = null!;
    private long _sector;

    [ParamsSource(nameof(Schedulers))]
    public string Scheduler { get; set; } = "none";

    public static IEnumerable<string> Schedulers =>
        QuickCheck.Schedulers("none", "mq-deadline", "bfq", "kyber", "sstf", "scan", "c-scan", "look", "c-look");

    [Params(32, 1024)]
    public int Depth { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        if (!ElevatorRegistry.TryCreate(Scheduler, out IElevator? elevator, out string error))
            throw new InvalidOperationException(error);
        _elevator = elevator!;
        _queue = new BenchElevatorQueue(capacitySectors: 1L << 31, queueDepth: 32);
        _elevator.Attach(_queue);
        _requests = new Request[Depth];
        for (int i = 0; i < Depth; i++)
            _requests[i] = new Request();
        InsertAndDispatch();
        InsertAndDispatch();
    }

    [Benchmark(OperationsPerInvoke = 1024)]
    public void InsertAndDispatch()
    {
        // Always 1024 requests per invocation: depth 32 runs 32 rounds, depth 1024 one.
        for (int round = 0; round < 1024 / _requests.Length; round++)
            Round();
    }

    private void Round()
    {
        Request[] requests = _requests;
        for (int i = 0; i < requests.Length; i++)
        {
            Request r = requests[i];
            // A multiplicative scatter over the first 1 TiB, 8 sectors each, reads and writes from eight processes.
            _sector = (_sector * 6364136223846793005L + 1442695040888963407L) & long.MaxValue;
            r.Op = (i & 3) == 0 ? BioOp.Write : BioOp.Read;
            r.Flags = r.Op == BioOp.Read ? BioFlags.Sync : BioFlags.None;
            r.Sector = (_sector >> 20) % (1L << 31) & ~7L;
            r.SectorCount = 8;
            r.ProcessId = 1 + (i & 7);
            r.BioCount = 1;
            r.SegmentCount = 1;
            r.StartTime = _queue.Now;
            r.InsertTime = _queue.Now;
            r.Tag = -1;
            _elevator.Insert(r, atHead: false);
        }
        int dispatched = 0;
        long stalls = 0;
        while (dispatched < requests.Length)
        {
            Request? next = _elevator.Dispatch();
            if (next is null)
            {
                // A run asked for earlier may already be armed (bfq asks once per idle window): let a millisecond pass.
                if (!_queue.AdvanceToRun())
                    _queue.Advance(1_000_000);
                if (++stalls > 1_000_000)
                    throw new InvalidOperationException($"{_elevator.Name} holds {requests.Length - dispatched} requests and releases none");
                continue;
            }
            _queue.Issue(next);
            _queue.Advance(1_000);
            _queue.Complete(next);
            _elevator.Completed(next);
            dispatched++;
        }
    }

    /// <summary>The queue side: a clock that the benchmark advances, and in-flight counts.</summary>
    private sealed class BenchElevatorQueue(long capacitySectors, int queueDepth) : IElevatorQueue
    {
        private long _runAt = -1;

        public long Now { get; private set; } = 1_000_000;

        public long CapacitySectors { get; } = capacitySectors;

        public bool Rotational => true;

        public int InFlight { get; private set; }

        public int InFlightReads { get; private set; }

        public int InFlightWrites { get; private set; }

        public int QueueDepth { get; } = queueDepth;

        public long HeadPosition { get; private set; }

        public void RunAt(long time)
        {
            if (_runAt < 0 || time < _runAt)
                _runAt = time;
        }

        public void Advance(long nanoseconds) => Now += nanoseconds;

        /// <summary>Moves the clock to the earliest run asked for; false if none was.</summary>
        public bool AdvanceToRun()
        {
            if (_runAt < 0)
                return false;
            Now = Math.Max(Now, _runAt) + 1;
            _runAt = -1;
            return true;
        }

        public void Issue(Request request)
        {
            InFlight++;
            if (request.IsRead)
                InFlightReads++;
            else
                InFlightWrites++;
            HeadPosition = request.EndSector;
        }

        public void Complete(Request request)
        {
            InFlight--;
            if (request.IsRead)
                InFlightReads--;
            else
                InFlightWrites--;
        }
    }
}
