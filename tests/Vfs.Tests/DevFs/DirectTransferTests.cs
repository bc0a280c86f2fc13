using Hardware.BlockLayer;
using Hardware.BlockLayer.Tracing;
using Hardware.Vfs.Syscalls;
using Hardware.Vfs.Tests.Cache;
using static Hardware.Vfs.Tests.Core.VfsRig;

namespace Hardware.Vfs.Tests.DevFs;

/// <summary>
/// O_DIRECT on /dev/sda past the one-wait path: dirty pages written back first, the device's end, transfers larger
/// than one bio, and many transfers in flight on one open file.
/// </summary>
public sealed class DirectTransferTests : IDisposable
{
    private const long Offset = 1L << 20;

    private readonly DevFsRig _rig = new("hdd-7200");

    private Process Root => _rig.Root;

    public void Dispose() => _rig.Dispose();

    [Fact]
    public void O_DIRECT_reads_unsynced_buffered_writes_because_the_dirty_pages_are_written_back_first()
    {
        byte[] data = DevFsRig.Pattern(8192, salt: 11);
        int fd = _rig.Open("/dev/sda", OpenFlags.ReadWrite);
        int direct = _rig.Open("/dev/sda", OpenFlags.ReadOnly | OpenFlags.Direct);
        _rig.Pwrite(fd, data, Offset);

        Assert.Equal(data, _rig.Pread(direct, data.Length, Offset));
        _rig.Close(fd);
        _rig.Close(direct);
    }

    [Fact]
    public void O_DIRECT_reads_stop_at_the_end_of_the_device_and_read_nothing_past_it()
    {
        byte[] tail = DevFsRig.Pattern(4096, salt: 13);
        int direct = _rig.Open("/dev/sda", OpenFlags.ReadWrite | OpenFlags.Direct);
        _rig.Pwrite(direct, tail, CacheRig.DiskBytes - 4096);

        var buffer = new byte[16384];
        Assert.Equal(4096, Ok(_rig.Sys.Pread(Root, direct, buffer, CacheRig.DiskBytes - 4096)));
        Assert.Equal(tail, buffer[..4096]);
        Assert.Equal(0, Ok(_rig.Sys.Pread(Root, direct, buffer, CacheRig.DiskBytes)));
        Fails(Errno.ENOSPC, _rig.Sys.Pwrite(Root, direct, new byte[4096], CacheRig.DiskBytes));
        _rig.Close(direct);
    }

    [Fact]
    public void O_DIRECT_transfers_larger_than_one_chunk_move_every_byte_in_bios_of_at_most_128_KiB()
    {
        byte[] data = DevFsRig.Pattern(300 * 1024, salt: 17);
        int direct = _rig.Open("/dev/sda", OpenFlags.ReadWrite | OpenFlags.Direct);
        int before = _rig.Machine.Issued(BioOp.Write).Count;
        _rig.Pwrite(direct, data, Offset);
        List<BlockTraceEvent> writes = _rig.Machine.Issued(BioOp.Write)[before..];
        Assert.Equal([128 * 1024, 128 * 1024, 44 * 1024], writes.Select(e => (int)e.Bytes));

        Assert.Equal(data, _rig.Pread(direct, data.Length, Offset));
        Ok(_rig.Sys.Fsync(Root, direct));
        Assert.Equal(data, _rig.Machine.ReadDisk(Offset, data.Length));
        _rig.Close(direct);
    }

    [Fact]
    public void Many_O_DIRECT_preads_in_flight_on_one_open_file_each_get_their_own_blocks()
    {
        byte[] data = DevFsRig.Pattern(32 * 4096, salt: 19);
        int fd = _rig.Open("/dev/sda", OpenFlags.ReadWrite);
        _rig.Pwrite(fd, data, Offset);
        Ok(_rig.Sys.Fsync(Root, fd));
        _rig.Close(fd);
        int direct = _rig.Open("/dev/sda", OpenFlags.ReadOnly | OpenFlags.Direct);
        var buffers = new byte[32][];

        async Task ReadAll()
        {
            var reads = new Task<VfsResult<int>>[32];
            for (int i = 0; i < 32; i++)
            {
                buffers[i] = new byte[4096];
                // In reverse, so the completions do not come back in submission order by accident.
                reads[i] = _rig.Calls.PreadAsync(Root, direct, buffers[i], Offset + (31 - i) * 4096L).AsTask();
            }
            foreach (Task<VfsResult<int>> read in reads)
                Assert.Equal(4096, Ok(await read));
        }

        _rig.Machine.Run(ReadAll);
        for (int i = 0; i < 32; i++)
            Assert.Equal(data.AsSpan((31 - i) * 4096, 4096).ToArray(), buffers[i]);
        _rig.Close(direct);
    }
}
