using BenchmarkDotNet.Attributes;
using Hardware.Emulator.Simulation;
using Hardware.Vfs;

namespace Hardware.Bench;

/// <summary>
/// Buffered 4 KiB writes at random offsets of /dev/sda (1 GiB span, so nearly every write dirties a new page) through
/// the 64 MiB page cache of a booted machine on the `ram` disk: the cache sits above its background threshold, so
/// writes start writeback and are throttled, and each write carries its share of writeback and request allocation.
/// The guard for the writeback walk (it once copied and sorted the whole page index on every pass).
/// </summary>
[MemoryDiagnoser]
public class WritebackBenchmarks
{
    private const int Batch = 1024;
    private const long SpanPages = (1L << 30) / 4096;

    private BenchMachine _machine = null!;
    private SimRandom _random = null!;
    private readonly byte[] _buffer = new byte[4096];
    private int _fd;

    [GlobalSetup]
    public void Setup()
    {
        _machine = new BenchMachine();
        _fd = _machine.Open("/dev/sda", OpenFlags.ReadWrite);
        _random = _machine.Simulation.CreateRandom("writeback");
        // Fill the cache past its thresholds so every measured batch runs in steady writeback.
        for (int i = 0; i < 24; i++)
            RandomWrites();
    }

    [GlobalCleanup]
    public void Cleanup() => _machine.Dispose();

    [Benchmark(OperationsPerInvoke = Batch)]
    public void RandomWrites() => _machine.Simulation.RunUntilComplete(WriteLoop());

    private async Task WriteLoop()
    {
        for (int i = 0; i < Batch; i++)
        {
            VfsResult<int> written = await _machine.Calls.PwriteAsync(_machine.Root, _fd, _buffer, _random.NextInt64(SpanPages) * 4096);
            if (!written.Ok || written.Value != _buffer.Length)
                throw new InvalidOperationException($"pwrite failed: {written}");
        }
    }
}
