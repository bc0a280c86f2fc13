using Hardware.BlockLayer;
using Hardware.BlockLayer.Tests;
using Hardware.Vfs.Ext2;
using static Hardware.Vfs.Tests.Core.VfsRig;

namespace Hardware.Vfs.Tests.Ext2.Data;

/// <summary>ext2_get_blocks without create: a run of file blocks mapped in one walk of the block map.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class Ext2BlockRunTests
{
    [OracleTheory("mke2fs")]
    [InlineData(1024)]
    [InlineData(4096)]
    public void A_run_mapped_in_one_walk_names_the_blocks_each_lookup_names_and_ends_at_its_pointer_arrays_end(int blockSize)
    {
        using var rig = new Ext2WritableRig(16L << 20, blockSize, tree => System.IO.File.WriteAllBytes(Path.Combine(tree, "f"), []));
        rig.Mount();
        int per = blockSize / 4;
        int blocks = 12 + 2 * per + 40;
        // Data with holes: in the direct slots, inside the indirect block, and a whole missing indirect block in the
        // double indirect tree.
        rig.Write("/mnt/f", Ext2WritableRig.Pattern(5 * blockSize, 1));
        rig.Write("/mnt/f", Ext2WritableRig.Pattern((32 - 8) * blockSize, 2), 8L * blockSize);
        rig.Write("/mnt/f", Ext2WritableRig.Pattern((12 + per - 42) * blockSize, 3), 42L * blockSize);
        rig.Write("/mnt/f", Ext2WritableRig.Pattern(blockSize, 4), (long)(blocks - 1) * blockSize);
        Ok(rig.Sys.Sync(rig.Root));
        var data = (Ext2InodeData)rig.InodeOf("/mnt/f").Private!;
        var each = new uint[blocks];
        for (int i = 0; i < blocks; i++)
            each[i] = rig.Run(() => rig.Volume.GetBlockAsync(data, i, create: false)).Block;
        Assert.Equal(0u, each[6]);
        Assert.Equal(0u, each[12 + 25]);
        Assert.Equal(0u, each[12 + per]);
        Assert.NotEqual(0u, each[12 + per - 1]);
        Assert.NotEqual(0u, each[blocks - 1]);
        (uint hole, int holeRun, Errno _) = rig.Run(() => rig.Volume.MapBlocksAsync(data.Number, data.Record, 12 + per, blocks));
        Assert.Equal((0u, per), (hole, holeRun));

        for (int start = 0; start < blocks; start++)
        {
            (uint first, int count, Errno error) = rig.Run(() => rig.Volume.MapBlocksAsync(data.Number, data.Record, start, blocks - start));
            Assert.Equal(Errno.None, error);
            long arrayEnd = start < 12 ? 12 : 12 + ((start - 12L) / per + 1) * per;
            Assert.InRange(count, 1, Math.Min(arrayEnd, blocks) - start);
            for (int k = 0; k < count; k++)
                Assert.Equal(first == 0 ? 0u : first + (uint)k, each[start + k]);
            // The run is as long as it can be: within its array and the request, the next block does not continue it.
            if (start + count < Math.Min(arrayEnd, blocks))
                Assert.NotEqual(first == 0 ? 0u : first + (uint)count, each[start + count]);
        }
        (uint _, int limited, Errno _) = rig.Run(() => rig.Volume.MapBlocksAsync(data.Number, data.Record, 12 + 50, 3));
        Assert.Equal(3, limited);
        Assert.Equal(Ext2WritableRig.Pattern(blockSize, 4), rig.Read("/mnt/f", (long)(blocks - 1) * blockSize, blockSize));
        rig.Umount();
    }
}
