using Hardware.BlockLayer;
using Hardware.BlockLayer.Disks;
using Hardware.Emulator.Machine;
using Hardware.Emulator.Media;
using Hardware.Emulator.Storage;
using Hardware.Vfs.Cache;
using Hardware.Vfs.Ext2.Mkfs;
using Hardware.Vfs.Syscalls;
using static Hardware.Vfs.Tests.Core.VfsRig;

namespace Hardware.Vfs.Tests.Ext2.Mkfs;

/// <summary>
/// A booted VFS on an emulated machine whose one drive (a preset over a sparse store) has exactly the size under
/// test, probed as /dev/sda, with /mnt ready. Format runs mkfs through the stack; Dispose unmounts, tears the machine
/// down and fails on pages not given back.
/// </summary>
internal sealed class MkfsRig : IDisposable
{
    private bool _mounted;

    public MkfsRig(long diskBytes, string preset = "ram", ulong seed = 7)
    {
        Assert.True(DevicePresets.TryGet(preset, out DeviceProfile? profile));
        Store = new SparseMemoryStore(diskBytes);
        Machine = new EmulatedMachine(new MachineOptions
        {
            Seed = seed,
            Drives = [new DriveSpec(profile! with { CapacityBytes = diskBytes }, Store)],
        });
        DiskProbe probe = Machine.Simulation.RunUntilComplete(Machine.Simulation.Spawn(() => DiskProbe.ProbeAsync(Machine.Platform)));
        Disk = probe.Disks[0];
        // Without rental tracking: recording a stack per page would dominate formatting a big disk; Dispose still
        // checks that every page came back.
        Pool = new PagePool(Machine.Memory, Machine.Frames, 4L << 20);
        Cache = new PageCache(Machine.Simulation, Pool);
        Vfs = VfsBoot.Boot(Machine.Simulation, Cache);
        Vfs.RegisterBlockDevice(Disk);
        Sys = new BlockingSystemCalls(new SystemCalls(Vfs), Machine.Simulation);
        Root = Vfs.CreateProcess(1, Credentials.Root);
        Ok(Sys.Mkdir(Root, "/mnt"));
    }

    public EmulatedMachine Machine { get; }

    public SparseMemoryStore Store { get; }

    public BlockDevice Disk { get; }

    public PagePool Pool { get; }

    public PageCache Cache { get; }

    public VirtualFileSystem Vfs { get; }

    public BlockingSystemCalls Sys { get; }

    public Process Root { get; }

    public VfsResult<Ext2Layout> Format(Ext2MkfsOptions options) =>
        Machine.Simulation.RunUntilComplete(Machine.Simulation.Spawn(async () => await Ext2Mkfs.FormatAsync(Disk, options, Cache, processId: 1)));

    public VfsResult Mount()
    {
        VfsResult result = Sys.Mount(Root, "/dev/sda", "/mnt", "ext2", MountFlags.ReadOnly);
        _mounted |= result.Ok;
        return result;
    }

    /// <summary>The whole disk as a host file, holes where the disk reads as zeros (a sparse file for big disks).</summary>
    public void ExtractImage(string path)
    {
        const int chunk = 1 << 20;
        const int piece = 64 << 10;
        var buffer = new byte[chunk];
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write);
        file.SetLength(Store.Length);
        for (long offset = 0; offset < Store.Length; offset += chunk)
        {
            int length = (int)Math.Min(chunk, Store.Length - offset);
            Store.Read(offset, buffer.AsSpan(0, length));
            for (int at = 0; at < length; at += piece)
            {
                ReadOnlySpan<byte> bytes = buffer.AsSpan(at, Math.Min(piece, length - at));
                if (!bytes.ContainsAnyExcept((byte)0))
                    continue;
                file.Position = offset + at;
                file.Write(bytes);
            }
        }
    }

    /// <summary>Fills the whole disk with a non-zero pattern, as a disk that held something else before.</summary>
    public void FillWithGarbage(int salt)
    {
        var bytes = new byte[1 << 20];
        for (long offset = 0; offset < Store.Length; offset += bytes.Length)
        {
            for (int i = 0; i < bytes.Length; i++)
                bytes[i] = (byte)((offset + i) * 131 + (offset + i >> 9) * 7 + salt | 1);
            Store.Write(offset, bytes.AsSpan(0, (int)Math.Min(bytes.Length, Store.Length - offset)));
        }
    }

    public byte[] ReadDisk(long offset, int length)
    {
        var bytes = new byte[length];
        Store.Read(offset, bytes);
        return bytes;
    }

    public void Dispose()
    {
        if (_mounted)
            Ok(Sys.Umount(Root, "/mnt"));
        Ok(Sys.Umount(Root, "/dev"));
        Machine.Simulation.RunUntilComplete(Machine.Simulation.Spawn(() => Vfs.ExitAsync(Root).AsTask()));
        SuperBlock rootfs = Vfs.Mounts.Root!.SuperBlock;
        Machine.Simulation.RunUntilComplete(Machine.Simulation.Spawn(() => rootfs.Type.KillSuperBlockAsync(rootfs).AsTask()));
        foreach (AddressSpace space in Cache.AddressSpaces.ToArray())
            Machine.Simulation.RunUntilComplete(Machine.Simulation.Spawn(() => Cache.ReleaseAsync(space).AsTask()));
        int leaked = Pool.RentedPages;
        Machine.Dispose();
        Assert.True(leaked == 0, $"{leaked} pages leaked");
        Assert.Equal(0, Cache.OutstandingLeases);
        Pool.Dispose();
    }
}
