using Hardware.Testing;
using Hardware.Vfs.Ext2.Mkfs;
using Hardware.Vfs.Tests.DevFs;
using static Hardware.Vfs.Tests.Core.VfsRig;

namespace Hardware.Vfs.Tests.Core;

/// <summary>
/// The namespace system calls of VfsBenchmarks with warm dentries complete without waiting and allocate nothing in
/// steady state, in ramfs and in ext2: the path walk finds every component, the last one included, by a span of the
/// path; open takes a released file object back from the VFS's free list and close returns it.
/// </summary>
public sealed class NamespaceAllocationTests
{
    private const int Calls = 100, Windows = 4;

    [Fact]
    public void Stat_of_an_eight_component_path_in_ramfs_allocates_nothing_with_warm_dentries()
    {
        using var rig = new VfsRig();
        string deep = MakeDeepFile(rig.Sys, rig.Root, "");
        Assert.Equal(0, StatAllocations(rig.Calls, rig.Root, deep));
    }

    [Fact]
    public void Open_and_close_of_a_ramfs_file_allocate_nothing_in_steady_state()
    {
        using var rig = new VfsRig();
        rig.WriteFile(rig.Root, "/f", new byte[100]);
        Assert.Equal(0, OpenCloseAllocations(rig.Calls, rig.Root, "/f"));
    }

    [Fact]
    public void Stat_of_an_eight_component_path_in_ext2_allocates_nothing_with_warm_dentries()
    {
        using var rig = new DevFsRig(trackRentals: false);
        MountExt2(rig);
        string deep = MakeDeepFile(rig.Sys, rig.Root, "/mnt");
        Assert.Equal(0, StatAllocations(rig.Calls, rig.Root, deep));
        Ok(rig.Sys.Umount(rig.Root, "/mnt"));
    }

    [Fact]
    public void Open_and_close_of_an_ext2_file_allocate_nothing_in_steady_state()
    {
        using var rig = new DevFsRig(trackRentals: false);
        MountExt2(rig);
        int fd = Ok(rig.Sys.Open(rig.Root, "/mnt/f", OpenFlags.WriteOnly | OpenFlags.Create));
        Ok(rig.Sys.Write(rig.Root, fd, new byte[100]));
        rig.Close(fd);
        Assert.Equal(0, OpenCloseAllocations(rig.Calls, rig.Root, "/mnt/f"));
        Ok(rig.Sys.Umount(rig.Root, "/mnt"));
    }

    [Fact]
    public void A_reused_file_object_starts_at_position_zero_with_its_own_flags_and_a_fresh_read_ahead_window()
    {
        using var rig = new VfsRig();
        rig.WriteFile(rig.Root, "/a", new byte[64 * 1024]);
        rig.WriteFile(rig.Root, "/b", new byte[10]);
        int first = rig.Open(rig.Root, "/a", OpenFlags.ReadOnly);
        File used = rig.Root.Files.Get(first)!;
        Ok(rig.Sys.Read(rig.Root, first, new byte[32 * 1024]));
        Assert.Equal(32 * 1024 - 1, used.ReadAhead!.PreviousPosition);
        (used.ReadAhead.Start, used.ReadAhead.Size, used.ReadAhead.AsyncSize, used.ReadAhead.MaxPages) = (8, 16, 8, 4);
        Ok(rig.Sys.Close(rig.Root, first));

        int second = rig.Open(rig.Root, "/b", OpenFlags.WriteOnly | OpenFlags.Append);
        File reused = rig.Root.Files.Get(second)!;
        Assert.Same(used, reused);
        Assert.Equal("/b", reused.Path.Dentry.FullName);
        Assert.Equal(0, reused.Position);
        Assert.Equal(1, reused.ReferenceCount);
        Assert.True(reused.CanWrite && !reused.CanRead);
        Assert.Equal((0L, 0, 0, -1L), (reused.ReadAhead!.Start, reused.ReadAhead.Size, reused.ReadAhead.AsyncSize, reused.ReadAhead.PreviousPosition));
        Assert.Equal(rig.Cache.CreateReadAheadState().MaxPages, reused.ReadAhead.MaxPages);
        Ok(rig.Sys.Write(rig.Root, second, new byte[5]));
        Assert.Equal(15, Ok(rig.Sys.Fstat(rig.Root, second)).Size);
        Ok(rig.Sys.Close(rig.Root, second));
    }

    private static void MountExt2(DevFsRig rig)
    {
        Ok(rig.Machine.Run(async () => await Ext2Mkfs.FormatAsync(rig.Disk, new Ext2MkfsOptions { BlockSize = 4096, Seed = 1 }, rig.Machine.Cache)).Status);
        Ok(rig.Sys.Mkdir(rig.Root, "/mnt"));
        Ok(rig.Sys.Mount(rig.Root, "/dev/sda", "/mnt", "ext2"));
    }

    /// <summary>top/d1/.../d7/f: with the leading "/" of the root, eight components below <paramref name="top"/>'s filesystem.</summary>
    private static string MakeDeepFile(Syscalls.BlockingSystemCalls sys, Process root, string top)
    {
        string directory = top;
        for (int i = 1; i <= 7; i++)
        {
            directory += $"/d{i}";
            Ok(sys.Mkdir(root, directory));
        }
        string deep = directory + "/f";
        int fd = Ok(sys.Open(root, deep, OpenFlags.WriteOnly | OpenFlags.Create));
        Ok(sys.Close(root, fd));
        return deep;
    }

    private static long StatAllocations(Syscalls.SystemCalls calls, Process process, string path)
    {
        long size = 0;
        for (int i = 0; i < 10; i++)
            size += Completed(calls.StatAsync(process, path)).Size;
        long allocated = AllocationMeter.LeastOf(Windows, () =>
        {
            for (int i = 0; i < Calls / Windows; i++)
                size += Completed(calls.StatAsync(process, path)).Size;
        });
        Assert.Equal(0, size);
        return allocated;
    }

    private static long OpenCloseAllocations(Syscalls.SystemCalls calls, Process process, string path)
    {
        for (int i = 0; i < 10; i++)
            OpenClose(calls, process, path);
        return AllocationMeter.LeastOf(Windows, () =>
        {
            for (int i = 0; i < Calls / Windows; i++)
                OpenClose(calls, process, path);
        });
    }

    private static void OpenClose(Syscalls.SystemCalls calls, Process process, string path)
    {
        int fd = Completed(calls.OpenAsync(process, path, OpenFlags.ReadOnly));
        Completed(calls.CloseAsync(process, fd));
    }

    /// <summary>The value of a call that completed without waiting; checked without formatting anything on success.</summary>
    private static T Completed<T>(ValueTask<VfsResult<T>> call)
    {
        Assert.True(call.IsCompletedSuccessfully, "expected the call to complete without waiting");
        VfsResult<T> result = call.Result;
        if (!result.Ok)
            Assert.Fail(result.ToString());
        return result.Value;
    }

    private static void Completed(ValueTask<VfsResult> call)
    {
        Assert.True(call.IsCompletedSuccessfully, "expected the call to complete without waiting");
        if (!call.Result.Ok)
            Assert.Fail(call.Result.ToString());
    }
}
