using Hardware.Emulator.Media;
using Hardware.Emulator.Simulation;
using Hardware.Testing;

namespace Hardware.Emulator.Tests.Media;

/// <summary>What every media model promises, whatever its mechanism. One small subclass per model.</summary>
public abstract class MediaModelConformanceTests
{
    protected abstract DeviceProfile Profile { get; }

    private IMediaModel NewModel() => MediaModels.Create(Profile);

    [Fact]
    public void Capacity_and_sector_sizes_come_from_the_profile()
    {
        IMediaModel model = NewModel();
        Assert.Equal(Profile.CapacityBytes / Profile.LogicalSectorSize, model.CapacitySectors);
        Assert.Equal(Profile.LogicalSectorSize, model.LogicalSectorSize);
        Assert.Equal(Profile.PhysicalSectorSize, model.PhysicalSectorSize);
        Assert.Equal(Profile, model.Profile);
        Assert.True(model.MaxConcurrentAccesses >= 1);
    }

    [Fact]
    public void An_access_completes_no_earlier_than_it_starts()
    {
        IMediaModel model = NewModel();
        foreach (var (start, operation, lba, count) in Workload(model, seed: 1, count: 400))
            Assert.True(model.Access(start, operation, lba, count) >= start);
    }

    [Fact]
    public void The_same_calls_give_the_same_times()
    {
        IMediaModel first = NewModel(), second = NewModel();
        foreach (var (start, operation, lba, count) in Workload(first, seed: 2, count: 400))
            Assert.Equal(first.Access(start, operation, lba, count), second.Access(start, operation, lba, count));
    }

    [Fact]
    public void Estimating_positioning_changes_nothing()
    {
        IMediaModel estimated = NewModel(), plain = NewModel();
        foreach (var (start, operation, lba, count) in Workload(estimated, seed: 3, count: 400))
        {
            long estimate = estimated.EstimatePositioning(start, operation, lba);
            Assert.True(estimate >= 0);
            Assert.Equal(estimate, estimated.EstimatePositioning(start, operation, lba));
            Assert.Equal(plain.Access(start, operation, lba, count), estimated.Access(start, operation, lba, count));
        }
    }

    [Fact]
    public void Ranges_outside_the_medium_are_rejected_as_caller_bugs()
    {
        IMediaModel model = NewModel();
        long capacity = model.CapacitySectors;
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Access(0, MediaOperation.Read, capacity, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Access(0, MediaOperation.Write, capacity - 4, 8));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Access(0, MediaOperation.Read, -1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Access(0, MediaOperation.Read, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.EstimatePositioning(0, MediaOperation.Read, capacity));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Trim(capacity - 1, 2));
        Assert.True(model.Access(0, MediaOperation.Read, capacity - 8, 8) >= 0);
    }

    [Fact]
    public void Accesses_in_steady_state_allocate_nothing()
    {
        IMediaModel model = NewModel();
        List<(long Start, MediaOperation Operation, long Lba, int Count)> calls = Workload(model, seed: 4, count: 2000);
        for (int i = 0; i < 1000; i++) model.Access(calls[i].Start, calls[i].Operation, calls[i].Lba, calls[i].Count);

        int next = 1000;
        long allocated = AllocationMeter.LeastOf(4, () =>
        {
            for (int end = next + 250; next < end; next++)
            {
                var (start, operation, lba, count) = calls[next];
                model.EstimatePositioning(start, operation, lba);
                model.Access(start, operation, lba, count);
            }
        });
        Assert.Equal(calls.Count, next);
        Assert.Equal(0, allocated);
    }

    /// <summary>Mixed reads and writes of 1-256 sectors arriving every 0-2 ms, some sequential runs.</summary>
    private static List<(long Start, MediaOperation Operation, long Lba, int Count)> Workload(IMediaModel model, ulong seed, int count)
    {
        var random = new SimRandom(seed);
        var calls = new List<(long, MediaOperation, long, int)>();
        long time = 0, lba = 0;
        for (int i = 0; i < count; i++)
        {
            time += random.NextInt64(2 * SimTime.Millisecond);
            int sectors = 1 + random.NextInt32(256);
            lba = random.NextInt32(4) == 0 ? lba : random.NextInt64(model.CapacitySectors - sectors);
            lba = Math.Min(lba, model.CapacitySectors - sectors);
            var operation = random.NextInt32(3) == 0 ? MediaOperation.Write : MediaOperation.Read;
            calls.Add((time, operation, lba, sectors));
            lba += sectors;
        }
        return calls;
    }
}

public sealed class HddMediaConformanceTests : MediaModelConformanceTests
{
    protected override DeviceProfile Profile => DevicePresets.Hdd7200;
}

public sealed class SsdMediaConformanceTests : MediaModelConformanceTests
{
    protected override DeviceProfile Profile => DevicePresets.SsdSata;
}

public sealed class RamMediaConformanceTests : MediaModelConformanceTests
{
    protected override DeviceProfile Profile => DevicePresets.Ram with { Ram = new RamParameters { LatencyUs = 3, BandwidthMBps = 2000 } };
}
