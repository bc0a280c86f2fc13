using Hardware.BlockLayer;
using static Hardware.Vfs.Tests.Core.VfsRig;

namespace Hardware.Vfs.Tests.Core;

public sealed class PermissionTests : IDisposable
{
    private readonly VfsRig _rig = new();

    public void Dispose() => _rig.Dispose();

    private Inode MakeInode(int mode, int uid, int gid)
    {
        _rig.WriteFile(_rig.Root, "/f", Bytes("x"));
        Ok(_rig.Sys.Chown(_rig.Root, "/f", uid, gid));
        Ok(_rig.Sys.Chmod(_rig.Root, "/f", mode));
        return _rig.Sys.Call(_ => _rig.Vfs.Walker.ResolveAsync(_rig.Root, _rig.Root.WorkingDirectory, "/f", true)).Value.Inode!;
    }

    [Theory]
    [InlineData(0x1A4, 1000, Access.Read | Access.Write, true)]
    [InlineData(0x1A4, 1000, Access.Execute, false)]
    [InlineData(0x1A4, 2000, Access.Read, true)]
    [InlineData(0x1A4, 2000, Access.Write, false)]
    [InlineData(0x1A4, 3000, Access.Read, true)]
    [InlineData(0x1A0, 3000, Access.Read, false)]
    [InlineData(0x038, 1000, Access.Read, false)]
    [InlineData(0x038, 2000, Access.Read | Access.Write | Access.Execute, true)]
    public void Owner_group_and_other_bits_apply_to_exactly_one_class(int mode, int uid, Access wanted, bool allowed)
    {
        Inode inode = MakeInode(mode, 1000, 50);
        Credentials credentials = uid == 2000 ? Credentials.User(2000, 7, 50) : Credentials.User(uid, uid);
        Assert.Equal(allowed, Permission.MayAccess(inode, credentials, wanted));
    }

    [Fact]
    public void Root_reads_and_writes_anything_but_executes_only_what_has_an_execute_bit()
    {
        Inode inode = MakeInode(0, 1000, 1000);
        Assert.True(Permission.MayAccess(inode, Credentials.Root, Access.Read | Access.Write));
        Assert.False(Permission.MayAccess(inode, Credentials.Root, Access.Execute));
        inode.Mode = 0x008;
        Assert.True(Permission.MayAccess(inode, Credentials.Root, Access.Execute));
    }

    [Fact]
    public void A_directory_without_search_permission_blocks_the_walk_through_it()
    {
        Ok(_rig.Sys.Mkdir(_rig.Root, "/d"));
        _rig.WriteFile(_rig.Root, "/d/f", Bytes("x"), mode: 0x1B6);
        Ok(_rig.Sys.Chmod(_rig.Root, "/d", 0x1A4));
        Process user = _rig.User(100, 1000, 1000);
        VfsResult<Hardware.Vfs.Syscalls.FileStatus> result = _rig.Sys.Stat(user, "/d/f");
        Fails(Errno.EACCES, result);
        Assert.Contains("/d", result.Message);
        Ok(_rig.Sys.Stat(_rig.Root, "/d/f"));
    }

    [Fact]
    public void A_file_in_a_setgid_directory_takes_the_directorys_group()
    {
        Ok(_rig.Sys.Mkdir(_rig.Root, "/shared"));
        Ok(_rig.Sys.Chown(_rig.Root, "/shared", 0, 77));
        Ok(_rig.Sys.Chmod(_rig.Root, "/shared", 0x7FF));
        Process user = _rig.User(100, 1000, 1000);
        _rig.WriteFile(user, "/shared/f", Bytes("x"));
        Ok(_rig.Sys.Mkdir(user, "/shared/sub"));
        Assert.Equal(77, Ok(_rig.Sys.Stat(user, "/shared/f")).Gid);
        Assert.NotEqual(0, Ok(_rig.Sys.Stat(user, "/shared/sub")).Permissions & ModeBits.SetGid);
    }

    [Fact]
    public void Utimens_to_now_needs_write_access_and_explicit_times_need_ownership()
    {
        MakeInode(0x1B6, 0, 0);
        Process user = _rig.User(100, 1000, 1000);
        Ok(_rig.Sys.Utimens(user, "/f", null, null));
        Fails(Errno.EPERM, _rig.Sys.Utimens(user, "/f", 1, 1));
        Ok(_rig.Sys.Chmod(_rig.Root, "/f", 0x1A4));
        Fails(Errno.EACCES, _rig.Sys.Utimens(user, "/f", null, null));
    }
}
