using Hardware.Emulator.Machine;
using Hardware.Emulator.Platform;
using Hardware.Emulator.Simulation;

namespace Hardware.BlockLayer.Tests.Integration;

/// <summary>
/// Simulated processes that each own a region of a partition: they write it with a pattern of their own in
/// 64 KiB bios (some in random order), flush, then read it back in 4 KiB random and 64 KiB sequential reads and
/// compare. Many of them at once give the queue merges, plugging and contention to schedule.
/// </summary>
internal sealed class ProcessWorkload
{
    public const int RegionBytes = 1 << 20;
    private const int WriteBytes = 64 * 1024;
    private const int SmallRead = 4096;

    private readonly StackRig _rig;
    private readonly BlockDevice _device;

    public ProcessWorkload(StackRig rig, BlockDevice device)
    {
        _rig = rig;
        _device = device;
    }

    public List<string> Mismatches { get; } = [];

    public Dictionary<int, List<Errno>> Failures { get; } = [];

    public static byte Pattern(int processId, long offset) => (byte)(processId * 31 + offset / 512 * 7 + offset % 512);

    public static long RegionStart(int processId) => (long)processId * RegionBytes;

    /// <param name="write">False: only read back and check what an earlier run wrote.</param>
    public Task RunAsync(int processes, bool write = true)
    {
        var tasks = new Task[processes];
        for (int p = 0; p < processes; p++)
            tasks[p] = ProcessAsync(p + 1, write);
        return Task.WhenAll(tasks);
    }

    private async Task ProcessAsync(int pid, bool write)
    {
        PlatformServices platform = _rig.Machine.Platform;
        SimRandom random = _rig.Simulation.CreateRandom($"process-{pid}");
        PageFrame buffer = platform.Frames.AllocateContiguous(WriteBytes / PageFrame.Size);
        var bio = new Bio(_rig.Simulation);
        long regionSector = RegionStart(pid) / Bio.SectorSize;

        if (write)
            await WriteRegionAsync(pid, bio, buffer, regionSector, random, platform);

        for (int i = 0; i < 32; i++)
        {
            long offset = random.NextInt64(RegionBytes / SmallRead) * SmallRead;
            await ReadAndCheckAsync(pid, bio, buffer, regionSector, offset, SmallRead, platform);
        }
        for (long offset = 0; offset < RegionBytes; offset += WriteBytes)
            await ReadAndCheckAsync(pid, bio, buffer, regionSector, offset, WriteBytes, platform);
        platform.Frames.Free(buffer, WriteBytes / PageFrame.Size);
    }

    private async Task WriteRegionAsync(int pid, Bio bio, PageFrame buffer, long regionSector, SimRandom random, PlatformServices platform)
    {
        int chunks = RegionBytes / WriteBytes;
        int[] order = Enumerable.Range(0, chunks).ToArray();
        if (pid % 2 == 0)
        {
            for (int i = chunks - 1; i > 0; i--)
            {
                int j = random.NextInt32(i + 1);
                (order[i], order[j]) = (order[j], order[i]);
            }
        }
        foreach (int chunk in order)
        {
            Span<byte> data = platform.Memory.GetSpan(buffer.Address, WriteBytes);
            for (int i = 0; i < WriteBytes; i++)
                data[i] = Pattern(pid, (long)chunk * WriteBytes + i);
            bio.Reset(BioOp.Write, regionSector + chunk * WriteBytes / Bio.SectorSize, BioFlags.None, pid);
            bio.AddSegment(new BioSegment(buffer.Address, WriteBytes));
            Record(pid, await _device.SubmitAndWaitAsync(bio));
        }
        bio.Reset(BioOp.Flush, 0, BioFlags.Sync, pid);
        Record(pid, await _device.SubmitAndWaitAsync(bio));
    }

    private async Task ReadAndCheckAsync(int pid, Bio bio, PageFrame buffer, long regionSector, long offset, int length, PlatformServices platform)
    {
        bio.Reset(BioOp.Read, regionSector + offset / Bio.SectorSize, BioFlags.Sync, pid);
        bio.AddSegment(new BioSegment(buffer.Address, length));
        Errno status = await _device.SubmitAndWaitAsync(bio);
        Record(pid, status);
        if (status != Errno.None)
            return;
        Span<byte> data = platform.Memory.GetSpan(buffer.Address, length);
        for (int i = 0; i < length; i++)
        {
            if (data[i] != Pattern(pid, offset + i))
            {
                Mismatches.Add($"pid {pid}: byte {offset + i} of its region reads {data[i]}, expected {Pattern(pid, offset + i)}");
                return;
            }
        }
    }

    private void Record(int pid, Errno status)
    {
        if (status == Errno.None)
            return;
        if (!Failures.TryGetValue(pid, out List<Errno>? list))
            Failures[pid] = list = [];
        list.Add(status);
    }
}
