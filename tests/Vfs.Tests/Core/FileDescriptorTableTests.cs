using Hardware.BlockLayer;
using static Hardware.Vfs.Tests.Core.VfsRig;

namespace Hardware.Vfs.Tests.Core;

public sealed class FileDescriptorTableTests : IDisposable
{
    private readonly VfsRig _rig = new();

    public void Dispose() => _rig.Dispose();

    private Process Root => _rig.Root;

    [Fact]
    public void New_descriptors_take_the_lowest_free_number()
    {
        _rig.WriteFile(Root, "/f", Bytes("x"));
        Assert.Equal([0, 1, 2], new[] { Open(), Open(), Open() });
        Ok(_rig.Sys.Close(Root, 1));
        Assert.Equal(1, Open());
        Assert.Equal(3, Open());
    }

    [Fact]
    public void Dup_shares_the_file_position_and_close_on_exec_stays_on_the_original_only()
    {
        _rig.WriteFile(Root, "/f", Bytes("abcdef"));
        int fd = _rig.Open(Root, "/f", OpenFlags.ReadOnly | OpenFlags.CloseOnExec);
        int copy = Ok(_rig.Calls.Dup(Root, fd));
        Assert.True(Root.Files.IsCloseOnExec(fd));
        Assert.False(Root.Files.IsCloseOnExec(copy));
        var two = new byte[2];
        Ok(_rig.Sys.Read(Root, fd, two));
        Ok(_rig.Sys.Read(Root, copy, two));
        Assert.Equal(Bytes("cd"), two);
        Ok(_rig.Sys.Close(Root, fd));
        Ok(_rig.Sys.Read(Root, copy, two));
        Assert.Equal(Bytes("ef"), two);
    }

    [Fact]
    public void Dup2_closes_what_the_target_held_and_is_a_no_op_onto_itself()
    {
        _rig.WriteFile(Root, "/a", Bytes("a"));
        _rig.WriteFile(Root, "/b", Bytes("b"));
        int a = _rig.Open(Root, "/a", OpenFlags.ReadOnly);
        int b = _rig.Open(Root, "/b", OpenFlags.ReadOnly);
        Inode bInode = Root.Files.Get(b)!.Inode;
        Assert.Equal(b, Ok(_rig.Sys.Dup2(Root, a, b)));
        Assert.Equal(0, bInode.OpenCount);
        var one = new byte[1];
        Ok(_rig.Sys.Read(Root, b, one));
        Assert.Equal(Bytes("a"), one);
        Assert.Equal(a, Ok(_rig.Sys.Dup2(Root, a, a)));
        Assert.Equal(100, Ok(_rig.Sys.Dup2(Root, a, 100)));
        Fails(Errno.EBADF, _rig.Sys.Dup2(Root, 55, 3));
        Fails(Errno.EBADF, _rig.Sys.Dup2(Root, a, Root.Files.Limit));
    }

    [Fact]
    public void Close_on_exec_can_be_set_and_cleared_per_descriptor()
    {
        _rig.WriteFile(Root, "/f", Bytes("x"));
        int fd = Open();
        Ok(Root.Files.SetCloseOnExec(fd, true));
        Assert.True(Root.Files.IsCloseOnExec(fd));
        Ok(Root.Files.SetCloseOnExec(fd, false));
        Assert.False(Root.Files.IsCloseOnExec(fd));
        Fails(Errno.EBADF, Root.Files.SetCloseOnExec(77, true));
    }

    private int Open() => _rig.Open(Root, "/f", OpenFlags.ReadOnly);
}

public sealed class ForkAndExecTests : IDisposable
{
    private readonly VfsRig _rig = new();

    public void Dispose() => _rig.Dispose();

    [Fact]
    public void A_forked_child_shares_open_files_and_exec_closes_only_close_on_exec_descriptors()
    {
        Process parent = _rig.Root;
        _rig.WriteFile(parent, "/f", Bytes("abcd"));
        int kept = _rig.Open(parent, "/f", OpenFlags.ReadOnly);
        int closed = _rig.Open(parent, "/f", OpenFlags.ReadOnly | OpenFlags.CloseOnExec);
        Process child = _rig.Vfs.Fork(parent, 2);
        try
        {
            var two = new byte[2];
            Ok(_rig.Sys.Read(child, kept, two));
            Ok(_rig.Sys.Read(parent, kept, two));
            Assert.Equal(Bytes("cd"), two);
            Assert.True(child.Files.IsCloseOnExec(closed));
            _rig.Run(() => _rig.Vfs.ExecAsync(child).AsTask());
            Assert.Null(child.Files.Get(closed));
            Assert.NotNull(child.Files.Get(kept));
            Assert.NotNull(parent.Files.Get(closed));
        }
        finally
        {
            _rig.Run(() => _rig.Vfs.ExitAsync(child).AsTask());
        }
    }
}
