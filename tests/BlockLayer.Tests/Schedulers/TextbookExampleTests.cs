using Hardware.BlockLayer.Schedulers;
using Hardware.BlockLayer.Tests.Schedulers.Harness;

namespace Hardware.BlockLayer.Tests.Schedulers;

/// <summary>
/// The disk-scheduling example of Silberschatz, Galvin and Gagne (Operating System Concepts): cylinders 0-199,
/// head at 53, queue 98, 183, 37, 122, 14, 124, 65, 67. Driven through the harness with sectors = cylinders,
/// one request per cylinder, all queued before the first dispatch, the head resting on each cylinder served.
/// Figures: FCFS 640 and SSTF 236 (the book); SCAN towards 0 is the book's 236; the other directions and
/// variants are the ones the literature commonly quotes. The arm travel counts SCAN's and C-SCAN's trips to a
/// disk edge and the return sweeps of C-SCAN and C-LOOK; the device's head travel is what a real arm does.
/// </summary>
public class TextbookExampleTests
{
    private static readonly long[] Queue = [98, 183, 37, 122, 14, 124, 65, 67];

    private static (long[] Order, long HeadTravel) Run(IElevator elevator)
    {
        var h = new ElevatorHarness(elevator, new HarnessOptions
        {
            CapacitySectors = 200,
            InitialHead = 53,
            HeadOnRequestStart = true,
            QueueDepth = 1,
            RecordDispatches = true,
        });
        h.AutoDispatch = false;
        foreach (long cylinder in Queue)
            h.Submit(h.Rent(BioOp.Read, cylinder, 1, 1));
        h.AutoDispatch = true;
        h.Pump();
        h.RunToIdle();
        return (h.Dispatches.Select(d => d.Sector).ToArray(), h.Device.HeadTravel);
    }

    [Fact]
    public void Fcfs_that_is_none_moves_the_head_640_cylinders()
    {
        (long[] order, long travel) = Run(new NoneElevator());
        Assert.Equal(Queue, order);
        Assert.Equal(640, travel);
    }

    [Fact]
    public void Sstf_moves_the_head_236_cylinders()
    {
        var sstf = new SstfElevator();
        (long[] order, long travel) = Run(sstf);
        Assert.Equal([65, 67, 37, 14, 98, 122, 124, 183], order);
        Assert.Equal(236, travel);
        Assert.Equal(236, sstf.ArmTravel);
    }

    [Theory]
    [InlineData(SweepDirection.Down, new long[] { 37, 14, 65, 67, 98, 122, 124, 183 }, 236, 208)]
    [InlineData(SweepDirection.Up, new long[] { 65, 67, 98, 122, 124, 183, 37, 14 }, 331, 299)]
    public void Scan_sweeps_to_the_disk_edge_before_reversing(SweepDirection direction, long[] expected, long armTravel, long headTravel)
    {
        var scan = new ScanElevator(direction);
        (long[] order, long travel) = Run(scan);
        Assert.Equal(expected, order);
        Assert.Equal(armTravel, scan.ArmTravel);
        Assert.Equal(headTravel, travel);
        Assert.Equal(0, scan.ReturnTravel);
    }

    [Theory]
    [InlineData(SweepDirection.Up, new long[] { 65, 67, 98, 122, 124, 183, 37, 14 }, 299)]
    [InlineData(SweepDirection.Down, new long[] { 37, 14, 65, 67, 98, 122, 124, 183 }, 208)]
    public void Look_reverses_at_the_last_request(SweepDirection direction, long[] expected, long travel)
    {
        var look = new LookElevator(direction);
        (long[] order, long headTravel) = Run(look);
        Assert.Equal(expected, order);
        Assert.Equal(travel, look.ArmTravel);
        Assert.Equal(travel, headTravel);
    }

    [Fact]
    public void Cscan_upwards_travels_382_cylinders_counting_the_199_cylinder_return_and_183_without_it()
    {
        var cscan = new CScanElevator();
        (long[] order, long headTravel) = Run(cscan);
        Assert.Equal([65, 67, 98, 122, 124, 183, 14, 37], order);
        Assert.Equal(382, cscan.ArmTravel);
        Assert.Equal(199, cscan.ReturnTravel);
        Assert.Equal(183, cscan.ArmTravel - cscan.ReturnTravel);
        Assert.Equal(322, headTravel);
    }

    [Fact]
    public void Clook_upwards_travels_322_cylinders_counting_the_169_cylinder_return_and_153_without_it()
    {
        var clook = new CLookElevator();
        (long[] order, long headTravel) = Run(clook);
        Assert.Equal([65, 67, 98, 122, 124, 183, 14, 37], order);
        Assert.Equal(322, clook.ArmTravel);
        Assert.Equal(169, clook.ReturnTravel);
        Assert.Equal(153, clook.ArmTravel - clook.ReturnTravel);
        Assert.Equal(322, headTravel);
    }
}
