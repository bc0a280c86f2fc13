using Hardware.Cli.Commands;

namespace Hardware.Cli.Workloads.Fio;

/// <summary>
/// Turns one job's options ([global] ones first, then its own, later ones winning) into a validated
/// <see cref="JobSpec"/> with fio's meanings and defaults. Every error names the file, the line and the option.
/// </summary>
public static class JobOptionReader
{
    /// <summary>Options hwstack interprets; everything else is refused by name.</summary>
    public static readonly IReadOnlyList<string> Supported =
    [
        "name", "description", "rw", "readwrite", "rwmixread", "rwmixwrite", "bs", "blocksize", "bssplit", "size",
        "offset", "filesize", "nrfiles", "iodepth", "numjobs", "runtime", "time_based", "ramp_time", "direct", "buffered",
        "fsync", "fdatasync", "filename", "directory", "thinktime", "rate_iops", "startdelay", "loops", "number_ios",
        "randrepeat", "randseed", "ioengine", "group_reporting", "stonewall", "wait_for_previous", "kb_base", "norandommap",
        "end_fsync", "fsync_on_close", "random_distribution", "percentage_random",
        "write_lat_log", "write_bw_log", "write_iops_log", "log_avg_msec", "log_offset",
    ];

    private static readonly HashSet<string> Known = [.. Supported];

    private static readonly HashSet<string> Flags =
        ["time_based", "direct", "buffered", "group_reporting", "stonewall", "wait_for_previous", "randrepeat", "norandommap", "end_fsync", "fsync_on_close",
         "write_lat_log", "write_bw_log", "write_iops_log", "log_offset"];

    /// <summary>fio's synchronous engines (one I/O at a time per job: iodepth is 1 whatever it says).</summary>
    public static readonly IReadOnlyList<string> SyncEngines = ["psync", "sync", "pvsync", "pvsync2", "vsync"];

    /// <summary>fio's asynchronous engines (iodepth I/Os in flight).</summary>
    public static readonly IReadOnlyList<string> AsyncEngines = ["libaio", "io_uring", "posixaio"];

    public const int MaxBlockSize = 64 << 20;
    public const int MaxIoDepth = 4096;
    public const int MaxNumJobs = 1024;

    public static void CheckKnown(string fileName, JobOption option)
    {
        if (!Known.Contains(option.Name))
            throw new CliException($"{fileName}:{option.Line}: option '{option.Name}' is not supported by hwstack run (see docs/job-files.md)");
        if (option.Value is null && !Flags.Contains(option.Name))
            throw new CliException($"{fileName}:{option.Line}: option '{option.Name}' needs a value ({option.Name}=...)");
    }

    public static JobSpec Read(string fileName, string section, int sectionLine, IReadOnlyList<JobOption> options, int jobIndex)
    {
        int kbBase = 1024;
        foreach (JobOption option in options.Where(o => o.Name == "kb_base"))
        {
            kbBase = (int)Integer(fileName, option, 0, int.MaxValue);
            if (kbBase is not (1000 or 1024))
                throw Bad(fileName, option, "must be 1000 or 1024");
        }

        var spec = new JobSpec { Name = section, Origin = $"{fileName}:{sectionLine}", RandomSeed = DefaultSeed };
        bool seedGiven = false;
        foreach (JobOption option in options)
        {
            string value = option.Value ?? "1";
            seedGiven |= option.Name == "randseed";
            spec = option.Name switch
            {
                "name" => spec with { Name = NonEmpty(fileName, option, value) },
                "description" or "kb_base" or "group_reporting" or "norandommap" => spec,
                "rw" or "readwrite" => spec with { Pattern = Pattern(fileName, option, value) },
                "rwmixread" => spec with { ReadMixPercent = (int)Integer(fileName, option, 0, 100) },
                "rwmixwrite" => spec with { ReadMixPercent = 100 - (int)Integer(fileName, option, 0, 100) },
                "bs" or "blocksize" => spec with { BlockSizes = [new BlockSizeShare(BlockSize(fileName, option, value, kbBase), 100)] },
                "bssplit" => spec with { BlockSizes = BlockSplit(fileName, option, value, kbBase) },
                "size" => value.EndsWith('%')
                    ? spec with { SizePercent = Percent(fileName, option, value), Size = 0 }
                    : spec with { Size = Size(fileName, option, value, kbBase, min: 1), SizePercent = 0 },
                "offset" => spec with { Offset = Size(fileName, option, value, kbBase, min: 0) },
                "filesize" => spec with { FileSize = Size(fileName, option, value, kbBase, min: 1) },
                "nrfiles" => spec with { NrFiles = (int)Integer(fileName, option, 1, 4096) },
                "iodepth" => spec with { IoDepth = (int)Integer(fileName, option, 1, MaxIoDepth) },
                "numjobs" => spec with { NumJobs = (int)Integer(fileName, option, 1, MaxNumJobs) },
                "runtime" => spec with { RuntimeNs = Time(fileName, option, value, FioValues.Second) },
                "time_based" => spec with { TimeBased = Bool(fileName, option, value) },
                "ramp_time" => spec with { RampTimeNs = Time(fileName, option, value, FioValues.Second) },
                "direct" => spec with { Direct = Bool(fileName, option, value) },
                "buffered" => spec with { Direct = !Bool(fileName, option, value) },
                "fsync" => spec with { FsyncEvery = (int)Integer(fileName, option, 0, int.MaxValue) },
                "fdatasync" => spec with { FdatasyncEvery = (int)Integer(fileName, option, 0, int.MaxValue) },
                "end_fsync" => spec with { EndFsync = Bool(fileName, option, value) },
                "fsync_on_close" => spec with { FsyncOnClose = Bool(fileName, option, value) },
                "random_distribution" => spec with { RandomDistribution = Distribution(fileName, option, value) },
                "write_lat_log" => spec with { LatencyLogPrefix = LogPrefix(fileName, option) },
                "write_bw_log" => spec with { BandwidthLogPrefix = LogPrefix(fileName, option) },
                "write_iops_log" => spec with { IopsLogPrefix = LogPrefix(fileName, option) },
                "log_avg_msec" => spec with { LogAverageMs = Integer(fileName, option, 0, int.MaxValue) },
                "log_offset" => spec with { LogOffset = Bool(fileName, option, value) },
                "percentage_random" => spec with { PercentageRandom = (int)Integer(fileName, option, 0, 100, noComma: true) },
                "filename" => spec with { FileName = FileName(fileName, option, value) },
                "directory" => spec with { Directory = Path(fileName, option, value) },
                "thinktime" => spec with { ThinkTimeNs = Time(fileName, option, value, FioValues.Microsecond) },
                "rate_iops" => spec with { RateIops = (int)Integer(fileName, option, 0, 10_000_000, noComma: true) },
                "startdelay" => spec with { StartDelayNs = Time(fileName, option, value, FioValues.Second) },
                "loops" => spec with { Loops = (int)Integer(fileName, option, 1, 1_000_000) },
                "number_ios" => spec with { NumberIos = Integer(fileName, option, 0, long.MaxValue) },
                "randrepeat" => spec with { RandomRepeat = Bool(fileName, option, value) },
                "randseed" => spec with { RandomSeed = (ulong)Integer(fileName, option, 0, long.MaxValue) },
                "ioengine" => Engine(fileName, option, value, spec),
                "stonewall" or "wait_for_previous" => spec with { Stonewall = Bool(fileName, option, value) },
                _ => throw new CliException($"{fileName}:{option.Line}: option '{option.Name}' is not supported by hwstack run"),
            };
        }
        return Validate(fileName, sectionLine, spec, seedGiven);
    }

    /// <summary>The seed of every job's offsets when randseed is not given (a fixed value, so runs repeat).</summary>
    public const ulong DefaultSeed = 0x89;

    private static JobSpec Validate(string fileName, int line, JobSpec spec, bool seedGiven)
    {
        string where = $"{fileName}:{line}: job '{spec.Name}'";
        if (spec.FileName is not null && spec.NrFiles > 1)
            throw new CliException($"{where}: nrfiles={spec.NrFiles} with filename= (a filename names one file; use directory= for several)");
        int smallest = spec.BlockSizes.Min(b => b.Bytes);
        if (spec.Size > 0 && spec.Size < smallest)
            throw new CliException($"{where}: size={spec.Size} is smaller than the block size {smallest}");
        if (spec.TimeBased && spec.RuntimeNs == 0)
            throw new CliException($"{where}: time_based needs runtime= (it would never end)");
        if (spec.FileSize > 0 && spec.FileSize < smallest)
            throw new CliException($"{where}: filesize={spec.FileSize} is smaller than the block size {smallest}");
        // A bare write_*_log names the logs after the job, as fio does.
        spec = spec with
        {
            LatencyLogPrefix = spec.LatencyLogPrefix == "" ? spec.Name : spec.LatencyLogPrefix,
            BandwidthLogPrefix = spec.BandwidthLogPrefix == "" ? spec.Name : spec.BandwidthLogPrefix,
            IopsLogPrefix = spec.IopsLogPrefix == "" ? spec.Name : spec.IopsLogPrefix,
        };
        if (!seedGiven && !spec.RandomRepeat)
            return spec with { RandomSeed = 0 };
        return spec;
    }

    private static CliException Bad(string fileName, JobOption option, string why) =>
        new($"{fileName}:{option.Line}: {option.Name}={option.Value}: {why}");

    private static string NonEmpty(string fileName, JobOption option, string value) =>
        value.Length > 0 && !value.Any(char.IsWhiteSpace) ? value : throw Bad(fileName, option, "must be one word");

    private static long Integer(string fileName, JobOption option, long min, long max, bool noComma = false)
    {
        string value = option.Value ?? "1";
        if (noComma && value.Contains(','))
            throw Bad(fileName, option, "separate read,write values are not supported; give one value");
        long? parsed = FioValues.ParseInteger(value, out string error);
        if (parsed is null)
            throw Bad(fileName, option, error);
        if (parsed < min || parsed > max)
            throw Bad(fileName, option, max == long.MaxValue || max == int.MaxValue ? $"must be at least {min}" : $"must be {min} to {max}");
        return parsed.Value;
    }

    private static bool Bool(string fileName, JobOption option, string value) =>
        FioValues.ParseBool(value, out string error) ?? throw Bad(fileName, option, error);

    private static long Size(string fileName, JobOption option, string value, int kbBase, long min)
    {
        if (value.Contains(',') || value.Contains(':') || value.Contains('-'))
            throw Bad(fileName, option, "ranges and separate read,write values are not supported; give one size");
        long? parsed = FioValues.ParseSize(value, kbBase, out string error);
        if (parsed is null)
            throw Bad(fileName, option, error);
        if (parsed < min)
            throw Bad(fileName, option, $"must be at least {min}");
        return parsed.Value;
    }

    private static int BlockSize(string fileName, JobOption option, string value, int kbBase)
    {
        long bytes = Size(fileName, option, value, kbBase, min: 1);
        if (bytes > MaxBlockSize)
            throw Bad(fileName, option, $"at most {MaxBlockSize >> 20} MiB");
        return (int)bytes;
    }

    private static int Percent(string fileName, JobOption option, string value)
    {
        if (!int.TryParse(value[..^1], out int percent) || percent < 1 || percent > 100)
            throw Bad(fileName, option, "a percentage must be 1% to 100%");
        return percent;
    }

    private static long Time(string fileName, JobOption option, string value, long unit) =>
        FioValues.ParseTime(value, unit, out string error) ?? throw Bad(fileName, option, error);

    /// <summary>bssplit=4k/50:64k/50: sizes with their shares; entries without a share split what is left evenly.</summary>
    private static IReadOnlyList<BlockSizeShare> BlockSplit(string fileName, JobOption option, string value, int kbBase)
    {
        if (value.Contains(','))
            throw Bad(fileName, option, "separate read,write splits are not supported; give one split");
        var sizes = new List<(int Bytes, int? Percent)>();
        foreach (string entry in value.Split(':', StringSplitOptions.TrimEntries))
        {
            string[] parts = entry.Split('/', StringSplitOptions.TrimEntries);
            if (parts.Length > 2 || parts[0].Length == 0)
                throw Bad(fileName, option, $"'{entry}' is not SIZE/PERCENT");
            int bytes = BlockSize(fileName, option with { Value = value }, parts[0], kbBase);
            int? percent = null;
            if (parts.Length == 2)
            {
                if (!int.TryParse(parts[1], out int p) || p < 0 || p > 100)
                    throw Bad(fileName, option, $"'{entry}': the share must be 0 to 100");
                percent = p;
            }
            sizes.Add((bytes, percent));
        }
        int given = sizes.Sum(s => s.Percent ?? 0);
        int open = sizes.Count(s => s.Percent is null);
        if (given > 100 || open == 0 && given != 100)
            throw Bad(fileName, option, $"the shares add up to {given}%, not 100%");
        var shares = new List<BlockSizeShare>();
        int left = 100 - given;
        int opened = 0;
        foreach ((int bytes, int? percent) in sizes)
        {
            int share = percent ?? left / open + (opened++ < left % open ? 1 : 0);
            if (share > 0)
                shares.Add(new BlockSizeShare(bytes, share));
        }
        return shares;
    }

    /// <summary>write_*_log: a file name prefix (may hold a directory); a bare flag is "" until the job's name is known.</summary>
    private static string LogPrefix(string fileName, JobOption option) => option.Value switch
    {
        null => "",
        "" => throw Bad(fileName, option, "needs a file name prefix (or no '=' at all for the job's name)"),
        string prefix when prefix.Contains(',') || prefix.Contains(':') =>
            throw Bad(fileName, option, "one file name prefix, without ',' or ':'"),
        string prefix => prefix,
    };

    private static OffsetDistribution Distribution(string fileName, JobOption option, string value) =>
        OffsetDistribution.Parse(value, out string error) ?? throw Bad(fileName, option, error);

    private static IoPattern Pattern(string fileName, JobOption option, string value)
    {
        if (value.Contains(':'))
            throw Bad(fileName, option, "offset modifiers (rw=...:N) are not supported");
        return value switch
        {
            "read" => IoPattern.Read,
            "write" => IoPattern.Write,
            "randread" => IoPattern.RandRead,
            "randwrite" => IoPattern.RandWrite,
            "rw" or "readwrite" => IoPattern.ReadWrite,
            "randrw" => IoPattern.RandReadWrite,
            _ => throw Bad(fileName, option, "must be read, write, randread, randwrite, rw (readwrite) or randrw"),
        };
    }

    private static string FileName(string fileName, JobOption option, string value)
    {
        if (value.Contains(':'))
            throw Bad(fileName, option, "several files in one filename (a:b) are not supported; use directory= and nrfiles=");
        return Path(fileName, option, value);
    }

    private static string Path(string fileName, JobOption option, string value) =>
        value.Length > 0 ? value : throw Bad(fileName, option, "must not be empty");

    private static JobSpec Engine(string fileName, JobOption option, string value, JobSpec spec)
    {
        if (SyncEngines.Contains(value))
            return spec with { Engine = IoEngineKind.Sync, EngineName = value };
        if (AsyncEngines.Contains(value))
            return spec with { Engine = IoEngineKind.Async, EngineName = value };
        throw Bad(fileName, option, $"engine not supported (synchronous: {string.Join(", ", SyncEngines)}; asynchronous: {string.Join(", ", AsyncEngines)})");
    }
}
