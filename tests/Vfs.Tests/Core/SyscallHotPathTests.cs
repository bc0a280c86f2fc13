using Hardware.Testing;
using static Hardware.Vfs.Tests.Core.VfsRig;

namespace Hardware.Vfs.Tests.Core;

public sealed class SyscallHotPathTests
{
    [Fact]
    public void A_cached_read_through_the_syscall_completes_synchronously_and_allocates_nothing()
    {
        using var rig = new VfsRig();
        rig.WriteFile(rig.Root, "/f", new byte[64 * 1024]);
        int fd = rig.Open(rig.Root, "/f", OpenFlags.ReadOnly);
        var buffer = new byte[4096];
        for (int i = 0; i < 32; i++)
            Ok(rig.Sys.Pread(rig.Root, fd, buffer, (i % 16) * 4096L));
        long total = 0;
        int next = 0;
        long allocated = AllocationMeter.LeastOf(4, () =>
        {
            for (int end = next + 25; next < end; next++)
                total += Completed(rig.Calls.PreadAsync(rig.Root, fd, buffer, (next % 16) * 4096L)).Value;
        });
        Assert.Equal(100 * 4096, total);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Overwriting_cached_pages_through_the_syscall_completes_synchronously_and_allocates_nothing()
    {
        using var rig = new VfsRig();
        rig.WriteFile(rig.Root, "/f", new byte[64 * 1024]);
        int fd = rig.Open(rig.Root, "/f", OpenFlags.WriteOnly);
        var buffer = new byte[4096];
        for (int i = 0; i < 32; i++)
            Ok(rig.Sys.Pwrite(rig.Root, fd, buffer, (i % 16) * 4096L));
        long total = 0;
        int next = 0;
        long allocated = AllocationMeter.LeastOf(4, () =>
        {
            for (int end = next + 25; next < end; next++)
                total += Completed(rig.Calls.PwriteAsync(rig.Root, fd, buffer, (next % 16) * 4096L)).Value;
        });
        Assert.Equal(100 * 4096, total);
        Assert.Equal(0, allocated);
    }

    private static T Completed<T>(ValueTask<T> task)
    {
        Assert.True(task.IsCompletedSuccessfully, "expected a synchronous cache hit");
        return task.Result;
    }

    [Fact]
    public void Sequential_reads_advance_the_position_and_stop_at_the_end()
    {
        using var rig = new VfsRig();
        byte[] data = Enumerable.Range(0, 10_000).Select(i => (byte)i).ToArray();
        rig.WriteFile(rig.Root, "/f", data);
        int fd = rig.Open(rig.Root, "/f", OpenFlags.ReadOnly);
        var all = new List<byte>();
        var buffer = new byte[3000];
        int read;
        while ((read = Ok(rig.Sys.Read(rig.Root, fd, buffer))) > 0)
            all.AddRange(buffer[..read]);
        Assert.Equal(data, all);
        Assert.Equal(10_000, Ok(rig.Sys.Lseek(rig.Root, fd, 0, SeekOrigin.Current)));
    }
}
