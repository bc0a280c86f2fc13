using Stopwatch = System.Diagnostics.Stopwatch;
using Hardware.Cli.Workloads;
using Hardware.Emulator.Simulation;
using Hardware.Vfs;
using Hardware.Vfs.Syscalls;

namespace Hardware.Cli.Replay;

/// <summary>
/// Replays a trace's I/Os on an emulated machine in virtual time, as <c>fio --read_iolog</c> or btreplay would on a
/// real one: one simulated process opens the raw disk with O_DIRECT and issues pread/pwrite at the trace's offsets
/// (widened to whole logical blocks). The in-memory disk is made large enough for the trace's highest offset (at
/// least the spec's capacity), so no I/O falls off its end. Writes carry a pattern drawn from the run's seed.
/// Open loop: a dispatcher submits each I/O at its time; lat_ns runs from that scheduled time, slat_ns is how late
/// the submission was (only a depth cap makes it late), clat_ns from submission to completion. Closed loop: depth
/// tasks of the process each issue the next I/O in trace order as soon as their previous one completes.
/// </summary>
public static class ReplayRunner
{
    public const int ProcessId = WorkloadRunner.FirstProcessId;

    private const long CapacityGranule = 1L << 20;

    public static ReplayResult Run(MachineSpec machine, IReadOnlyList<TraceIo> ios, ReplayOptions options, IWorkloadObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(machine);
        ArgumentNullException.ThrowIfNull(ios);
        ArgumentNullException.ThrowIfNull(options);
        if (ios.Count == 0)
            throw new ArgumentException("no I/O to replay", nameof(ios));
        if (!(options.Speed > 0) || double.IsInfinity(options.Speed))
            throw new ArgumentOutOfRangeException(nameof(options), $"speed {options.Speed} is not a positive number");
        if (options.Depth < (options.Mode == ReplayMode.Closed ? 1 : 0))
            throw new ArgumentOutOfRangeException(nameof(options), $"depth {options.Depth} is too small for {options.Mode} loop");

        var wall = Stopwatch.StartNew();
        MachineSpec sized = machine with { FileSystem = FileSystemKind.None, CapacityBytes = Math.Max(machine.CapacityBytes, CapacityFor(ios)) };
        using WorkloadStack stack = WorkloadStack.Boot(sized, observer);
        var replay = new Replayer(stack, ios, options, JobFor(ios, options, stack.Disk.Name));
        observer?.Tracer?.NameProcess(ProcessId, options.Name, stack.Simulation.Now);
        long start = stack.Simulation.Now;
        long eventsBefore = stack.Simulation.EventsFired;
        stack.Tracing = true;
        stack.Run(replay.RunAsync);
        stack.Tracing = false;
        long end = stack.Simulation.Now;
        long events = stack.Simulation.EventsFired - eventsBefore;
        JobResult job = replay.Stats.ToResult();
        if (options.Mode == ReplayMode.Open)
            job = job with { Spec = job.Spec with { IoDepth = Math.Max(1, replay.PeakInFlight) } };
        wall.Stop();
        return new ReplayResult
        {
            Workload = new WorkloadResult
            {
                Jobs = [job],
                Device = sized.Device,
                Scheduler = sized.Scheduler,
                VirtualSeconds = (end - start) / 1e9,
                WallSeconds = wall.Elapsed.TotalSeconds,
                Events = events,
            },
            Options = options,
            Ios = replay.Completed,
            TraceSpanNs = ios[^1].TimestampNs - ios[0].TimestampNs,
            PeakInFlight = replay.PeakInFlight,
            BehindScheduleMaxNs = replay.BehindMaxNs,
        };
    }

    /// <summary>The disk size that holds every I/O of the trace, rounded up to a mebibyte (a whole number of any logical block).</summary>
    public static long CapacityFor(IReadOnlyList<TraceIo> ios)
    {
        long highest = ios.Max(io => io.OffsetBytes + io.Bytes);
        return (highest + CapacityGranule - 1) / CapacityGranule * CapacityGranule;
    }

    /// <summary>
    /// The job the report describes: rw from the mix of reads and writes, bs the trace's most common size, the
    /// closed loop's depth (the open loop's is filled in afterwards with the peak in flight).
    /// </summary>
    private static JobSpec JobFor(IReadOnlyList<TraceIo> ios, ReplayOptions options, string disk)
    {
        bool reads = ios.Any(io => !io.IsWrite);
        bool writes = ios.Any(io => io.IsWrite);
        int commonSize = ios.GroupBy(io => io.Bytes).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key;
        return new JobSpec
        {
            Name = options.Name,
            Pattern = reads && writes ? IoPattern.RandReadWrite : writes ? IoPattern.RandWrite : IoPattern.RandRead,
            ReadMixPercent = (int)(100L * ios.Count(io => !io.IsWrite) / ios.Count),
            BlockSizes = [new BlockSizeShare(commonSize, 100)],
            IoDepth = Math.Max(1, options.Depth),
            Engine = IoEngineKind.Async,
            EngineName = "replay",
            Direct = true,
            FileName = $"/dev/{disk}",
            Origin = options.Name,
        };
    }

    /// <summary>One replay's process and its bookkeeping.</summary>
    private sealed class Replayer
    {
        private readonly WorkloadStack _stack;
        private readonly IReadOnlyList<TraceIo> _ios;
        private readonly ReplayOptions _options;
        private readonly Process _process;
        private readonly byte[] _readBuffer;
        private readonly byte[] _writePattern;
        private readonly int _blockSize;
        private readonly SimCompletion<bool> _slotFreed;
        private int _fd;
        private int _next;
        private int _inFlight;
        private bool _waitingForSlot;
        private bool _stopped;
        private long _start;
        private long _lastCompletion;

        public Replayer(WorkloadStack stack, IReadOnlyList<TraceIo> ios, ReplayOptions options, JobSpec job)
        {
            _stack = stack;
            _ios = ios;
            _options = options;
            _blockSize = stack.Disk.LogicalBlockSize;
            int largest = ios.Max(io => Aligned(io).Bytes);
            _readBuffer = new byte[largest];
            _writePattern = new byte[largest];
            JobTargets.FillRandom(_writePattern, stack.Simulation.CreateRandom($"replay:{options.Name}"));
            _process = stack.Vfs.CreateProcess(ProcessId, Credentials.Root);
            _slotFreed = new SimCompletion<bool>(stack.Simulation);
            Stats = new JobStats(job, 0);
        }

        public JobStats Stats { get; }

        public long Completed { get; private set; }

        public int PeakInFlight { get; private set; }

        public long BehindMaxNs { get; private set; }

        public async Task RunAsync()
        {
            string path = $"/dev/{_stack.Disk.Name}";
            VfsResult<int> opened = await _stack.Calls.OpenAsync(_process, path, OpenFlags.ReadWrite | OpenFlags.Direct);
            if (!opened.Ok)
            {
                Stats.RecordError($"open {path} with O_DIRECT: {opened.Status}", (int)opened.Errno);
                await _stack.Vfs.ExitAsync(_process);
                return;
            }
            _fd = opened.Value;
            _start = _stack.Simulation.Now;
            _lastCompletion = _start;
            if (_options.Mode == ReplayMode.Open)
                await DispatchOpenLoopAsync();
            else
                await Task.WhenAll(Enumerable.Range(0, _options.Depth).Select(_ => RunClosedSlotAsync()).ToArray());
            Stats.RecordRuntime(_lastCompletion - _start);
            await _stack.Vfs.ExitAsync(_process);
        }

        private async Task DispatchOpenLoopAsync()
        {
            Simulation simulation = _stack.Simulation;
            var inFlight = new List<Task>(_ios.Count);
            foreach (TraceIo io in _ios)
            {
                if (_stopped)
                    break;
                long due = _start + (long)(io.TimestampNs / _options.Speed);
                if (due > simulation.Now)
                    await simulation.Delay(due - simulation.Now);
                while (_options.Depth > 0 && _inFlight >= _options.Depth)
                {
                    _slotFreed.Reset();
                    _waitingForSlot = true;
                    await _slotFreed.WaitAsync();
                }
                BehindMaxNs = Math.Max(BehindMaxNs, simulation.Now - due);
                inFlight.Add(IssueAsync(io, due));
            }
            await Task.WhenAll(inFlight);
        }

        private async Task RunClosedSlotAsync()
        {
            while (!_stopped && _next < _ios.Count)
            {
                TraceIo io = _ios[_next++];
                await IssueAsync(io, _stack.Simulation.Now);
            }
        }

        /// <summary>Issues one I/O and records it; <paramref name="scheduledNs"/> is when it was due (lat_ns counts from there).</summary>
        private async Task IssueAsync(TraceIo io, long scheduledNs)
        {
            Simulation simulation = _stack.Simulation;
            SystemCalls calls = _stack.Calls;
            (long offset, int bytes) = Aligned(io);
            _inFlight++;
            PeakInFlight = Math.Max(PeakInFlight, _inFlight);
            long submitted = simulation.Now;
            VfsResult<int> result = io.IsWrite
                ? await calls.PwriteAsync(_process, _fd, _writePattern.AsMemory(0, bytes), offset)
                : await calls.PreadAsync(_process, _fd, _readBuffer.AsMemory(0, bytes), offset);
            long completed = simulation.Now;
            _inFlight--;
            if (_waitingForSlot)
            {
                _waitingForSlot = false;
                _slotFreed.SetResult(true);
            }
            if (!result.Ok)
            {
                if (!_stopped)
                    Stats.RecordError($"{(io.IsWrite ? "pwrite" : "pread")} /dev/{_stack.Disk.Name} at {offset}: {result.Status}", (int)result.Errno);
                _stopped = true;
                return;
            }
            Stats.Record(!io.IsWrite, result.Value, submitted - scheduledNs, completed - submitted);
            _lastCompletion = Math.Max(_lastCompletion, completed);
            Completed++;
        }

        /// <summary>The I/O widened to whole logical blocks, as O_DIRECT requires.</summary>
        private (long Offset, int Bytes) Aligned(TraceIo io)
        {
            long offset = io.OffsetBytes / _blockSize * _blockSize;
            long end = (io.OffsetBytes + io.Bytes + _blockSize - 1) / _blockSize * _blockSize;
            return (offset, (int)(end - offset));
        }
    }
}
