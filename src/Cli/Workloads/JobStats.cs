namespace Hardware.Cli.Workloads;

/// <summary>What one job's clones measured together (fio's group reporting of a job's numjobs clones).</summary>
public sealed class JobStats
{
    private readonly DirectionLog _read = new();
    private readonly DirectionLog _write = new();

    public JobStats(JobSpec spec, int groupId)
    {
        Spec = spec;
        GroupId = groupId;
    }

    public JobSpec Spec { get; }

    /// <summary>fio's groupid: the number of stonewalls before the job.</summary>
    public int GroupId { get; }

    /// <summary>The longest clone's measured time (from the end of ramp_time to its last completion).</summary>
    public long RuntimeNs { get; private set; }

    public long Errors { get; private set; }

    public string? FirstError { get; private set; }

    public int FirstErrno { get; private set; }

    private readonly LatencyLog _sync = new();

    public void RecordSync(long latencyNs) => _sync.Add(latencyNs);

    /// <summary>Records one counted I/O; <paramref name="slatNs"/> is null for synchronous engines (fio reports no slat there).</summary>
    public void Record(bool isRead, int bytes, long? slatNs, long clatNs)
    {
        DirectionLog log = isRead ? _read : _write;
        log.Bytes += bytes;
        log.Ios++;
        if (slatNs is { } slat)
            log.Slat.Add(slat);
        log.Clat.Add(clatNs);
        log.Lat.Add((slatNs ?? 0) + clatNs);
    }

    public void RecordRuntime(long runtimeNs) => RuntimeNs = Math.Max(RuntimeNs, runtimeNs);

    public void RecordError(string message, int errno)
    {
        Errors++;
        if (FirstError is null)
        {
            FirstError = message;
            FirstErrno = errno;
        }
    }

    public JobResult ToResult() => new()
    {
        Name = Spec.Name,
        Spec = Spec,
        Read = _read.Summarise(RuntimeNs),
        Write = _write.Summarise(RuntimeNs),
        Errors = Errors,
        FirstError = FirstError,
        FirstErrno = FirstErrno,
        Sync = _sync.Summarise(percentiles: false),
        GroupId = GroupId,
    };

    private sealed class DirectionLog
    {
        public long Bytes;
        public long Ios;
        public readonly LatencyLog Slat = new();
        public readonly LatencyLog Clat = new();
        public readonly LatencyLog Lat = new();

        /// <summary>fio's figures: bw_bytes and iops over the runtime; a direction without I/O has runtime 0, as fio prints it.</summary>
        public DirectionStats Summarise(long runtimeNs)
        {
            bool any = Ios > 0 && runtimeNs > 0;
            double seconds = runtimeNs / 1e9;
            return new DirectionStats
            {
                IoBytes = Bytes,
                BandwidthBytes = any ? (long)(Bytes / seconds) : 0,
                Iops = any ? Ios / seconds : 0,
                RuntimeMs = Ios > 0 ? (runtimeNs + 500_000) / 1_000_000 : 0,
                TotalIos = Ios,
                Slat = Slat.Summarise(percentiles: false),
                Clat = Clat.Summarise(),
                Lat = Lat.Summarise(),
            };
        }
    }
}
