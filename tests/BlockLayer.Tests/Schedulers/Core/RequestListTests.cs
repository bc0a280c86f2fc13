using Hardware.BlockLayer.Schedulers;

namespace Hardware.BlockLayer.Tests.Schedulers.Core;

public class RequestListTests
{
    private static List<long> Sectors(RequestList list)
    {
        var sectors = new List<long>();
        for (Request? r = list.First; r is not null; r = RequestList.Next(r))
            sectors.Add(r.Sector);
        return sectors;
    }

    [Fact]
    public void Adds_at_both_ends_insertions_and_removals_keep_links_and_count_consistent()
    {
        var list = new RequestList();
        Request a = new() { Sector = 1 }, b = new() { Sector = 2 }, c = new() { Sector = 3 }, d = new() { Sector = 4 };
        list.AddLast(b);
        list.AddFirst(a);
        list.AddLast(d);
        list.InsertAfter(b, c);
        Assert.Equal([1, 2, 3, 4], Sectors(list));
        Assert.Equal(4, list.Count);

        list.Remove(c);
        Assert.Equal([1, 2, 4], Sectors(list));
        Assert.False(c.ElevatorLinks.IsLinked);
        Assert.Same(a, list.RemoveFirst());
        list.Remove(d);
        Assert.Same(b, list.First);
        Assert.Same(b, list.Last);
        Assert.True(list.Contains(b));
        Assert.False(list.Contains(a));
        list.Remove(b);
        Assert.True(list.IsEmpty);
        Assert.Null(list.First);
        Assert.Null(list.Last);
        Assert.Null(list.RemoveFirst());
    }
}
