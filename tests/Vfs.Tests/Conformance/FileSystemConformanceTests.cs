using Hardware.BlockLayer;
using Hardware.Vfs.Syscalls;
using Hardware.Vfs.Tests.Core;
using static Hardware.Vfs.Tests.Core.VfsRig;

namespace Hardware.Vfs.Tests.Conformance;

/// <summary>
/// POSIX behaviour every filesystem type must show through the syscalls, run on an instance mounted at /mnt by the
/// subclass (ramfs, ext2). Each errno the issue lists has a case here.
/// </summary>
public abstract class FileSystemConformanceTests : IDisposable
{
    private protected const string Mnt = "/mnt";

    private protected FileSystemConformanceTests()
    {
        Rig = CreateRig();
        Root = Rig.Root;
        Ok(Rig.Sys.Mkdir(Root, Mnt, 0x1FF));
        Ok(MountUnderTest(Rig, Mnt, MountFlags.None, capacityBytes: 0));
        Ok(Rig.Sys.Chmod(Root, Mnt, 0x1FF));
    }

    private protected VfsRig Rig { get; }

    private protected Process Root { get; }

    private protected BlockingSystemCalls Sys => Rig.Sys;

    private protected SystemCalls Calls => Rig.Calls;

    /// <summary>
    /// Mounts a fresh instance of the filesystem under test at <paramref name="target"/>; a non-zero
    /// <paramref name="capacityBytes"/> bounds its data so writes past it give ENOSPC.
    /// </summary>
    private protected abstract VfsResult MountUnderTest(VfsRig rig, string target, MountFlags flags, long capacityBytes);

    /// <summary>
    /// Subdirectories a fresh instance's root holds before any case runs (ext2's mkfs makes lost+found); each adds one
    /// to the root's link count.
    /// </summary>
    private protected virtual int FreshRootSubdirectories => 0;

    /// <summary>The booted VFS the cases run on: a plain one without disks unless the filesystem needs a device.</summary>
    private protected virtual VfsRig CreateRig() => new();

    public void Dispose() => Rig.Dispose();

    [Fact]
    public void A_created_file_reads_back_what_was_written()
    {
        byte[] data = Enumerable.Range(0, 10_000).Select(i => (byte)(i * 7)).ToArray();
        Rig.WriteFile(Root, "/mnt/f", data);
        Assert.Equal(data, Rig.ReadFile(Root, "/mnt/f"));
        Assert.Equal(10_000, Ok(Sys.Stat(Root, "/mnt/f")).Size);
    }

    [Fact]
    public void Opening_a_missing_file_without_O_CREAT_gives_ENOENT_naming_the_path()
    {
        VfsResult<int> result = Sys.Open(Root, "/mnt/missing", OpenFlags.ReadOnly);
        Fails(Errno.ENOENT, result);
        Assert.Contains("/mnt/missing", result.Message);
        Fails(Errno.ENOENT, Sys.Stat(Root, "/mnt/nodir/x"));
    }

    [Fact]
    public void O_EXCL_on_an_existing_name_gives_EEXIST_and_so_do_mkdir_symlink_and_link()
    {
        Rig.WriteFile(Root, "/mnt/f", Bytes("x"));
        Fails(Errno.EEXIST, Sys.Open(Root, "/mnt/f", OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Exclusive));
        Fails(Errno.EEXIST, Sys.Mkdir(Root, "/mnt/f"));
        Fails(Errno.EEXIST, Sys.Symlink(Root, "t", "/mnt/f"));
        Fails(Errno.EEXIST, Sys.Link(Root, "/mnt/f", "/mnt/f"));
        Fails(Errno.EEXIST, Sys.Mkdir(Root, "/mnt"));
    }

    [Fact]
    public void A_regular_file_used_as_a_directory_gives_ENOTDIR()
    {
        Rig.WriteFile(Root, "/mnt/f", Bytes("x"));
        Fails(Errno.ENOTDIR, Sys.Stat(Root, "/mnt/f/x"));
        Fails(Errno.ENOTDIR, Sys.Stat(Root, "/mnt/f/"));
        Fails(Errno.ENOTDIR, Sys.Open(Root, "/mnt/f", OpenFlags.ReadOnly | OpenFlags.Directory));
        Fails(Errno.ENOTDIR, Sys.Rmdir(Root, "/mnt/f"));
        Fails(Errno.ENOTDIR, Sys.Unlink(Root, "/mnt/f/"));
    }

    [Fact]
    public void A_directory_opened_for_writing_or_unlinked_gives_EISDIR()
    {
        Ok(Sys.Mkdir(Root, "/mnt/d"));
        Fails(Errno.EISDIR, Sys.Open(Root, "/mnt/d", OpenFlags.WriteOnly));
        Fails(Errno.EISDIR, Sys.Unlink(Root, "/mnt/d"));
        int fd = Rig.Open(Root, "/mnt/d", OpenFlags.ReadOnly);
        Fails(Errno.EISDIR, Sys.Read(Root, fd, new byte[8]));
        Rig.WriteFile(Root, "/mnt/f", Bytes("x"));
        Fails(Errno.EISDIR, Sys.Rename(Root, "/mnt/f", "/mnt/d"));
    }

    [Fact]
    public void Removing_a_directory_with_entries_gives_ENOTEMPTY_and_an_empty_one_goes()
    {
        Ok(Sys.Mkdir(Root, "/mnt/d"));
        Rig.WriteFile(Root, "/mnt/d/f", Bytes("x"));
        Fails(Errno.ENOTEMPTY, Sys.Rmdir(Root, "/mnt/d"));
        Ok(Sys.Unlink(Root, "/mnt/d/f"));
        Ok(Sys.Rmdir(Root, "/mnt/d"));
        Fails(Errno.ENOENT, Sys.Stat(Root, "/mnt/d"));
    }

    [Fact]
    public void Permission_bits_refuse_other_users_with_EACCES_and_root_overrides_them()
    {
        Rig.WriteFile(Root, "/mnt/secret", Bytes("s"), mode: 0x180);
        Process user = Rig.User(100, 1000, 1000);
        Fails(Errno.EACCES, Sys.Open(user, "/mnt/secret", OpenFlags.ReadOnly));
        Fails(Errno.EACCES, Sys.Open(user, "/mnt/secret", OpenFlags.WriteOnly));
        Assert.Equal(Bytes("s"), Rig.ReadFile(Root, "/mnt/secret"));
        Ok(Sys.Mkdir(Root, "/mnt/closed", 0x1C0));
        Rig.WriteFile(Root, "/mnt/closed/f", Bytes("f"), mode: 0x1B6);
        Fails(Errno.EACCES, Sys.Stat(user, "/mnt/closed/f"));
        Fails(Errno.EACCES, Sys.Mkdir(user, "/mnt/closed/sub"));
    }

    [Fact]
    public void Only_the_owner_or_root_may_chmod_or_chown_otherwise_EPERM()
    {
        Rig.WriteFile(Root, "/mnt/f", Bytes("x"));
        Process user = Rig.User(100, 1000, 1000);
        Fails(Errno.EPERM, Sys.Chmod(user, "/mnt/f", 0x1FF));
        Fails(Errno.EPERM, Sys.Chown(user, "/mnt/f", 1000, -1));
        Ok(Sys.Chown(Root, "/mnt/f", 1000, 1000));
        Ok(Sys.Chmod(user, "/mnt/f", 0x180));
        Assert.Equal(0x180, Ok(Sys.Stat(Root, "/mnt/f")).Permissions);
        Fails(Errno.EPERM, Sys.Chown(user, "/mnt/f", 0, -1));
    }

    [Fact]
    public void A_sticky_directory_lets_only_the_owner_remove_an_entry_otherwise_EPERM()
    {
        Ok(Sys.Mkdir(Root, "/mnt/tmp"));
        Ok(Sys.Chmod(Root, "/mnt/tmp", 0x3FF));
        Process alice = Rig.User(100, 1000, 1000);
        Process bob = Rig.User(101, 1001, 1001);
        Rig.WriteFile(alice, "/mnt/tmp/a", Bytes("a"));
        Fails(Errno.EPERM, Sys.Unlink(bob, "/mnt/tmp/a"));
        Fails(Errno.EPERM, Sys.Rename(bob, "/mnt/tmp/a", "/mnt/tmp/b"));
        Ok(Sys.Unlink(alice, "/mnt/tmp/a"));
    }

    [Fact]
    public void Descriptors_not_open_or_not_open_for_the_access_give_EBADF()
    {
        Fails(Errno.EBADF, Sys.Read(Root, 42, new byte[1]));
        Fails(Errno.EBADF, Sys.Close(Root, 42));
        Rig.WriteFile(Root, "/mnt/f", Bytes("x"));
        int fd = Rig.Open(Root, "/mnt/f", OpenFlags.ReadOnly);
        Fails(Errno.EBADF, Sys.Write(Root, fd, Bytes("y")));
        Ok(Sys.Close(Root, fd));
        Fails(Errno.EBADF, Sys.Read(Root, fd, new byte[1]));
        Fails(Errno.EBADF, Calls.Fstat(Root, fd));
    }

    [Fact]
    public void Invalid_arguments_give_EINVAL()
    {
        Rig.WriteFile(Root, "/mnt/f", Bytes("x"));
        int fd = Rig.Open(Root, "/mnt/f", OpenFlags.ReadOnly);
        Fails(Errno.EINVAL, Sys.Lseek(Root, fd, -1, SeekOrigin.Set));
        Fails(Errno.EINVAL, Sys.Ftruncate(Root, fd, 0));
        Fails(Errno.EINVAL, Sys.Truncate(Root, "/mnt/f", -1));
        Fails(Errno.EINVAL, Sys.ReadLink(Root, "/mnt/f"));
        Ok(Sys.Mkdir(Root, "/mnt/d"));
        Ok(Sys.Mkdir(Root, "/mnt/d/e"));
        Fails(Errno.EINVAL, Sys.Rename(Root, "/mnt/d", "/mnt/d/e/inside"));
        Fails(Errno.EINVAL, Sys.Rmdir(Root, "/mnt/d/."));
    }

    [Fact]
    public void Writing_past_the_capacity_gives_ENOSPC_after_a_short_write()
    {
        Ok(Sys.Mkdir(Root, "/mnt/small"));
        Ok(MountUnderTest(Rig, "/mnt/small", MountFlags.None, capacityBytes: 64 * 1024));
        int fd = Rig.Open(Root, "/mnt/small/f", OpenFlags.WriteOnly | OpenFlags.Create);
        var chunk = new byte[48 * 1024];
        Assert.Equal(chunk.Length, Ok(Sys.Write(Root, fd, chunk)));
        int written = Ok(Sys.Write(Root, fd, chunk));
        Assert.InRange(written, 1, chunk.Length - 1);
        Fails(Errno.ENOSPC, Sys.Write(Root, fd, chunk));
        Ok(Sys.Ftruncate(Root, fd, 0));
        Assert.Equal(chunk.Length, Ok(Sys.Pwrite(Root, fd, chunk, 0)));
        Ok(Sys.Close(Root, fd));
        Ok(Sys.Umount(Root, "/mnt/small"));
    }

    [Fact]
    public void A_read_only_mount_refuses_every_change_with_EROFS()
    {
        Ok(Sys.Mkdir(Root, "/mnt/ro"));
        Ok(MountUnderTest(Rig, "/mnt/ro", MountFlags.ReadOnly, capacityBytes: 0));
        Fails(Errno.EROFS, Sys.Open(Root, "/mnt/ro/f", OpenFlags.WriteOnly | OpenFlags.Create));
        Fails(Errno.EROFS, Sys.Mkdir(Root, "/mnt/ro/d"));
        Fails(Errno.EROFS, Sys.Symlink(Root, "x", "/mnt/ro/l"));
        Fails(Errno.EROFS, Sys.Chmod(Root, "/mnt/ro", 0x1C0));
        Assert.True((Ok(Sys.StatFs(Root, "/mnt/ro")).Flags & MountFlags.ReadOnly) != 0);
        Ok(Sys.Umount(Root, "/mnt/ro"));
    }

    [Fact]
    public void Symlink_loops_and_O_NOFOLLOW_give_ELOOP()
    {
        Ok(Sys.Symlink(Root, "/mnt/b", "/mnt/a"));
        Ok(Sys.Symlink(Root, "/mnt/a", "/mnt/b"));
        Fails(Errno.ELOOP, Sys.Stat(Root, "/mnt/a"));
        Fails(Errno.ELOOP, Sys.Open(Root, "/mnt/a/x", OpenFlags.ReadOnly));
        Rig.WriteFile(Root, "/mnt/f", Bytes("x"));
        Ok(Sys.Symlink(Root, "f", "/mnt/l"));
        Fails(Errno.ELOOP, Sys.Open(Root, "/mnt/l", OpenFlags.ReadOnly | OpenFlags.NoFollow));
        Assert.Equal(Bytes("x"), Rig.ReadFile(Root, "/mnt/l"));
        Assert.Equal(InodeType.Symlink, Ok(Sys.Lstat(Root, "/mnt/l")).Type);
        Assert.Equal("f", Ok(Sys.ReadLink(Root, "/mnt/l")));
    }

    [Fact]
    public void A_chain_of_forty_symlinks_resolves_and_forty_one_gives_ELOOP()
    {
        Rig.WriteFile(Root, "/mnt/f", Bytes("x"));
        Ok(Sys.Symlink(Root, "f", "/mnt/l1"));
        for (int i = 2; i <= 41; i++)
            Ok(Sys.Symlink(Root, $"l{i - 1}", $"/mnt/l{i}"));
        Assert.Equal(1, Ok(Sys.Stat(Root, "/mnt/l40")).Size);
        Fails(Errno.ELOOP, Sys.Stat(Root, "/mnt/l41"));
    }

    [Fact]
    public void Names_over_NAME_MAX_and_paths_of_PATH_MAX_give_ENAMETOOLONG()
    {
        string longName = new('n', 256);
        Fails(Errno.ENAMETOOLONG, Sys.Open(Root, "/mnt/" + longName, OpenFlags.WriteOnly | OpenFlags.Create));
        Fails(Errno.ENAMETOOLONG, Sys.Stat(Root, "/mnt/" + longName + "/x"));
        Rig.WriteFile(Root, "/mnt/" + new string('n', 255), Bytes("ok"));
        string longPath = "/mnt/" + string.Concat(Enumerable.Repeat("./", 2046));
        Fails(Errno.ENAMETOOLONG, Sys.Stat(Root, longPath));
    }

    [Fact]
    public void Rename_and_link_across_mounts_give_EXDEV()
    {
        Rig.WriteFile(Root, "/mnt/f", Bytes("x"));
        Ok(Sys.Mkdir(Root, "/other"));
        Fails(Errno.EXDEV, Sys.Rename(Root, "/mnt/f", "/other/f"));
        Fails(Errno.EXDEV, Sys.Link(Root, "/mnt/f", "/other/f"));
    }

    [Fact]
    public void Unmounting_a_mount_with_an_open_file_gives_EBUSY_until_it_closes()
    {
        Ok(Sys.Mkdir(Root, "/mnt/inner"));
        Ok(MountUnderTest(Rig, "/mnt/inner", MountFlags.None, capacityBytes: 0));
        int fd = Rig.Open(Root, "/mnt/inner/f", OpenFlags.WriteOnly | OpenFlags.Create);
        Fails(Errno.EBUSY, Sys.Umount(Root, "/mnt/inner"));
        Fails(Errno.EBUSY, Sys.Rmdir(Root, "/mnt/inner"));
        Fails(Errno.EBUSY, Sys.Umount(Root, "/mnt"));
        Ok(Sys.Close(Root, fd));
        Ok(Sys.Umount(Root, "/mnt/inner"));
        Fails(Errno.ENOENT, Sys.Stat(Root, "/mnt/inner/f"));
    }

    [Fact]
    public void Opening_past_the_descriptor_limit_gives_EMFILE()
    {
        Rig.WriteFile(Root, "/mnt/f", Bytes("x"));
        Root.Files.Limit = 8;
        for (int i = 0; i < 8; i++)
            Assert.Equal(i, Rig.Open(Root, "/mnt/f", OpenFlags.ReadOnly));
        Fails(Errno.EMFILE, Sys.Open(Root, "/mnt/f", OpenFlags.ReadOnly));
        Fails(Errno.EMFILE, Calls.Dup(Root, 0));
    }

    [Fact]
    public void Writing_or_truncating_past_the_maximum_file_size_gives_EFBIG()
    {
        int fd = Rig.Open(Root, "/mnt/f", OpenFlags.ReadWrite | OpenFlags.Create);
        long max = Rig.Vfs.Mounts.FollowDown(Rig.Sys.Call(_ => Rig.Vfs.Walker.ResolveAsync(Root, Root.WorkingDirectory, "/mnt", true)).Value).Mount.SuperBlock.MaxFileSize;
        Fails(Errno.EFBIG, Sys.Pwrite(Root, fd, Bytes("x"), max));
        if (max < long.MaxValue)
            Fails(Errno.EFBIG, Sys.Ftruncate(Root, fd, max + 1));
    }

    [Fact]
    public void O_TRUNC_empties_O_APPEND_appends_and_truncate_extends_with_zeros()
    {
        Rig.WriteFile(Root, "/mnt/f", Bytes("hello world"));
        int fd = Rig.Open(Root, "/mnt/f", OpenFlags.WriteOnly | OpenFlags.Append);
        Ok(Sys.Pwrite(Root, fd, Bytes("!"), 0));
        Ok(Sys.Close(Root, fd));
        Assert.Equal(Bytes("hello world!"), Rig.ReadFile(Root, "/mnt/f"));
        Ok(Sys.Truncate(Root, "/mnt/f", 5));
        Ok(Sys.Truncate(Root, "/mnt/f", 8));
        Assert.Equal([.. Bytes("hello"), 0, 0, 0], Rig.ReadFile(Root, "/mnt/f"));
        fd = Rig.Open(Root, "/mnt/f", OpenFlags.WriteOnly | OpenFlags.Truncate);
        Assert.Equal(0, Ok(Calls.Fstat(Root, fd)).Size);
    }

    [Fact]
    public void An_unlinked_file_stays_readable_through_its_open_descriptor()
    {
        Rig.WriteFile(Root, "/mnt/f", Bytes("still here"));
        int fd = Rig.Open(Root, "/mnt/f", OpenFlags.ReadOnly);
        Ok(Sys.Unlink(Root, "/mnt/f"));
        Fails(Errno.ENOENT, Sys.Stat(Root, "/mnt/f"));
        Assert.Equal(0, Ok(Calls.Fstat(Root, fd)).LinkCount);
        var buffer = new byte[32];
        Assert.Equal(10, Ok(Sys.Read(Root, fd, buffer)));
        Ok(Sys.Close(Root, fd));
        Rig.WriteFile(Root, "/mnt/f", Bytes("new"));
        Assert.Equal(Bytes("new"), Rig.ReadFile(Root, "/mnt/f"));
    }

    [Fact]
    public void A_hard_link_is_the_same_inode_and_counts_its_links()
    {
        Rig.WriteFile(Root, "/mnt/f", Bytes("x"));
        Ok(Sys.Link(Root, "/mnt/f", "/mnt/g"));
        FileStatus f = Ok(Sys.Stat(Root, "/mnt/f"));
        Assert.Equal(f.InodeNumber, Ok(Sys.Stat(Root, "/mnt/g")).InodeNumber);
        Assert.Equal(2, f.LinkCount);
        Ok(Sys.Unlink(Root, "/mnt/f"));
        Assert.Equal(1, Ok(Sys.Stat(Root, "/mnt/g")).LinkCount);
        Ok(Sys.Mkdir(Root, "/mnt/d"));
        Fails(Errno.EPERM, Sys.Link(Root, "/mnt/d", "/mnt/d2"));
    }

    [Fact]
    public void Rename_moves_across_directories_replaces_files_and_empty_directories_and_honours_NOREPLACE()
    {
        Ok(Sys.Mkdir(Root, "/mnt/a"));
        Ok(Sys.Mkdir(Root, "/mnt/b"));
        Rig.WriteFile(Root, "/mnt/a/f", Bytes("one"));
        Rig.WriteFile(Root, "/mnt/b/g", Bytes("two"));
        Fails(Errno.EEXIST, Sys.Rename(Root, "/mnt/a/f", "/mnt/b/g", RenameFlags.NoReplace));
        Ok(Sys.Rename(Root, "/mnt/a/f", "/mnt/b/g"));
        Assert.Equal(Bytes("one"), Rig.ReadFile(Root, "/mnt/b/g"));
        Fails(Errno.ENOENT, Sys.Stat(Root, "/mnt/a/f"));
        Ok(Sys.Mkdir(Root, "/mnt/empty"));
        Ok(Sys.Rename(Root, "/mnt/a", "/mnt/empty"));
        Assert.Equal(InodeType.Directory, Ok(Sys.Stat(Root, "/mnt/empty")).Type);
        Fails(Errno.ENOENT, Sys.Stat(Root, "/mnt/a"));
        Fails(Errno.ENOTEMPTY, Sys.Rename(Root, "/mnt/empty", "/mnt/b"));
        Fails(Errno.ENOTDIR, Sys.Rename(Root, "/mnt/empty", "/mnt/b/g"));
        Assert.Equal(2 + 2 + FreshRootSubdirectories, Ok(Sys.Stat(Root, "/mnt")).LinkCount);
    }

    [Fact]
    public void Getdents_lists_dot_dotdot_and_every_entry_once_across_calls()
    {
        Ok(Sys.Mkdir(Root, "/mnt/d"));
        for (int i = 0; i < 10; i++)
            Rig.WriteFile(Root, $"/mnt/d/f{i}", Bytes("x"));
        int fd = Rig.Open(Root, "/mnt/d", OpenFlags.ReadOnly | OpenFlags.Directory);
        var names = new List<string>();
        while (true)
        {
            IReadOnlyList<DirectoryEntry> batch = Ok(Sys.GetDirectoryEntries(Root, fd, 4));
            if (batch.Count == 0)
                break;
            names.AddRange(batch.Select(e => e.Name));
        }
        Assert.Equal([".", "..", .. Enumerable.Range(0, 10).Select(i => $"f{i}")], names);
    }

    [Fact]
    public void Times_are_virtual_ns_and_a_write_advances_mtime_and_ctime()
    {
        Rig.WriteFile(Root, "/mnt/f", Bytes("x"));
        FileStatus before = Ok(Sys.Stat(Root, "/mnt/f"));
        Rig.Run(async () => await Rig.Simulation.Delay(5_000_000_000));
        int fd = Rig.Open(Root, "/mnt/f", OpenFlags.WriteOnly);
        Ok(Sys.Write(Root, fd, Bytes("y")));
        FileStatus after = Ok(Calls.Fstat(Root, fd));
        Assert.Equal(before.ModifyTimeNs + 5_000_000_000, after.ModifyTimeNs);
        Assert.Equal(after.ModifyTimeNs, after.ChangeTimeNs);
        Ok(Sys.Utimens(Root, "/mnt/f", 7, 9));
        Assert.Equal((7L, 9L), (Ok(Sys.Stat(Root, "/mnt/f")).AccessTimeNs, Ok(Sys.Stat(Root, "/mnt/f")).ModifyTimeNs));
    }

    [Fact]
    public void Two_processes_sharing_a_file_see_each_others_writes_through_the_page_cache()
    {
        Process writer = Rig.User(200, 1000, 1000);
        Process reader = Rig.User(201, 1001, 1001);
        Rig.WriteFile(writer, "/mnt/shared", new byte[8192], mode: 0x1A4);
        int w = Rig.Open(writer, "/mnt/shared", OpenFlags.WriteOnly);
        int r = Rig.Open(reader, "/mnt/shared", OpenFlags.ReadOnly);
        var seen = new List<byte>();
        Rig.Run(async () =>
        {
            var buffer = new byte[1];
            for (byte round = 1; round <= 5; round++)
            {
                Assert.True((await Calls.PwriteAsync(writer, w, new[] { round }, 4100)).Ok);
                await Rig.Simulation.Delay(1000);
                Assert.True((await Calls.PreadAsync(reader, r, buffer, 4100)).Ok);
                seen.Add(buffer[0]);
            }
        });
        Assert.Equal([1, 2, 3, 4, 5], seen);
    }

    [Fact]
    public void Seek_data_and_hole_report_the_data_and_the_end()
    {
        Rig.WriteFile(Root, "/mnt/f", new byte[5000]);
        int fd = Rig.Open(Root, "/mnt/f", OpenFlags.ReadOnly);
        Assert.Equal(100, Ok(Sys.Lseek(Root, fd, 100, SeekOrigin.Data)));
        Assert.Equal(5000, Ok(Sys.Lseek(Root, fd, 100, SeekOrigin.Hole)));
        Fails(Errno.ENXIO, Sys.Lseek(Root, fd, 5000, SeekOrigin.Data));
        Assert.Equal(4990, Ok(Sys.Lseek(Root, fd, -10, SeekOrigin.End)));
    }

    [Fact]
    public void Mknod_and_mkfifo_make_special_inodes_that_only_root_may_make_as_devices()
    {
        Ok(Sys.Mkfifo(Root, "/mnt/fifo"));
        Assert.Equal(InodeType.Fifo, Ok(Sys.Stat(Root, "/mnt/fifo")).Type);
        Ok(Sys.Mknod(Root, "/mnt/null", InodeType.CharDevice, 0x1B6, Inode.MakeDevice(1, 3)));
        FileStatus node = Ok(Sys.Stat(Root, "/mnt/null"));
        Assert.Equal((InodeType.CharDevice, Inode.MakeDevice(1, 3)), (node.Type, node.DeviceNumber));
        Process user = Rig.User(100, 1000, 1000);
        Fails(Errno.EPERM, Sys.Mknod(user, "/mnt/sda", InodeType.BlockDevice, 0x1B0, Inode.MakeDevice(8, 0)));
        Ok(Sys.Mknod(Root, "/mnt/nodriver", InodeType.CharDevice, 0x1B6, Inode.MakeDevice(250, 0)));
        Fails(Errno.ENXIO, Sys.Open(Root, "/mnt/nodriver", OpenFlags.ReadOnly));
    }

    [Fact]
    public void The_umask_is_taken_from_the_mode_of_new_files_and_directories()
    {
        Assert.Equal(0x12, Calls.Umask(Root, 0x3F));
        Rig.WriteFile(Root, "/mnt/f", Bytes("x"), mode: 0x1FF);
        Ok(Sys.Mkdir(Root, "/mnt/d", 0x1FF));
        Assert.Equal(0x1C0, Ok(Sys.Stat(Root, "/mnt/f")).Permissions);
        Assert.Equal(0x1C0, Ok(Sys.Stat(Root, "/mnt/d")).Permissions);
    }

    [Fact]
    public void Fsync_and_O_SYNC_writes_leave_no_dirty_pages_and_sync_cleans_the_dirty_inode_list()
    {
        int fd = Rig.Open(Root, "/mnt/f", OpenFlags.WriteOnly | OpenFlags.Create);
        Ok(Sys.Write(Root, fd, new byte[10_000]));
        Inode inode = Root.Files.Get(fd)!.Inode;
        Assert.True(inode.Mapping!.DirtyPages > 0);
        Assert.Contains(inode, inode.SuperBlock.DirtyInodes);
        Ok(Sys.Fsync(Root, fd));
        Assert.Equal(0, inode.Mapping.DirtyPages);
        int sync = Rig.Open(Root, "/mnt/g", OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Sync);
        Ok(Sys.Write(Root, sync, new byte[5000]));
        Assert.Equal(0, Root.Files.Get(sync)!.Inode.Mapping!.DirtyPages);
        Ok(Sys.Sync(Root));
        Assert.Empty(inode.SuperBlock.DirtyInodes);
        Assert.False(inode.IsDirty);
    }
}
