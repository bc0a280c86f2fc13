using Hardware.BlockLayer;
using Hardware.Vfs.Cache;

namespace Hardware.Vfs.DevFs;

/// <summary>
/// What the bdev pseudo-filesystem keeps per block device: the device and its one page cache (the bdev inode's
/// i_mapping), shared by every open of every node naming the device, so two descriptors see each other's writes.
/// </summary>
public sealed class BlockDeviceInode
{
    internal BlockDeviceInode(BlockDevice device, AddressSpace mapping)
    {
        Device = device;
        Mapping = mapping;
    }

    public BlockDevice Device { get; }

    public AddressSpace Mapping { get; }

    /// <summary>Open files of the device (bd_openers).</summary>
    public int OpenCount { get; internal set; }

    public override string ToString() => $"bdev {Device.Name} ({OpenCount} opens, {Mapping.Size} bytes)";
}
