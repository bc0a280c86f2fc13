using Hardware.BlockLayer.Drivers.Ahci;
using Hardware.Emulator.Machine;
using Hardware.Emulator.Platform;
using Hardware.Emulator.Simulation;
using Hardware.BlockLayer.Tests.Drivers.TestKit;
using Hardware.Testing;

namespace Hardware.BlockLayer.Tests.Drivers;

/// <summary>The per-request path (queue_rq, command table, interrupt, completion) allocates nothing in steady state.</summary>
public class AhciAllocationTests
{
    /// <summary>Hands every completed request straight back to the driver until the budget is spent.</summary>
    private sealed class RecyclingHost(Simulation simulation, IBlockDriver driver) : IBlockDriverHost
    {
        public Simulation Simulation { get; } = simulation;

        public int Remaining { get; set; }

        public int Completed { get; private set; }

        public int Failures { get; private set; }

        public void CompleteRequest(Request request, Errno status)
        {
            Completed++;
            if (status != Errno.None)
                Failures++;
            if (Remaining-- > 0 && !driver.TryQueueRequest(request))
                throw new InvalidOperationException("a read was deferred although only reads are queued");
        }

        public void RequeueRequest(Request request) => throw new InvalidOperationException("nothing should fail here");
    }

    [Fact]
    public void Queued_reads_and_writes_in_steady_state_allocate_nothing()
    {
        using var machine = new EmulatedMachine(new MachineOptions { Drives = [new DriveSpec(AhciDiskRig.Preset("ram"))] });
        Simulation simulation = machine.Simulation;
        AhciPortDriver disk = simulation.RunUntilComplete(simulation.Spawn(() => AhciHostDriver.ProbeAsync(machine.Platform)))!.Disks[0];
        var host = new RecyclingHost(simulation, disk);
        disk.Attach(host);

        var requests = new Request[8];
        for (int tag = 0; tag < requests.Length; tag++)
        {
            PageFrame frames = machine.Frames.AllocateContiguous(4);
            var bio = new Bio(simulation, 2);
            bio.Reset(tag % 2 == 0 ? BioOp.Read : BioOp.Write, tag * 64L);
            bio.AddSegment(new BioSegment(frames.Address, 8192));
            bio.AddSegment(new BioSegment(frames.Address + 12288, 4096));
            requests[tag] = new Request
            {
                Op = bio.Op, Sector = bio.Sector, SectorCount = bio.SectorCount, FirstBio = bio, LastBio = bio,
                BioCount = 1, SegmentCount = 2, Tag = tag,
            };
        }

        void Round(int completions)
        {
            host.Remaining = completions - requests.Length;
            foreach (Request request in requests)
                Assert.True(disk.TryQueueRequest(request));
            simulation.Run();
        }

        Round(400);
        long allocated = AllocationMeter.LeastOf(4, () => Round(1000));

        Assert.Equal(4400, host.Completed);
        Assert.Equal(0, host.Failures);
        Assert.Equal(0, allocated);
    }
}
