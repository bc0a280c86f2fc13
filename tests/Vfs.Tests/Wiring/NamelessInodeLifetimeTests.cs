using Hardware.BlockLayer;
using Hardware.Vfs.RamFs;
using Hardware.Vfs.Syscalls;
using Hardware.Vfs.Tests.Core;
using static Hardware.Vfs.Tests.Core.VfsRig;

namespace Hardware.Vfs.Tests.Wiring;

public sealed class NamelessInodeLifetimeTests : IDisposable
{
    private readonly VfsRig _rig = new();

    public void Dispose() => _rig.Dispose();

    [Fact]
    public void A_pipe_inode_lives_on_pipefs_while_a_forked_copy_of_an_end_is_open_and_is_freed_at_the_last_close()
    {
        Process parent = _rig.Root;
        DescriptorPair pipe = Ok(_rig.Sys.Call(c => c.PipeAsync(parent)));
        Inode inode = parent.Files.Get(pipe.First)!.Inode;
        var pipefs = (RamSuperInfo)inode.SuperBlock.FileSystemInfo!;
        Assert.Equal(PipeFileSystemName, inode.SuperBlock.Type.Name);
        // The pipefs root directory is the one inode besides the pipe's.
        Assert.Equal(2, pipefs.LiveInodes);
        Process child = _rig.Vfs.Fork(parent, 2);
        Ok(_rig.Sys.Close(parent, pipe.First));
        Ok(_rig.Sys.Close(parent, pipe.Second));
        Assert.Equal(2, pipefs.LiveInodes);
        Assert.Equal(1, Ok(_rig.Sys.Write(child, pipe.Second, Bytes("k"))));
        _rig.Run(() => _rig.Vfs.ExitAsync(child).AsTask());
        Assert.Equal(1, pipefs.LiveInodes);
        Assert.Equal(0, inode.OpenCount);
    }

    [Fact]
    public void A_closed_listener_leaves_its_socket_inode_so_connect_is_refused_and_the_path_stays_taken_until_unlinked()
    {
        SystemCalls calls = _rig.Calls;
        Process process = _rig.Root;
        int listener = Ok(_rig.Sys.Call(c => c.SocketAsync(process)));
        Ok(_rig.Sys.Bind(process, listener, "/srv"));
        Ok(calls.Listen(process, listener, 1));
        Inode socketInode = process.Files.Get(listener)!.Inode;
        Assert.Equal(SocketFileSystemName, socketInode.SuperBlock.Type.Name);
        Ok(_rig.Sys.Close(process, listener));
        Assert.Equal(1, ((RamSuperInfo)socketInode.SuperBlock.FileSystemInfo!).LiveInodes); // the sockfs root only
        int client = Ok(_rig.Sys.Call(c => c.SocketAsync(process)));
        Fails(Errno.ECONNREFUSED, _rig.Sys.Connect(process, client, "/srv"));
        int again = Ok(_rig.Sys.Call(c => c.SocketAsync(process)));
        Fails(Errno.EADDRINUSE, _rig.Sys.Bind(process, again, "/srv"));
        Fails(Errno.ENXIO, _rig.Sys.Open(process, "/srv", OpenFlags.ReadWrite));
        Ok(_rig.Sys.Unlink(process, "/srv"));
        Ok(_rig.Sys.Bind(process, again, "/srv"));
    }

    private const string PipeFileSystemName = Hardware.Vfs.Pipes.PipeFileOperations.FileSystemName;
    private const string SocketFileSystemName = Hardware.Vfs.Sockets.SocketFileOperations.FileSystemName;
}
