namespace Hardware.BlockLayer.Tests.Schedulers.Harness;

/// <summary>The device and bookkeeping an <see cref="ElevatorHarness"/> builds.</summary>
public sealed record HarnessOptions
{
    /// <summary>About 500 GiB of 512-byte sectors.</summary>
    public long CapacitySectors { get; init; } = 1L << 30;

    public bool Rotational { get; init; } = true;

    public int QueueDepth { get; init; } = 32;

    public int Channels { get; init; } = 1;

    /// <summary>Service times; a <see cref="RotationalModel"/> over the capacity when null.</summary>
    public IServiceTimeModel? Model { get; init; }

    public long InitialHead { get; init; }

    /// <summary>Textbook mode: the head rests on the start of the last request (a cylinder), not past its end.</summary>
    public bool HeadOnRequestStart { get; init; }

    /// <summary>
    /// Check every insert and dispatch: nothing dispatched that is not held, nothing twice, HasPending truthful.
    /// Off for allocation measurements (the checks use a hash set).
    /// </summary>
    public bool Track { get; init; } = true;

    /// <summary>Keep the order of dispatches (sector, process, operation).</summary>
    public bool RecordDispatches { get; init; }

    public ulong Seed { get; init; } = 1;
}
