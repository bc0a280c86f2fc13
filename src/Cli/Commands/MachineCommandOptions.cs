using System.CommandLine;

namespace Hardware.Cli.Commands;

/// <summary>The options every command that boots an emulated machine takes, spelled and defaulted the same everywhere.</summary>
public static class MachineCommandOptions
{
    public const string DefaultDevice = "hdd-7200";

    public const string DefaultScheduler = "mq-deadline";

    public static Option<string> Device() => new("--device")
    {
        Description = "Device preset name (see docs/device-models.md) or a device JSON file",
        DefaultValueFactory = _ => DefaultDevice,
    };

    public static Option<string> Scheduler() => new("--scheduler")
    {
        Description = "I/O scheduler by name or with tunables, e.g. mq-deadline:fifo_batch=1 (see docs/schedulers.md)",
        DefaultValueFactory = _ => DefaultScheduler,
    };

    public static Option<int?> NrRequests() => new("--nr-requests")
    {
        Description = "Requests the disk's queue may hold at once (/sys/block/sda/queue/nr_requests; default: twice the host's 32 tags with a scheduler, 32 with none)",
    };

    /// <param name="description">What the seed drives, when the command seeds more than the machine.</param>
    public static Option<ulong> Seed(string description = "Seed of every random stream; the same seed gives the same numbers") =>
        new("--seed") { Description = description, DefaultValueFactory = _ => 1 };
}
