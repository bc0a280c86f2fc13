using System.Globalization;
using Hardware.Cli.Workloads;

namespace Hardware.Cli.Study;

/// <summary>A job in fio's words (rw=randread bs=4k iodepth=8 ...), listing only what differs from fio's defaults.</summary>
public static class JobText
{
    public static string Describe(JobSpec job)
    {
        var parts = new List<string> { $"rw={Rw(job.Pattern)}" };
        parts.Add(job.BlockSizes.Count == 1
            ? $"bs={Size(job.BlockSizes[0].Bytes)}"
            : "bssplit=" + string.Join(':', job.BlockSizes.Select(b => $"{Size(b.Bytes)}/{b.Percent}")));
        if (job.Pattern is IoPattern.ReadWrite or IoPattern.RandReadWrite)
            parts.Add($"rwmixread={job.ReadMixPercent}");
        parts.Add($"ioengine={job.EngineName}");
        if (job.IoDepth != 1)
            parts.Add($"iodepth={job.IoDepth}");
        if (job.NumJobs != 1)
            parts.Add($"numjobs={job.NumJobs}");
        if (job.Direct)
            parts.Add("direct=1");
        if (job.FileName is not null)
            parts.Add($"filename={job.FileName}");
        if (job.Directory is not null)
            parts.Add($"directory={job.Directory}");
        if (job.Size != 0)
            parts.Add($"size={Size(job.Size)}");
        if (job.Offset != 0)
            parts.Add($"offset={Size(job.Offset)}");
        if (job.FsyncEvery != 0)
            parts.Add($"fsync={job.FsyncEvery}");
        if (job.FdatasyncEvery != 0)
            parts.Add($"fdatasync={job.FdatasyncEvery}");
        if (job.RateIops != 0)
            parts.Add($"rate_iops={job.RateIops}");
        if (job.ThinkTimeNs != 0)
            parts.Add($"thinktime={Time(job.ThinkTimeNs)}");
        if (job.StartDelayNs != 0)
            parts.Add($"startdelay={Time(job.StartDelayNs)}");
        if (job.RuntimeNs != 0)
            parts.Add($"runtime={Time(job.RuntimeNs)}");
        if (job.TimeBased)
            parts.Add("time_based");
        if (!job.RandomRepeat)
            parts.Add("randrepeat=0");
        if (job.NumberIos != 0)
            parts.Add($"number_ios={job.NumberIos}");
        return string.Join(' ', parts);
    }

    private static string Rw(IoPattern pattern) => pattern switch
    {
        IoPattern.Read => "read",
        IoPattern.Write => "write",
        IoPattern.RandRead => "randread",
        IoPattern.RandWrite => "randwrite",
        IoPattern.ReadWrite => "rw",
        IoPattern.RandReadWrite => "randrw",
        _ => throw new ArgumentOutOfRangeException(nameof(pattern), pattern, null),
    };

    /// <summary>Bytes with fio's binary suffixes (k = 1024) when exact.</summary>
    public static string Size(long bytes)
    {
        foreach (var (shift, suffix) in new[] { (40, "t"), (30, "g"), (20, "m"), (10, "k") })
            if (bytes != 0 && bytes % (1L << shift) == 0)
                return $"{bytes >> shift}{suffix}";
        return bytes.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Nanoseconds in the largest unit fio accepts that is exact.</summary>
    public static string Time(long ns)
    {
        foreach (var (unit, suffix) in new[] { (1_000_000_000L, "s"), (1_000_000L, "ms"), (1_000L, "us") })
            if (ns % unit == 0)
                return $"{ns / unit}{suffix}";
        return $"{ns}ns";
    }
}
