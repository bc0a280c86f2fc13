using Hardware.Emulator.Faults;

namespace Hardware.Emulator.Tests.Faults;

public class FaultPlanTests
{
    [Fact]
    public void Ranges_merge_when_they_touch_and_report_the_first_member_of_a_query()
    {
        var set = new LbaRangeSet();
        set.Add(10, 5);   // 10-14
        set.Add(15, 5);   // touches: 10-19
        set.Add(30, 1);
        Assert.Equal(2, set.RangeCount);
        Assert.Equal(11, set.SectorCount);
        Assert.True(set.TryFindFirst(0, 100, out long first));
        Assert.Equal(10, first);
        Assert.True(set.TryFindFirst(17, 100, out first));
        Assert.Equal(17, first);
        Assert.True(set.TryFindFirst(20, 11, out first));
        Assert.Equal(30, first);
        Assert.False(set.Overlaps(20, 10));
        Assert.False(set.Overlaps(31, 1000));
    }

    [Fact]
    public void Removing_from_the_middle_of_a_range_splits_it()
    {
        var set = new LbaRangeSet();
        set.Add(100, 100);
        set.Remove(120, 10);
        Assert.Equal(2, set.RangeCount);
        Assert.True(set.Contains(119));
        Assert.False(set.Contains(120));
        Assert.False(set.Contains(129));
        Assert.True(set.Contains(130));
        set.Remove(0, 125);
        set.Remove(190, 1000);
        Assert.Equal(1, set.RangeCount);
        Assert.Equal(60, set.SectorCount);
        set.Remove(0, long.MaxValue / 2);
        Assert.True(set.IsEmpty);
    }

    [Fact]
    public void A_plan_answers_which_commands_hang_and_hands_power_losses_to_its_drive()
    {
        var plan = new FaultPlan();
        plan.HangCommandNumber(3);
        plan.HangLbaRange(1000, 8);
        plan.PowerLossAt(500);
        Assert.True(plan.ShouldHang(3));
        Assert.False(plan.ShouldHang(4));
        Assert.True(plan.ShouldHang(1007, 10));
        Assert.False(plan.ShouldHang(1008, 10));

        var scheduled = new List<long>();
        plan.BindPowerLoss(scheduled.Add);
        plan.PowerLossAt(900);
        Assert.Equal([500L, 900L], scheduled);
        Assert.Throws<InvalidOperationException>(() => plan.BindPowerLoss(_ => { }));
    }
}
