using Hardware.BlockLayer;
using Hardware.BlockLayer.Tracing;
using Hardware.Vfs.Syscalls;
using Hardware.Vfs.Tests.Cache;
using static Hardware.Vfs.Tests.Core.VfsRig;

namespace Hardware.Vfs.Tests.DevFs;

/// <summary>/dev/sdX on an emulated machine: nodes for registered disks, buffered I/O through one page cache per device, O_DIRECT past it.</summary>
public sealed class BlockDeviceNodeTests : IDisposable
{
    private const long Offset = 1L << 20;

    /// <summary>A disk with a volatile write cache, so fsync has a flush to send.</summary>
    private readonly DevFsRig _rig = new("hdd-7200");

    private Process Root => _rig.Root;

    public void Dispose() => _rig.Dispose();

    [Fact]
    public void A_registered_disk_has_a_block_node_with_its_number_and_size_in_dev()
    {
        FileStatus status = Ok(_rig.Sys.Stat(Root, "/dev/sda"));
        Assert.Equal(InodeType.BlockDevice, status.Type);
        Assert.Equal(Inode.MakeDevice(8, 0), status.DeviceNumber);
        Assert.Equal(CacheRig.DiskBytes, status.Size);
        int fd = _rig.Open("/dev/sda", OpenFlags.ReadOnly);
        Assert.Equal(CacheRig.DiskBytes, Ok(_rig.Sys.Lseek(Root, fd, 0, SeekOrigin.End)));
        Assert.Equal(0, Ok(_rig.Sys.Read(Root, fd, new byte[512])));
        _rig.Close(fd);
    }

    [Fact]
    public void A_write_through_one_open_is_read_by_another_and_reaches_the_disk_only_after_fsync()
    {
        byte[] data = DevFsRig.Pattern(10000, salt: 3);
        int writer = _rig.Open("/dev/sda", OpenFlags.WriteOnly);
        int reader = _rig.Open("/dev/sda", OpenFlags.ReadOnly);
        _rig.Pwrite(writer, data, Offset + 100);
        Assert.Equal(data, _rig.Pread(reader, data.Length, Offset + 100));
        Assert.NotEqual(data, _rig.Machine.ReadDisk(Offset + 100, data.Length));
        Assert.Single(_rig.DevFs.BlockDevices.Devices);

        int eventsBefore = _rig.Machine.Trace.ToArray().Length;
        Ok(_rig.Sys.Fsync(Root, writer));
        Assert.Equal(data, _rig.Machine.ReadDisk(Offset + 100, data.Length));
        Assert.Contains(_rig.Machine.Trace.ToArray()[eventsBefore..], e => e.Op == BioOp.Flush || (e.Flags & BioFlags.Preflush) != 0);
        _rig.Close(writer);
        _rig.Close(reader);
    }

    [Fact]
    public void O_DIRECT_sees_buffered_writes_after_fsync_and_buffered_reads_see_direct_writes()
    {
        byte[] buffered = DevFsRig.Pattern(8192, salt: 5);
        int fd = _rig.Open("/dev/sda", OpenFlags.ReadWrite);
        int direct = _rig.Open("/dev/sda", OpenFlags.ReadWrite | OpenFlags.Direct);
        _rig.Pwrite(fd, buffered, Offset);
        Ok(_rig.Sys.Fsync(Root, fd));
        Assert.Equal(buffered, _rig.Pread(direct, buffered.Length, Offset));

        byte[] rewritten = DevFsRig.Pattern(4096, salt: 9);
        _rig.Pwrite(direct, rewritten, Offset + 4096);
        Assert.Equal(rewritten, _rig.Pread(fd, rewritten.Length, Offset + 4096));
        // O_DIRECT bypasses the page cache, not the drive's volatile cache: durability still takes fsync's flush.
        Ok(_rig.Sys.Fsync(Root, direct));
        Assert.Equal(rewritten, _rig.Machine.ReadDisk(Offset + 4096, rewritten.Length));
        _rig.Close(fd);
        _rig.Close(direct);
    }

    [Fact]
    public void O_DIRECT_with_a_misaligned_offset_or_length_fails_with_EINVAL()
    {
        int direct = _rig.Open("/dev/sda", OpenFlags.ReadWrite | OpenFlags.Direct);
        Fails(Errno.EINVAL, _rig.Sys.Pread(Root, direct, new byte[512], 100));
        Fails(Errno.EINVAL, _rig.Sys.Pread(Root, direct, new byte[1000], 0));
        Fails(Errno.EINVAL, _rig.Sys.Pwrite(Root, direct, new byte[512], 4097));
        Assert.Equal(512, Ok(_rig.Sys.Pread(Root, direct, new byte[512], 512)));
        _rig.Close(direct);
    }

    [Fact]
    public void Writes_at_the_end_give_ENOSPC_and_a_read_only_device_refuses_writes_with_EROFS()
    {
        int fd = _rig.Open("/dev/sda", OpenFlags.ReadWrite);
        Fails(Errno.ENOSPC, _rig.Sys.Pwrite(Root, fd, new byte[10], CacheRig.DiskBytes));
        Assert.Equal(4, Ok(_rig.Sys.Pwrite(Root, fd, new byte[10], CacheRig.DiskBytes - 4)));
        _rig.Disk.ReadOnly = true;
        Fails(Errno.EROFS, _rig.Sys.Pwrite(Root, fd, new byte[10], 0));
        int direct = _rig.Open("/dev/sda", OpenFlags.ReadWrite | OpenFlags.Direct);
        Fails(Errno.EROFS, _rig.Sys.Pwrite(Root, direct, new byte[512], 0));
        Assert.Equal(10, Ok(_rig.Sys.Pread(Root, fd, new byte[10], 0)));
        _rig.Disk.ReadOnly = false;
        _rig.Close(fd);
        _rig.Close(direct);
    }

    [Fact]
    public void The_block_trace_shows_buffered_reads_as_fewer_larger_read_ahead_requests_and_O_DIRECT_as_exact_ones()
    {
        int fd = _rig.Open("/dev/sda", OpenFlags.ReadOnly);
        int before = _rig.Machine.Issued(BioOp.Read).Count;
        for (int i = 0; i < 32; i++)
            Assert.Equal(4096, Ok(_rig.Sys.Read(Root, fd, new byte[4096])));
        List<BlockTraceEvent> buffered = _rig.Machine.Issued(BioOp.Read)[before..];
        Assert.InRange(buffered.Count, 1, 8);
        Assert.Contains(buffered, e => e.Bytes > 4096);
        _rig.Close(fd);

        int direct = _rig.Open("/dev/sda", OpenFlags.ReadOnly | OpenFlags.Direct);
        before = _rig.Machine.Issued(BioOp.Read).Count;
        for (int i = 0; i < 4; i++)
            _rig.Pread(direct, 4096, Offset * 16 + i * 4096L);
        List<BlockTraceEvent> exact = _rig.Machine.Issued(BioOp.Read)[before..];
        Assert.Equal(4, exact.Count);
        Assert.All(exact, e => Assert.Equal(4096, e.Bytes));
        Assert.Equal([(Offset * 16) / 512, (Offset * 16 + 4096) / 512, (Offset * 16 + 8192) / 512, (Offset * 16 + 12288) / 512], exact.Select(e => e.Sector));
        _rig.Close(direct);
    }
}
