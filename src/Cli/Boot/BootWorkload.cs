using Hardware.BlockLayer;
using Hardware.Emulator.Machine;
using Hardware.Emulator.Platform;
using Hardware.Emulator.Simulation;

namespace Hardware.Cli.Boot;

/// <summary>
/// A short, fixed I/O pattern run on the raw disk right after boot, through the block layer (request queue,
/// elevator, AHCI driver): sequential reads, random reads at queue depth 1 and 32, random writes then a cache
/// flush. Each worker is a process that waits for its bio, so the queue depth is the number of workers.
/// </summary>
public sealed class BootWorkload
{
    private const int SectorSize = 512;
    private const int SmallIo = 4096;
    private const int LargeIo = 256 * 1024;

    private readonly PlatformServices _platform;
    private readonly BlockDevice _disk;
    private readonly SimRandom _random;
    private readonly long _capacitySectors;

    public BootWorkload(PlatformServices platform, BlockDevice disk)
    {
        _platform = platform;
        _disk = disk;
        _random = platform.Simulation.CreateRandom("boot-workload");
        _capacitySectors = disk.CapacitySectors;
    }

    public async Task<IReadOnlyList<BootPatternResult>> RunAsync(int scale = 1)
    {
        var results = new List<BootPatternResult>
        {
            await RunAsync("seq read 256K", write: false, LargeIo, queueDepth: 1, ios: 128 * scale, sequential: true),
            await RunAsync("rand read 4K", write: false, SmallIo, queueDepth: 1, ios: 200 * scale, sequential: false),
            await RunAsync("rand read 4K", write: false, SmallIo, queueDepth: Math.Min(32, _disk.Limits.QueueDepth), ios: 2000 * scale, sequential: false),
            await RunAsync("rand write 4K", write: true, SmallIo, queueDepth: 1, ios: 200 * scale, sequential: false),
        };
        return results;
    }

    private async Task<BootPatternResult> RunAsync(string name, bool write, int ioBytes, int queueDepth, int ios, bool sequential)
    {
        int framesPerIo = ioBytes / PageFrame.Size;
        var buffers = new PageFrame[queueDepth];
        for (int i = 0; i < queueDepth; i++)
            buffers[i] = _platform.Frames.AllocateContiguous(framesPerIo);

        long start = _platform.Simulation.Now;
        long issued = 0;
        long nextSequentialLba = 0;
        long totalLatency = 0;
        long maxLatency = 0;
        int errors = 0;
        int sectors = ioBytes / SectorSize;

        async Task Worker(int index)
        {
            var bio = new Bio(_platform.Simulation);
            int processId = index + 1;
            if (write)
                _platform.Memory.GetSpan(buffers[index].Address, ioBytes).Fill((byte)(0xA0 + index));
            while (issued < ios)
            {
                issued++;
                long lba;
                if (sequential)
                {
                    lba = nextSequentialLba;
                    nextSequentialLba += sectors;
                }
                else
                {
                    lba = _random.NextInt64(_capacitySectors / sectors) * sectors;
                }
                long begin = _platform.Simulation.Now;
                bio.Reset(write ? BioOp.Write : BioOp.Read, lba, BioFlags.Sync, processId);
                bio.AddSegment(new BioSegment(buffers[index].Address, ioBytes));
                Errno status = await _disk.SubmitAndWaitAsync(bio);
                long latency = _platform.Simulation.Now - begin;
                totalLatency += latency;
                maxLatency = Math.Max(maxLatency, latency);
                if (status != Errno.None)
                    errors++;
            }
        }

        var workers = new Task[queueDepth];
        for (int i = 0; i < queueDepth; i++)
            workers[i] = Worker(i);
        await Task.WhenAll(workers);
        if (write)
        {
            var flush = new Bio(_platform.Simulation);
            flush.Reset(BioOp.Flush, 0, BioFlags.Sync);
            if (await _disk.SubmitAndWaitAsync(flush) != Errno.None)
                errors++;
        }
        long elapsed = _platform.Simulation.Now - start;

        foreach (PageFrame buffer in buffers)
            _platform.Frames.Free(buffer, framesPerIo);
        return new BootPatternResult(name, queueDepth, ios, (long)ios * ioBytes, elapsed, totalLatency / (double)ios, maxLatency, errors);
    }
}
