using Hardware.Emulator.Media;

namespace Hardware.Emulator.Tests.Media;

public class RamMediaTests
{
    private static IMediaModel NewRam(double latencyUs = 0, double bandwidthMBps = 0) =>
        MediaModels.Create(DevicePresets.Ram with { Ram = new RamParameters { LatencyUs = latencyUs, BandwidthMBps = bandwidthMBps } });

    [Fact]
    public void The_default_RAM_disk_completes_every_access_the_moment_it_starts()
    {
        IMediaModel ram = MediaModels.Create(DevicePresets.Ram);
        Assert.Equal(1234, ram.Access(1234, MediaOperation.Read, 0, 2048));
        Assert.Equal(1234, ram.Access(1234, MediaOperation.Write, 8, 8));
        Assert.Equal(0, ram.EstimatePositioning(1234, MediaOperation.Read, 0));
        Assert.Equal(1, ram.NominalRotationRate);
    }

    [Fact]
    public void A_configured_latency_is_added_to_every_access_whatever_its_size_or_concurrency()
    {
        IMediaModel ram = NewRam(latencyUs: 7.5);
        for (int i = 0; i < 100; i++) Assert.Equal(1000 + 7500, ram.Access(1000, MediaOperation.Read, i * 64, 1 + i));
        Assert.Equal(int.MaxValue, ram.MaxConcurrentAccesses);
    }

    [Fact]
    public void A_configured_bandwidth_is_shared_by_concurrent_accesses()
    {
        IMediaModel ram = NewRam(latencyUs: 1, bandwidthMBps: 1000);
        const int oneMiB = 2048;
        long first = ram.Access(0, MediaOperation.Read, 0, oneMiB);
        long second = ram.Access(0, MediaOperation.Read, oneMiB, oneMiB);
        Assert.Equal(1_048_576 + 1_000, first);
        Assert.Equal(2 * 1_048_576 + 1_000, second);
        Assert.Equal(2 * 1_048_576, ram.EstimatePositioning(0, MediaOperation.Read, 0));
    }
}
