namespace Hardware.BlockLayer.Drivers.Ahci;

/// <summary>What one port's driver has done so far: the normal path and every step of error handling.</summary>
public sealed class AhciPortStatistics
{
    /// <summary>ATA commands written to the command list for requests (every step of a request counts).</summary>
    public long CommandsIssued { get; internal set; }

    /// <summary>Of those, READ/WRITE FPDMA QUEUED.</summary>
    public long QueuedCommandsIssued { get; internal set; }

    /// <summary>Requests completed with success.</summary>
    public long RequestsCompleted { get; internal set; }

    /// <summary>Times the driver said "not now" (a non-queued command with NCQ commands outstanding, or the reverse).</summary>
    public long Deferrals { get; internal set; }

    /// <summary>Requests taken while error handling ran, issued once it finished.</summary>
    public long RequestsParked { get; internal set; }

    /// <summary>Error handler runs, whatever started them.</summary>
    public long Recoveries { get; internal set; }

    /// <summary>Error interrupts (TFES, HBFS, HBDS, IFS, INFS, OFS, link changes) that started a recovery.</summary>
    public long ErrorInterrupts { get; internal set; }

    /// <summary>Request timeouts reported by the queue that started a recovery.</summary>
    public long Timeouts { get; internal set; }

    /// <summary>READ LOG EXT 10h reads that named the failed NCQ command.</summary>
    public long NcqErrorLogReads { get; internal set; }

    /// <summary>COMRESETs issued by error handling.</summary>
    public long ComResets { get; internal set; }

    /// <summary>Requests blamed for an error and issued again (a try used).</summary>
    public long RequestsRetried { get; internal set; }

    /// <summary>Requests aborted by another command's error and issued again (no try used).</summary>
    public long RequestsRequeued { get; internal set; }

    /// <summary>Requests completed with an error after recovery gave up or did not retry.</summary>
    public long RequestsFailed { get; internal set; }

    /// <summary>Failures the device reported as media or address errors (UNC, IDNF): never retried.</summary>
    public long MediaErrors { get; internal set; }

    /// <summary>Failures the device reported as a device fault (Status.DF): never retried.</summary>
    public long DeviceFaults { get; internal set; }

    /// <summary>Every counter by name, for reports.</summary>
    public IReadOnlyList<KeyValuePair<string, long>> ToList() =>
    [
        new(nameof(CommandsIssued), CommandsIssued),
        new(nameof(QueuedCommandsIssued), QueuedCommandsIssued),
        new(nameof(RequestsCompleted), RequestsCompleted),
        new(nameof(Deferrals), Deferrals),
        new(nameof(RequestsParked), RequestsParked),
        new(nameof(Recoveries), Recoveries),
        new(nameof(ErrorInterrupts), ErrorInterrupts),
        new(nameof(Timeouts), Timeouts),
        new(nameof(NcqErrorLogReads), NcqErrorLogReads),
        new(nameof(ComResets), ComResets),
        new(nameof(RequestsRetried), RequestsRetried),
        new(nameof(RequestsRequeued), RequestsRequeued),
        new(nameof(RequestsFailed), RequestsFailed),
        new(nameof(MediaErrors), MediaErrors),
        new(nameof(DeviceFaults), DeviceFaults),
    ];
}
