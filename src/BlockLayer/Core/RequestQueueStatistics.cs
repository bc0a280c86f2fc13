namespace Hardware.BlockLayer;

/// <summary>What a <see cref="RequestQueue"/> did, for studies and tests (counters only grow).</summary>
public sealed class RequestQueueStatistics
{
    public long BiosQueued { get; internal set; }

    public long RequestsAllocated { get; internal set; }

    public long BackMerges { get; internal set; }

    public long FrontMerges { get; internal set; }

    /// <summary>Requests merged into a neighbour (at insertion, or after a bio merge closed a gap).</summary>
    public long RequestMerges { get; internal set; }

    /// <summary>Merges the elevator refused through AllowMerge.</summary>
    public long MergesVetoed { get; internal set; }

    public long Splits { get; internal set; }

    public long PlugFlushes { get; internal set; }

    public long Issued { get; internal set; }

    public long Completed { get; internal set; }

    /// <summary>"Not now" answers from the driver.</summary>
    public long BusyAnswers { get; internal set; }

    public long Requeues { get; internal set; }

    /// <summary>Requests completed with EIO because they were requeued more than MaxRequeues times.</summary>
    public long RetriesExhausted { get; internal set; }

    public long Timeouts { get; internal set; }

    /// <summary>Cache flushes issued to the device.</summary>
    public long FlushesIssued { get; internal set; }

    public long SchedulerSwitches { get; internal set; }

    /// <summary>Times a submitter went to sleep because all nr_requests requests existed.</summary>
    public long RequestWaits { get; internal set; }

    public IReadOnlyList<KeyValuePair<string, long>> ToList() =>
    [
        new("bios_queued", BiosQueued), new("requests_allocated", RequestsAllocated), new("back_merges", BackMerges),
        new("front_merges", FrontMerges), new("request_merges", RequestMerges), new("merges_vetoed", MergesVetoed),
        new("splits", Splits), new("plug_flushes", PlugFlushes), new("issued", Issued), new("completed", Completed),
        new("busy_answers", BusyAnswers), new("requeues", Requeues), new("retries_exhausted", RetriesExhausted),
        new("timeouts", Timeouts), new("flushes_issued", FlushesIssued), new("scheduler_switches", SchedulerSwitches),
        new("request_waits", RequestWaits),
    ];
}
