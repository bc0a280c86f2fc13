using Hardware.BlockLayer;
using Hardware.Emulator.Platform;
using Hardware.Testing;

namespace Hardware.Vfs.Tests.DevFs;

/// <summary>
/// The raw-device half of an O_DIRECT read (bio -> request queue -> elevator -> AHCI driver -> emulated HBA and
/// drive -> completion) allocates nothing per I/O in steady state: the target-1 workload's block path.
/// </summary>
public sealed class DirectReadAllocationTests
{
    private const int Windows = 3, ShortReads = 100, LongReads = 500;

    [Fact]
    public void Waited_for_4_KiB_read_bios_on_the_whole_disk_allocate_nothing_in_steady_state()
    {
        using var rig = new DevFsRig("ram", trackRentals: false);
        var bio = new Bio(rig.Machine.Simulation, 2);
        PageFrame frame = rig.Machine.Machine.Frames.AllocateContiguous(1);
        int failures = 0;
        async Task Reads(int count)
        {
            for (int i = 0; i < count; i++)
            {
                bio.Reset(BioOp.Read, (i % 64) * 8L);
                bio.AddSegment(new BioSegment(frame.Address, 4096));
                if (await rig.Disk.SubmitAndWaitAsync(bio) != Errno.None)
                    failures++;
            }
        }

        rig.Machine.Run(() => Reads(200));
        (long shortRun, long longRun) = ShortAndLongRuns(count => rig.Machine.Run(() => Reads(count)));
        rig.Machine.Machine.Frames.Free(frame, 1);

        // Running a simulated process costs the same whatever its length; the extra reads cost nothing.
        Assert.Equal(0, failures);
        Assert.Equal(0, longRun - shortRun);
    }

    [Fact]
    public void O_DIRECT_4_KiB_preads_of_dev_sda_through_the_system_call_allocate_nothing_in_steady_state()
    {
        using var rig = new DevFsRig("ram", trackRentals: false);
        int fd = rig.Open("/dev/sda", OpenFlags.ReadOnly | OpenFlags.Direct);
        var buffer = new byte[4096];
        int failures = 0;
        int waited = 0;
        async Task Reads(int count)
        {
            for (int i = 0; i < count; i++)
            {
                ValueTask<VfsResult<int>> read = rig.Calls.PreadAsync(rig.Root, fd, buffer, (i % 64) * 4096L);
                if (!read.IsCompleted)
                    waited++;
                VfsResult<int> result = await read;
                if (!result.Ok || result.Value != 4096)
                    failures++;
            }
        }

        rig.Machine.Run(() => Reads(200));
        (long shortRun, long longRun) = ShortAndLongRuns(count => rig.Machine.Run(() => Reads(count)));
        rig.Close(fd);

        // Every read went to the device (O_DIRECT bypasses the cache) and the process waited for each.
        Assert.Equal(0, failures);
        Assert.Equal(200 + Windows * (ShortReads + LongReads), waited);
        Assert.Equal(0, longRun - shortRun);
    }

    [Fact]
    public void O_DIRECT_4_KiB_preads_of_dev_sda_with_32_in_flight_allocate_nothing_in_steady_state()
    {
        const int depth = 32;
        using var rig = new DevFsRig("ram", trackRentals: false);
        int fd = rig.Open("/dev/sda", OpenFlags.ReadOnly | OpenFlags.Direct);
        var buffers = new byte[depth][];
        for (int i = 0; i < depth; i++)
            buffers[i] = new byte[4096];
        var inFlight = new ValueTask<VfsResult<int>>[depth];
        int failures = 0;
        async Task Reads(int count)
        {
            for (int i = 0; i < depth; i++)
                inFlight[i] = rig.Calls.PreadAsync(rig.Root, fd, buffers[i], i * 4096L);
            for (int done = 0, next = depth; done < count; done++, next++)
            {
                int slot = done % depth;
                VfsResult<int> result = await inFlight[slot];
                if (!result.Ok || result.Value != 4096)
                    failures++;
                if (next < count)
                    inFlight[slot] = rig.Calls.PreadAsync(rig.Root, fd, buffers[slot], (next % 256) * 4096L);
            }
        }

        rig.Machine.Run(() => Reads(500));
        (long shortRun, long longRun) = ShortAndLongRuns(count => rig.Machine.Run(() => Reads(count)));
        rig.Close(fd);

        Assert.Equal(0, failures);
        Assert.Equal(0, longRun - shortRun);
    }

    /// <summary>
    /// The fewest bytes of several short runs and of several long runs, alternated. Running a simulated process has
    /// a fixed cost whatever its length, so the tests compare the two: reads that allocate nothing leave the long
    /// run's least equal to the short run's. Each is the least of its windows, so a collection started by another
    /// thread of the test host, which skews one window, skews neither; the least of (long - short) would not do, as
    /// a skewed short window makes the difference negative. A read that allocates does so in every long window.
    /// </summary>
    private static (long Short, long Long) ShortAndLongRuns(Action<int> run)
    {
        var shortRuns = new AllocationMeter();
        var longRuns = new AllocationMeter();
        for (int window = 0; window < Windows; window++)
        {
            shortRuns.Begin();
            run(ShortReads);
            shortRuns.End();
            longRuns.Begin();
            run(LongReads);
            longRuns.End();
        }
        return (shortRuns.Least, longRuns.Least);
    }
}
