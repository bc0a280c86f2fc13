using Hardware.Emulator.Platform;
using Hardware.Emulator.Simulation;
using Hardware.Vfs.Cache;

namespace Hardware.Vfs.Tests.Cache;

public class PageIndexTableTests
{
    [Fact]
    public void Random_inserts_and_removals_agree_with_a_dictionary()
    {
        using var memory = new GuestMemory(16L << 20);
        var frames = new PageFrameAllocator(memory);
        var pool = new PagePool(memory, frames, 4L << 20);
        var table = new PageIndexTable();
        var model = new Dictionary<long, CachePage>();
        SimRandom random = SimRandom.ForStream(42, "index-table");
        for (int step = 0; step < 20_000; step++)
        {
            long index = random.NextInt64(600);
            if (model.TryGetValue(index, out CachePage? present))
            {
                Assert.True(table.Remove(present));
                model.Remove(index);
                present.Owner = null;
                pool.Return(present);
            }
            else if (pool.TryRent("test", out CachePage page))
            {
                page.Index = index;
                table.Add(page);
                model.Add(index, page);
            }
            long probe = random.NextInt64(600);
            Assert.Same(model.GetValueOrDefault(probe), table.Find(probe));
        }
        Assert.Equal(model.Count, table.Count);
        Assert.True(table.Capacity <= 2048, "the table grows with the live count, not the number of inserts");
    }
}
