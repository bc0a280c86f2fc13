using Hardware.Emulator.Simulation;

namespace Hardware.BlockLayer.Tests.Core;

public class BioTests
{
    [Fact]
    public void Segments_add_up_to_the_sector_count_and_reset_clears_them()
    {
        var bio = new Bio(new Simulation(), segmentCapacity: 1);
        bio.Reset(BioOp.Read, sector: 100);
        bio.AddSegment(new BioSegment(0x1000, 4096));
        bio.AddSegment(new BioSegment(0x3000, 512));
        Assert.Equal(9, bio.SectorCount);
        Assert.Equal(109, bio.EndSector);
        Assert.Equal(2, bio.Segments.Length);

        bio.Reset(BioOp.Write, sector: 7);
        Assert.Equal(0, bio.SectorCount);
        Assert.Equal(0, bio.Segments.Length);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    [InlineData(-512)]
    public void A_segment_that_is_not_whole_sectors_is_refused(int length)
    {
        var bio = new Bio(new Simulation());
        Assert.Throws<ArgumentException>(() => bio.AddSegment(new BioSegment(0x1000, length)));
    }

    [Fact]
    public void Completing_a_bio_wakes_its_submitter_with_the_status()
    {
        var simulation = new Simulation();
        var bio = new Bio(simulation);
        bio.Reset(BioOp.Read, 0);
        Task<Errno> waiter = simulation.Spawn(async () => await bio.Completion.Task);
        simulation.ScheduleAt(50, _ => bio.Complete(Errno.EIO), null);
        Assert.Equal(Errno.EIO, simulation.RunUntilComplete(waiter));
        Assert.Equal(Errno.EIO, bio.Status);
    }
}
