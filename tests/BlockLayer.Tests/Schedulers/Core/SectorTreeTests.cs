using Hardware.BlockLayer.Schedulers;
using Hardware.Emulator.Simulation;
using Hardware.Testing;

namespace Hardware.BlockLayer.Tests.Schedulers.Core;

public class SectorTreeTests
{
    private static Request At(long sector) => new() { Sector = sector, SectorCount = 8 };

    [Fact]
    public void Random_adds_and_removes_keep_sector_order_and_structure_against_a_sorted_list()
    {
        var tree = new SectorTree(initialCapacity: 4);
        var model = new List<Request>();
        var random = new SimRandom(42);
        for (int step = 0; step < 5000; step++)
        {
            if (model.Count == 0 || random.NextInt32(3) != 0)
            {
                Request r = At(random.NextInt64(200)); // many equal keys on purpose
                tree.Add(r);
                int at = model.FindLastIndex(m => m.Sector <= r.Sector) + 1; // after equals: insertion order kept
                model.Insert(at, r);
            }
            else
            {
                Request victim = model[random.NextInt32(model.Count)];
                tree.Remove(victim);
                model.Remove(victim);
            }
            if (step % 250 == 0)
                Assert.Null(tree.Verify());
        }
        Assert.Null(tree.Verify());
        Assert.Equal(model.Count, tree.Count);

        var walked = new List<Request>();
        for (Request? r = tree.First; r is not null; r = tree.Next(r))
            walked.Add(r);
        Assert.Equal(model, walked);
        var backwards = new List<Request>();
        for (Request? r = tree.Last; r is not null; r = tree.Previous(r))
            backwards.Add(r);
        backwards.Reverse();
        Assert.Equal(model, backwards);
    }

    [Fact]
    public void Ceiling_floor_and_lower_find_the_neighbours_of_a_position()
    {
        var tree = new SectorTree();
        Request a = At(10), b1 = At(20), b2 = At(20), c = At(30);
        foreach (Request r in new[] { c, b1, a, b2 })
            tree.Add(r);

        Assert.Same(a, tree.Ceiling(0));
        Assert.Same(b1, tree.Ceiling(11));
        Assert.Same(b1, tree.Ceiling(20)); // the first of equal keys
        Assert.Null(tree.Ceiling(31));
        Assert.Same(b2, tree.Floor(20)); // the last of equal keys
        Assert.Same(a, tree.Lower(20));
        Assert.Null(tree.Lower(10));
        Assert.Same(c, tree.Floor(1000));
        Assert.Null(tree.Floor(9));
    }

    [Fact]
    public void Removing_a_request_that_is_not_in_the_tree_is_a_bug_and_throws()
    {
        var tree = new SectorTree();
        tree.Add(At(5));
        Assert.Throws<InvalidOperationException>(() => tree.Remove(At(5)));
    }

    [Fact]
    public void Once_grown_adding_and_removing_allocates_nothing()
    {
        var tree = new SectorTree(initialCapacity: 4);
        var requests = Enumerable.Range(0, 512).Select(i => At(i * 7919 % 4096)).ToArray();
        foreach (Request r in requests)
            tree.Add(r);
        foreach (Request r in requests)
            tree.Remove(r);

        long allocated = AllocationMeter.LeastOf(5, () =>
        {
            for (int round = 0; round < 2; round++)
            {
                foreach (Request r in requests)
                    tree.Add(r);
                foreach (Request r in requests)
                    tree.Remove(r);
            }
        });
        Assert.Equal(0, allocated);
        Assert.True(tree.IsEmpty);
    }
}
