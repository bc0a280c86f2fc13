using Hardware.Testing;

namespace Hardware.BlockLayer.Tests.Queue;

public class SectorIndexTests
{
    private static RequestContext Context(long sector)
    {
        var context = new RequestContext();
        context.Request.Sector = sector;
        return context;
    }

    private static List<RequestContext> All(SectorIndex index, long key)
    {
        var found = new List<RequestContext>();
        for (int entry = index.FindFirst(key); entry >= 0; entry = index.FindNext(entry))
            found.Add(index[entry]);
        return found;
    }

    [Fact]
    public void Several_requests_under_one_sector_are_all_found_and_removed_one_by_one()
    {
        var index = new SectorIndex();
        RequestContext a = Context(8), b = Context(8), c = Context(16);
        index.Add(8, a);
        index.Add(8, b);
        index.Add(16, c);
        Assert.Equal([b, a], All(index, 8));
        Assert.Same(a, index.Find(8, a.Request));
        Assert.True(index.Remove(8, a));
        Assert.False(index.Remove(8, a));
        Assert.Equal([b], All(index, 8));
        Assert.Null(index.Find(8, a.Request));
        Assert.Equal([c], All(index, 16));
        Assert.Empty(All(index, 24));
        Assert.Equal(2, index.Count);
    }

    [Fact]
    public void The_index_grows_and_reuses_freed_entries_without_losing_any()
    {
        var index = new SectorIndex(capacity: 16);
        var contexts = new Dictionary<long, RequestContext>();
        var random = new Hardware.Emulator.Simulation.SimRandom(7);
        for (int round = 0; round < 5000; round++)
        {
            long key = random.NextInt64(300) * 8;
            if (contexts.Remove(key, out RequestContext? existing))
            {
                Assert.True(index.Remove(key, existing));
            }
            else
            {
                contexts[key] = Context(key);
                index.Add(key, contexts[key]);
            }
        }
        Assert.Equal(contexts.Count, index.Count);
        foreach ((long key, RequestContext context) in contexts)
            Assert.Equal([context], All(index, key));
    }

    [Fact]
    public void Adding_and_removing_in_steady_state_allocates_nothing()
    {
        var index = new SectorIndex();
        RequestContext[] contexts = Enumerable.Range(0, 64).Select(i => Context(i)).ToArray();
        void Cycle()
        {
            for (int i = 0; i < contexts.Length; i++)
                index.Add(i * 8L, contexts[i]);
            for (int i = 0; i < contexts.Length; i++)
                index.Remove(i * 8L, contexts[i]);
        }
        Cycle();
        long allocated = AllocationMeter.LeastOf(4, () =>
        {
            for (int i = 0; i < 25; i++)
                Cycle();
        });
        Assert.Equal(0, allocated);
    }
}
