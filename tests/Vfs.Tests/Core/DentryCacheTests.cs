using static Hardware.Vfs.Tests.Core.VfsRig;

namespace Hardware.Vfs.Tests.Core;

public sealed class DentryCacheTests
{
    [Fact]
    public void The_cache_stays_within_its_bound_by_evicting_the_least_recently_used_unused_leaves()
    {
        using var rig = new VfsRig(options: new VfsOptions { DentryCacheCapacity = 8 });
        Ok(rig.Sys.Mkdir(rig.Root, "/d"));
        int held = rig.Open(rig.Root, "/d/held", OpenFlags.WriteOnly | OpenFlags.Create);
        Dentry heldDentry = rig.Root.Files.Get(held)!.Path.Dentry;
        for (int i = 0; i < 20; i++)
            rig.WriteFile(rig.Root, $"/d/f{i}", Bytes("x"));
        DentryCache cache = rig.Vfs.Dentries;
        Assert.InRange(cache.Count, 1, 8);
        Assert.True(cache.Evictions >= 12, cache.ToString());
        Assert.False(heldDentry.IsUnhashed);
        Assert.Same(heldDentry, rig.Sys.Call(_ => rig.Vfs.Walker.ResolveAsync(rig.Root, rig.Root.WorkingDirectory, "/d/held", true)).Value.Dentry);
        for (int i = 0; i < 20; i++)
            Assert.Equal(1, Ok(rig.Sys.Stat(rig.Root, $"/d/f{i}")).Size);
        Assert.InRange(cache.Count, 1, 8);
    }

    [Fact]
    public void A_recently_used_entry_survives_while_older_ones_are_evicted()
    {
        using var rig = new VfsRig(options: new VfsOptions { DentryCacheCapacity = 4 });
        for (int i = 0; i < 4; i++)
            rig.WriteFile(rig.Root, $"/f{i}", Bytes("x"));
        DentryCache cache = rig.Vfs.Dentries;
        Ok(rig.Sys.Stat(rig.Root, "/f0"));
        long misses = cache.Misses;
        rig.WriteFile(rig.Root, "/f4", Bytes("x"));
        Ok(rig.Sys.Stat(rig.Root, "/f0"));
        Assert.Equal(misses + 1, cache.Misses);
        Ok(rig.Sys.Stat(rig.Root, "/f1"));
        Assert.Equal(misses + 2, cache.Misses);
    }

    [Fact]
    public void A_mount_point_is_never_evicted()
    {
        using var rig = new VfsRig(options: new VfsOptions { DentryCacheCapacity = 2 });
        Ok(rig.Sys.Mkdir(rig.Root, "/m"));
        Ok(rig.Sys.Mount(rig.Root, "none", "/m", "ramfs"));
        rig.WriteFile(rig.Root, "/m/inside", Bytes("in"));
        for (int i = 0; i < 10; i++)
            rig.WriteFile(rig.Root, $"/f{i}", Bytes("x"));
        Assert.Equal(Bytes("in"), rig.ReadFile(rig.Root, "/m/inside"));
        Ok(rig.Sys.Umount(rig.Root, "/m"));
    }
}
