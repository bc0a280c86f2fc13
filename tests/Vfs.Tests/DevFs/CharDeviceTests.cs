using Hardware.BlockLayer;
using Hardware.Vfs.DevFs;
using Hardware.Vfs.Syscalls;
using Hardware.Vfs.Tests.Core;
using static Hardware.Vfs.Tests.Core.VfsRig;

namespace Hardware.Vfs.Tests.DevFs;

/// <summary>devtmpfs at /dev after boot and the memory devices behind its char nodes, through the syscall interface.</summary>
public sealed class CharDeviceTests : IDisposable
{
    private readonly VfsRig _rig = new();

    private Process Root => _rig.Root;

    public void Dispose() => _rig.Dispose();

    private List<string> ListDev()
    {
        int fd = _rig.Open(Root, "/dev", OpenFlags.ReadOnly | OpenFlags.Directory);
        List<string> names = Ok(_rig.Sys.GetDirectoryEntries(Root, fd)).Select(e => e.Name).ToList();
        Ok(_rig.Sys.Close(Root, fd));
        return names;
    }

    [Fact]
    public void Boot_mounts_devtmpfs_at_dev_with_the_memory_devices_under_their_linux_numbers()
    {
        VfsMount dev = Assert.Single(_rig.Vfs.Mounts.Mounts, m => m.MountPath == "/dev");
        Assert.Equal(DevFileSystemType.TypeName, dev.SuperBlock.Type.Name);
        Assert.Equal(DevFileSystemType.Magic, Ok(_rig.Sys.StatFs(Root, "/dev")).Type);
        Assert.Superset(new HashSet<string> { "null", "zero", "full", "random", "urandom" }, ListDev().ToHashSet());
        foreach ((string name, int minor) in new[] { ("null", 3), ("zero", 5), ("full", 7), ("random", 8), ("urandom", 9) })
        {
            FileStatus status = Ok(_rig.Sys.Stat(Root, "/dev/" + name));
            Assert.Equal(InodeType.CharDevice, status.Type);
            Assert.Equal(Inode.MakeDevice(1, minor), status.DeviceNumber);
            Assert.Equal(0x1B6, status.Permissions);
        }
    }

    [Fact]
    public void Null_reads_end_of_file_and_swallows_writes()
    {
        int fd = _rig.Open(Root, "/dev/null", OpenFlags.ReadWrite);
        Assert.Equal(5, Ok(_rig.Sys.Write(Root, fd, Bytes("hello"))));
        Assert.Equal(0, Ok(_rig.Sys.Read(Root, fd, new byte[16])));
        Ok(_rig.Sys.Close(Root, fd));
    }

    [Fact]
    public void Zero_fills_every_read_with_zeros_and_full_does_too_but_refuses_writes_with_ENOSPC()
    {
        foreach (string name in new[] { "/dev/zero", "/dev/full" })
        {
            int fd = _rig.Open(Root, name, OpenFlags.ReadWrite);
            byte[] buffer = Enumerable.Repeat((byte)0xAA, 10000).ToArray();
            Assert.Equal(buffer.Length, Ok(_rig.Sys.Read(Root, fd, buffer)));
            Assert.All(buffer, b => Assert.Equal(0, b));
            VfsResult<int> written = _rig.Sys.Write(Root, fd, Bytes("data"));
            if (name == "/dev/full")
                Fails(Errno.ENOSPC, written);
            else
                Assert.Equal(4, Ok(written));
            Ok(_rig.Sys.Close(Root, fd));
        }
    }

    [Fact]
    public void Random_and_urandom_give_different_nonzero_streams()
    {
        byte[] random = ReadDevice("/dev/random", 4096);
        byte[] urandom = ReadDevice("/dev/urandom", 4096);
        Assert.NotEqual(random, urandom);
        Assert.InRange(random.Distinct().Count(), 200, 256);
        Assert.NotEqual(ReadDevice("/dev/urandom", 4096), urandom);
    }

    [Fact]
    public void A_char_node_without_a_registered_driver_fails_to_open_with_ENXIO_naming_the_device_number()
    {
        Ok(_rig.Sys.Mknod(Root, "/dev/mystery", InodeType.CharDevice, 0x1B6, Inode.MakeDevice(240, 17)));
        VfsResult<int> open = _rig.Sys.Open(Root, "/dev/mystery", OpenFlags.ReadOnly);
        Fails(Errno.ENXIO, open);
        Assert.Contains("240:17", open.Message);
    }

    [Fact]
    public void A_driver_registered_after_boot_gets_a_node_and_serves_opens_until_unregistered()
    {
        CharDeviceTable table = DevFileSystemType.Find(_rig.Vfs)!.CharDevices;
        Fails(Errno.EBUSY, table.Register(1, 2, 3, "overlapping", new NullDevice()));
        Ok(table.Register(240, 0, 2, "widget", new ZeroDevice()));
        Assert.Contains("widget1", ListDev());
        Assert.Equal(Inode.MakeDevice(240, 1), Ok(_rig.Sys.Stat(Root, "/dev/widget1")).DeviceNumber);
        int fd = _rig.Open(Root, "/dev/widget1", OpenFlags.ReadOnly);
        Assert.Equal(8, Ok(_rig.Sys.Read(Root, fd, new byte[8])));
        Ok(_rig.Sys.Close(Root, fd));

        Ok(table.Unregister(240, 0, 2));
        Fails(Errno.ENOENT, table.Unregister(240, 0, 2));
        Fails(Errno.ENXIO, _rig.Sys.Open(Root, "/dev/widget0", OpenFlags.ReadOnly));
    }

    [Fact]
    public void A_node_made_with_mknod_outside_dev_reaches_the_same_driver()
    {
        Ok(_rig.Sys.Mknod(Root, "/mynull", InodeType.CharDevice, 0x1B6, Inode.MakeDevice(1, 3)));
        int fd = _rig.Open(Root, "/mynull", OpenFlags.ReadWrite);
        Assert.Equal(3, Ok(_rig.Sys.Write(Root, fd, Bytes("abc"))));
        Assert.Equal(0, Ok(_rig.Sys.Read(Root, fd, new byte[4])));
        Ok(_rig.Sys.Close(Root, fd));
    }

    private byte[] ReadDevice(string path, int length)
    {
        int fd = _rig.Open(Root, path, OpenFlags.ReadOnly);
        var buffer = new byte[length];
        Assert.Equal(length, Ok(_rig.Sys.Read(Root, fd, buffer)));
        Ok(_rig.Sys.Close(Root, fd));
        return buffer;
    }
}
