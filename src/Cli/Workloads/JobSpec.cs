namespace Hardware.Cli.Workloads;

/// <summary>fio's rw= values.</summary>
public enum IoPattern
{
    Read,
    Write,
    RandRead,
    RandWrite,
    ReadWrite,
    RandReadWrite,
}

/// <summary>How a job issues I/O: one synchronous call at a time (psync) or asynchronously up to iodepth (libaio, io_uring).</summary>
public enum IoEngineKind
{
    Sync,
    Async,
}

/// <summary>One bs/bssplit entry: a block size and its share of the I/Os in percent.</summary>
public readonly record struct BlockSizeShare(int Bytes, int Percent);

/// <summary>
/// One fio job after [global] and its own section are merged and validated (sizes in bytes, times in virtual
/// nanoseconds). Defaults are fio's. A job runs <see cref="NumJobs"/> clones, each a simulated process.
/// </summary>
public sealed record JobSpec
{
    public required string Name { get; init; }
    public IoPattern Pattern { get; init; } = IoPattern.Read;
    /// <summary>bs or bssplit; one entry of 4096 bytes at 100 % by default.</summary>
    public IReadOnlyList<BlockSizeShare> BlockSizes { get; init; } = [new BlockSizeShare(4096, 100)];
    /// <summary>rwmixread: the percentage of reads in rw/randrw.</summary>
    public int ReadMixPercent { get; init; } = 50;
    /// <summary>size: the region (or the total file size) the job covers; 0 means the whole device or file.</summary>
    public long Size { get; init; }
    public long Offset { get; init; }
    /// <summary>filesize: the size of each file when nrfiles > 1 (0: size / nrfiles).</summary>
    public long FileSize { get; init; }
    public int NrFiles { get; init; } = 1;
    public int IoDepth { get; init; } = 1;
    public int NumJobs { get; init; } = 1;
    /// <summary>runtime (0: until the size or number_ios is done); with time_based the job repeats until it passes.</summary>
    public long RuntimeNs { get; init; }
    public bool TimeBased { get; init; }
    /// <summary>ramp_time: I/O before this is not counted.</summary>
    public long RampTimeNs { get; init; }
    /// <summary>direct=1: O_DIRECT, bypassing the page cache.</summary>
    public bool Direct { get; init; }
    /// <summary>fsync=N / fdatasync=N: sync after every N writes (0: never).</summary>
    public int FsyncEvery { get; init; }
    public int FdatasyncEvery { get; init; }
    /// <summary>end_fsync=1: a job that writes fsyncs each of its files once its I/O is done (inside its runtime).</summary>
    public bool EndFsync { get; init; }
    /// <summary>fsync_on_close=1: a job that writes fsyncs each file before closing it (here: when the clone ends).</summary>
    public bool FsyncOnClose { get; init; }
    /// <summary>filename: a block device (/dev/sda, /dev/sda1) or a file; null with a directory means job-named files.</summary>
    public string? FileName { get; init; }
    public string? Directory { get; init; }
    public long ThinkTimeNs { get; init; }
    /// <summary>rate_iops (0: unlimited).</summary>
    public int RateIops { get; init; }
    public long StartDelayNs { get; init; }
    public int Loops { get; init; } = 1;
    /// <summary>number_ios (0: no limit).</summary>
    public long NumberIos { get; init; }
    /// <summary>random_distribution: how random offsets are spread over the region (uniform by default).</summary>
    public OffsetDistribution RandomDistribution { get; init; } = OffsetDistribution.Uniform;
    /// <summary>percentage_random: the share of a random job's I/Os at random offsets; the rest continue sequentially.</summary>
    public int PercentageRandom { get; init; } = 100;
    /// <summary>write_lat_log=PREFIX: per-clone PREFIX_lat/_clat/_slat.N.log files (null: none).</summary>
    public string? LatencyLogPrefix { get; init; }
    /// <summary>write_bw_log=PREFIX: per-clone PREFIX_bw.N.log files (null: none).</summary>
    public string? BandwidthLogPrefix { get; init; }
    /// <summary>write_iops_log=PREFIX: per-clone PREFIX_iops.N.log files (null: none).</summary>
    public string? IopsLogPrefix { get; init; }
    /// <summary>log_avg_msec: 0 logs every I/O; otherwise one averaged entry per direction per window of this many ms.</summary>
    public long LogAverageMs { get; init; }
    /// <summary>log_offset=1: each log entry also gives the I/O's offset.</summary>
    public bool LogOffset { get; init; }
    /// <summary>randrepeat/randseed: the seed of the job's random offsets (same seed, same offsets).</summary>
    public ulong RandomSeed { get; init; }
    public IoEngineKind Engine { get; init; } = IoEngineKind.Sync;
    /// <summary>The ioengine= text as written (psync, libaio, io_uring, sync, ...), for reports.</summary>
    public string EngineName { get; init; } = "psync";
    /// <summary>randrepeat=1 (fio's default): the offsets repeat from run to run; 0 mixes the run's seed in.</summary>
    public bool RandomRepeat { get; init; } = true;
    /// <summary>size=N%: the region is this share of the device or file (0: <see cref="Size"/> applies).</summary>
    public int SizePercent { get; init; }
    /// <summary>stonewall: the job starts only when every job before it has finished.</summary>
    public bool Stonewall { get; init; }
    /// <summary>The job file and line of the job's section header, for messages.</summary>
    public string Origin { get; init; } = "";
}
