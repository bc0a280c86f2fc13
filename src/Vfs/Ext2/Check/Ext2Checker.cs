using Hardware.BlockLayer;
using Hardware.Vfs.Cache;

namespace Hardware.Vfs.Ext2.Check;

/// <summary>
/// A read-only ext2 consistency check whose verdict follows e2fsck -fn: the superblock and group descriptors, then
/// e2fsck's five passes (inodes and blocks, directory entries, connectivity, link counts, bitmaps and group counts).
/// Everything is read through a buffer cache of its own over <paramref name="device"/>, released at the end; nothing
/// is written, every read stays inside the volume and the device, and garbage can neither throw nor loop.
/// </summary>
public static class Ext2Checker
{
    public static async ValueTask<Ext2CheckReport> CheckAsync(BlockDevice device, PageCache cache)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(cache);
        var problems = new List<string>();
        if (device.LogicalBlockSize > Ext2SuperBlock.Size)
            return Refused(device, null, $"{device.LogicalBlockSize}-byte logical blocks are larger than a 1 KiB ext2 block");
        if (device.CapacityBytes < Ext2SuperBlock.ByteOffset + Ext2SuperBlock.Size)
            return Refused(device, null, $"the {device.CapacityBytes}-byte device is too small to hold a superblock");

        Ext2SuperBlock sb;
        string? geometry;
        var probe = new BufferCache(cache, device, Ext2SuperBlock.Size);
        try
        {
            using BufferLease lease = await probe.GetBlockAsync(Ext2SuperBlock.ByteOffset / Ext2SuperBlock.Size);
            if (!lease.Ok)
                return Refused(device, null, $"reading the superblock failed ({lease.Status})");
            sb = Ext2SuperBlock.Read(lease.Data);
            geometry = Ext2Validation.CheckSuperBlock(sb, device.CapacityBytes) ?? SuperBlockPass.CheckGeometry(sb, lease.Data);
        }
        finally
        {
            await cache.ReleaseAsync(probe.Space);
        }
        if (geometry is not null)
            return Refused(device, sb.Magic == Ext2SuperBlock.MagicValue ? sb : null, geometry);
        uint unknownIncompat = (uint)(sb.FeatureIncompat & ~Ext2FeatureSupport.Incompat);
        if (unknownIncompat != 0)
            return Refused(device, sb, $"unsupported incompat feature(s) {Ext2FeatureSupport.Names(unknownIncompat, Ext2FeatureSupport.IncompatName)}");
        uint unknownRoCompat = (uint)(sb.FeatureRoCompat & ~Ext2FeatureSupport.RoCompat);
        if (unknownRoCompat != 0)
            return Refused(device, sb, $"unsupported ro_compat feature(s) {Ext2FeatureSupport.Names(unknownRoCompat, Ext2FeatureSupport.RoCompatName)}");

        var buffers = new BufferCache(cache, device, sb.BlockSize);
        try
        {
            Ext2GroupDescriptor[]? groups = await SuperBlockPass.ReadGroupsAsync(buffers, sb, problems);
            if (groups is null)
                return Report(device, sb, problems, [], 0);
            var state = new CheckState(buffers, sb, groups);
            bool[] usable = SuperBlockPass.CheckGroups(state);
            await InodePass.RunAsync(state, usable);
            await DirectoryPass.RunAsync(state);
            ConnectivityPass.CheckConnectivity(state);
            ConnectivityPass.CheckLinkCounts(state);
            CheckAttributeReferences(state);
            await SummaryPass.RunAsync(state, usable);
            return Report(device, sb, state.Problems, state.Notes, state.Fragmented);
        }
        finally
        {
            await cache.ReleaseAsync(buffers.Space);
        }
    }

    /// <summary>Each extended-attribute block's h_refcount must equal the inodes naming it.</summary>
    private static void CheckAttributeReferences(CheckState state)
    {
        foreach ((uint block, uint refCount) in state.AttributeBlockRefCounts)
        {
            uint users = state.AttributeBlockUsers[block];
            if (refCount != users)
                state.Problem($"extended attribute block {block}: h_refcount is {refCount}, but {users} inodes name it");
        }
    }

    private static Ext2CheckReport Refused(BlockDevice device, Ext2SuperBlock? sb, string problem) =>
        Report(device, sb, [$"superblock: {problem}"], [], 0);

    private static Ext2CheckReport Report(BlockDevice device, Ext2SuperBlock? sb, IReadOnlyList<string> problems, IReadOnlyList<string> notes, long fragmented) =>
        new(problems.Count == 0, problems,
            sb is null ? 0 : (long)sb.InodesCount - sb.FreeInodesCount, sb?.InodesCount ?? 0,
            sb is null ? 0 : (long)sb.BlocksCount - sb.FreeBlocksCount, sb?.BlocksCount ?? 0)
        {
            DeviceName = device.Name,
            Notes = notes,
            FragmentedFiles = fragmented,
        };
}
