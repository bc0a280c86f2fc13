using Hardware.Testing;
using Hardware.Vfs.Cache;
using Hardware.Vfs.Ext2.Mkfs;
using Hardware.Vfs.Tests.DevFs;
using static Hardware.Vfs.Tests.Core.VfsRig;

namespace Hardware.Vfs.Tests.Core;

/// <summary>
/// Creating and unlinking a file (VfsBenchmarks.CreateUnlink) allocates nothing in steady state: an evicted
/// regular file's inode goes on its superblock's free list with its emptied address space and its filesystem's
/// private object, and the next new file takes them back reset; nothing of the previous file shows through.
/// </summary>
public sealed class InodeReuseTests
{
    private const int Calls = 100, Windows = 4;

    [Fact]
    public void Creat_close_and_unlink_in_ramfs_allocate_nothing_in_steady_state()
    {
        using var rig = new VfsRig();
        Assert.Equal(0, CreateUnlinkAllocations(rig.Sys, rig.Calls, rig.Root, "/scratch"));
    }

    [Fact]
    public void Creat_close_and_unlink_in_ext2_allocate_nothing_in_steady_state()
    {
        using var rig = new DevFsRig(trackRentals: false);
        MountExt2(rig);
        Assert.Equal(0, CreateUnlinkAllocations(rig.Sys, rig.Calls, rig.Root, "/mnt/scratch"));
        Ok(rig.Sys.Umount(rig.Root, "/mnt"));
    }

    [Fact]
    public void A_recycled_ramfs_inode_starts_fresh_with_no_pages_and_no_data_of_the_unlinked_file()
    {
        using var rig = new VfsRig();
        Ok(rig.Sys.Mkdir(rig.Root, "/d"));
        rig.Simulation.RunUntil(rig.Simulation.Now + 5_000_000_000);
        rig.WriteFile(rig.Root, "/old", new byte[3 * CachePage.Size + 7]);
        Ok(rig.Sys.Chmod(rig.Root, "/old", 0x1ED));
        Ok(rig.Sys.Link(rig.Root, "/old", "/d/second"));
        Inode old = InodeOf(rig, "/old");
        long oldNumber = old.Number;
        Ok(rig.Sys.Unlink(rig.Root, "/old"));
        Ok(rig.Sys.Unlink(rig.Root, "/d/second"));
        Assert.True(old.IsFreed);
        Assert.Null(old.Mapping);
        Assert.Null(old.Private);

        rig.Simulation.RunUntil(rig.Simulation.Now + 5_000_000_000);
        int fd = rig.Open(rig.Root, "/new", OpenFlags.WriteOnly | OpenFlags.Create, 0x180);
        Inode fresh = rig.Root.Files.Get(fd)!.Inode;
        Assert.Same(old, fresh);
        Assert.False(fresh.IsFreed);
        Assert.NotEqual(oldNumber, fresh.Number);
        Assert.Equal((InodeType.Regular, 0x180 & ~rig.Root.Umask, 1, 0L, 0L), (fresh.Type, fresh.Mode, fresh.LinkCount, fresh.Size, fresh.Blocks));
        long now = rig.Simulation.Now + VfsOptions.DefaultRealTimeAtStartNs;
        Assert.Equal((now, now, now), (fresh.AccessTimeNs, fresh.ModifyTimeNs, fresh.ChangeTimeNs));
        Assert.Equal(0, fresh.Mapping!.PageCount);
        Assert.True(fresh.Mapping.IsLive && fresh.Mapping.Unevictable);
        Assert.Equal($"{fresh.SuperBlock.Id}:{fresh.Number}", fresh.Mapping.Name);
        Assert.Equal(0, fresh.Mapping.DirtyPages);
        Assert.Null(fresh.Mapping.FindPage(0));
        Assert.Equal(0L, ((Hardware.Vfs.RamFs.RamSuperInfo)fresh.SuperBlock.FileSystemInfo!).UsedBytes);
        Ok(rig.Sys.Close(rig.Root, fd));
        Assert.Empty(Read(rig, "/new"));
    }

    [Fact]
    public void A_recycled_ext2_inode_starts_fresh_with_a_cleared_record_and_nothing_pending()
    {
        using var rig = new DevFsRig(trackRentals: false);
        MountExt2(rig);
        WriteAll(rig.Sys, rig.Root, "/mnt/old", Content(1, 3 * 4096 + 5));
        int held = Ok(rig.Sys.Open(rig.Root, "/mnt/old", OpenFlags.ReadOnly));
        Inode old = rig.Root.Files.Get(held)!.Inode;
        var oldData = (Hardware.Vfs.Ext2.Ext2InodeData)old.Private!;
        Ok(rig.Sys.Close(rig.Root, held));
        Assert.NotEmpty(oldData.PendingBlocks);
        Ok(rig.Sys.Unlink(rig.Root, "/mnt/old"));
        Assert.True(old.IsFreed);
        Assert.Null(old.Private);

        int fd = Ok(rig.Sys.Open(rig.Root, "/mnt/new", OpenFlags.WriteOnly | OpenFlags.Create, 0x180));
        Inode fresh = rig.Root.Files.Get(fd)!.Inode;
        Assert.Same(old, fresh);
        var data = (Hardware.Vfs.Ext2.Ext2InodeData)fresh.Private!;
        Assert.Same(oldData, data);
        Assert.Equal(fresh.Number, data.Number);
        Assert.Equal((InodeType.Regular, 0x180 & ~rig.Root.Umask, 1, 0L, 0L), (fresh.Type, fresh.Mode, fresh.LinkCount, fresh.Size, fresh.Blocks));
        Assert.Equal((0u, 0u, 0u, 0UL), (data.Record.Blocks, data.Record.DeleteTime, data.Record.FileAcl, data.Record.FileSize));
        Assert.All(data.Record.Block, pointer => Assert.Equal(0u, pointer));
        Assert.Empty(data.PendingBlocks);
        Assert.Empty(data.PendingIndirect);
        Assert.False(data.Window.IsAllocated);
        Assert.Equal(-1, data.LastAllocatedFileBlock);
        Assert.False(data.IsFreed);
        Assert.Equal(0, fresh.Mapping!.PageCount);
        Assert.Equal($"{fresh.SuperBlock.Id}:{fresh.Number}", fresh.Mapping.Name);
        Ok(rig.Sys.Close(rig.Root, fd));
        Assert.Empty(ReadAll(rig.Sys, rig.Root, "/mnt/new"));
        WriteAll(rig.Sys, rig.Root, "/mnt/new", Content(2, 4096 + 1));
        Assert.Equal(Content(2, 4096 + 1), ReadAll(rig.Sys, rig.Root, "/mnt/new"));
        Ok(rig.Sys.Umount(rig.Root, "/mnt"));
    }

    [Fact]
    public void A_file_reopened_by_its_path_after_other_files_were_created_and_unlinked_reads_its_own_data_in_ramfs()
    {
        using var rig = new VfsRig();
        FilesKeepTheirDataAcrossReuse(rig.Sys, rig.Root, "", path => Read(rig, path));
    }

    [Fact]
    public void A_file_reopened_by_its_path_after_other_files_were_created_and_unlinked_reads_its_own_data_in_ext2()
    {
        using var rig = new DevFsRig(trackRentals: false);
        MountExt2(rig);
        FilesKeepTheirDataAcrossReuse(rig.Sys, rig.Root, "/mnt", path => ReadAll(rig.Sys, rig.Root, path));
        Ok(rig.Sys.Umount(rig.Root, "/mnt"));
    }

    [Fact]
    public void An_unlinked_file_still_open_is_not_reused_until_its_last_close()
    {
        using var rig = new VfsRig();
        rig.WriteFile(rig.Root, "/held", "held data"u8.ToArray());
        int held = rig.Open(rig.Root, "/held", OpenFlags.ReadOnly);
        Inode inode = rig.Root.Files.Get(held)!.Inode;
        Ok(rig.Sys.Unlink(rig.Root, "/held"));
        for (int i = 0; i < 3; i++)
        {
            rig.WriteFile(rig.Root, "/other", new byte[10]);
            Ok(rig.Sys.Unlink(rig.Root, "/other"));
        }
        Assert.False(inode.IsFreed);
        var buffer = new byte[32];
        int read = Ok(rig.Sys.Read(rig.Root, held, buffer));
        Assert.Equal("held data", System.Text.Encoding.ASCII.GetString(buffer, 0, read));
        Ok(rig.Sys.Close(rig.Root, held));
        Assert.True(inode.IsFreed);
    }

    [Fact]
    public void An_evicted_inode_leaves_its_superblocks_dirty_list()
    {
        using var rig = new VfsRig();
        SuperBlock superBlock = rig.Root.Root.Inode!.SuperBlock;
        for (int i = 0; i < 5; i++)
        {
            rig.WriteFile(rig.Root, $"/f{i}", new byte[10]);
            Ok(rig.Sys.Unlink(rig.Root, $"/f{i}"));
        }
        Assert.DoesNotContain(superBlock.DirtyInodes, inode => inode.IsFreed);
        // Each new file took the inode the previous unlink freed.
        Assert.Equal(1, superBlock.FreeInodes);
    }

    [Fact]
    public void A_removed_directory_that_is_still_a_working_directory_is_not_recycled()
    {
        using var rig = new VfsRig();
        Ok(rig.Sys.Mkdir(rig.Root, "/gone"));
        Process user = rig.Spawn(2, Credentials.Root);
        Ok(rig.Sys.Chdir(user, "/gone"));
        Inode directory = user.WorkingDirectory.Inode!;
        long number = directory.Number;
        Ok(rig.Sys.Rmdir(rig.Root, "/gone"));
        for (int i = 0; i < 3; i++)
        {
            rig.WriteFile(rig.Root, "/f", new byte[10]);
            Ok(rig.Sys.Unlink(rig.Root, "/f"));
        }
        Assert.Same(directory, user.WorkingDirectory.Inode);
        Assert.Equal((InodeType.Directory, number), (directory.Type, directory.Number));
        Assert.True(directory.IsFreed);
        Assert.Equal(1, rig.Root.Root.Inode!.SuperBlock.FreeInodes);
    }

    [Fact]
    public void A_superblock_keeps_at_most_its_free_inode_limit()
    {
        using var rig = new VfsRig();
        int count = SuperBlock.FreeInodeLimit + 10;
        for (int i = 0; i < count; i++)
            rig.WriteFile(rig.Root, $"/f{i}", new byte[1]);
        for (int i = 0; i < count; i++)
            Ok(rig.Sys.Unlink(rig.Root, $"/f{i}"));
        Assert.Equal(SuperBlock.FreeInodeLimit, rig.Root.Root.Inode!.SuperBlock.FreeInodes);
    }

    private static void FilesKeepTheirDataAcrossReuse(Syscalls.BlockingSystemCalls sys, Process root, string top, Func<string, byte[]> read)
    {
        for (int round = 0; round < 4; round++)
        {
            string kept = $"{top}/kept{round}";
            WriteAll(sys, root, kept, Content(round, 5000 + round));
            for (int i = 0; i < 5; i++)
            {
                string scratch = $"{top}/scratch{i}";
                WriteAll(sys, root, scratch, Content(100 + i, 9000));
                Ok(sys.Unlink(root, scratch));
            }
        }
        for (int round = 0; round < 4; round++)
            Assert.Equal(Content(round, 5000 + round), read($"{top}/kept{round}"));
    }

    private static byte[] Content(int seed, int length)
    {
        var bytes = new byte[length];
        for (int i = 0; i < length; i++)
            bytes[i] = (byte)(seed * 31 + i * 7);
        return bytes;
    }

    private static void WriteAll(Syscalls.BlockingSystemCalls sys, Process root, string path, byte[] data)
    {
        int fd = Ok(sys.Open(root, path, OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Truncate, 0x1A4));
        Assert.Equal(data.Length, Ok(sys.Write(root, fd, data)));
        Ok(sys.Close(root, fd));
    }

    private static byte[] ReadAll(Syscalls.BlockingSystemCalls sys, Process root, string path)
    {
        int fd = Ok(sys.Open(root, path, OpenFlags.ReadOnly));
        var all = new List<byte>();
        var buffer = new byte[4096];
        int read;
        while ((read = Ok(sys.Read(root, fd, buffer))) > 0)
            all.AddRange(buffer.AsSpan(0, read));
        Ok(sys.Close(root, fd));
        return [.. all];
    }

    private static Inode InodeOf(VfsRig rig, string path)
    {
        int fd = rig.Open(rig.Root, path, OpenFlags.ReadOnly);
        Inode inode = rig.Root.Files.Get(fd)!.Inode;
        Ok(rig.Sys.Close(rig.Root, fd));
        return inode;
    }

    private static byte[] Read(VfsRig rig, string path) => ReadAll(rig.Sys, rig.Root, path);

    private static void MountExt2(DevFsRig rig)
    {
        Ok(rig.Machine.Run(async () => await Ext2Mkfs.FormatAsync(rig.Disk, new Ext2MkfsOptions { BlockSize = 4096, Seed = 1 }, rig.Machine.Cache)).Status);
        Ok(rig.Sys.Mkdir(rig.Root, "/mnt"));
        Ok(rig.Sys.Mount(rig.Root, "/dev/sda", "/mnt", "ext2"));
    }

    private static long CreateUnlinkAllocations(Syscalls.BlockingSystemCalls sys, Syscalls.SystemCalls calls, Process process, string path)
    {
        // The first rounds may wait for the disk (the directory's block is read once); the measured ones must not.
        for (int i = 0; i < 3; i++)
        {
            int fd = Ok(sys.Open(process, path, OpenFlags.WriteOnly | OpenFlags.Create, 0x1A4));
            Ok(sys.Close(process, fd));
            Ok(sys.Unlink(process, path));
        }
        for (int i = 0; i < 10; i++)
            CreateUnlink(calls, process, path);
        return AllocationMeter.LeastOf(Windows, () =>
        {
            for (int i = 0; i < Calls / Windows; i++)
                CreateUnlink(calls, process, path);
        });
    }

    private static void CreateUnlink(Syscalls.SystemCalls calls, Process process, string path)
    {
        int fd = Completed(calls.OpenAsync(process, path, OpenFlags.WriteOnly | OpenFlags.Create, 0x1A4));
        Completed(calls.CloseAsync(process, fd));
        Completed(calls.UnlinkAsync(process, path));
    }

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
