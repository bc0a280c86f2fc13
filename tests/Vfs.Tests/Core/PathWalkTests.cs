using Hardware.BlockLayer;
using static Hardware.Vfs.Tests.Core.VfsRig;

namespace Hardware.Vfs.Tests.Core;

public sealed class PathWalkTests : IDisposable
{
    private readonly VfsRig _rig = new();

    public void Dispose() => _rig.Dispose();

    private Process Root => _rig.Root;

    private long InodeOf(string path) => Ok(_rig.Sys.Stat(Root, path)).InodeNumber;

    [Fact]
    public void Relative_paths_start_at_the_working_directory_and_dot_and_dotdot_move_within_it()
    {
        Ok(_rig.Sys.Mkdir(Root, "/a"));
        Ok(_rig.Sys.Mkdir(Root, "/a/b"));
        _rig.WriteFile(Root, "/a/b/f", Bytes("x"));
        Ok(_rig.Sys.Chdir(Root, "/a/b"));
        Assert.Equal(InodeOf("/a/b/f"), InodeOf("f"));
        Assert.Equal(InodeOf("/a/b/f"), InodeOf("./f"));
        Assert.Equal(InodeOf("/a"), InodeOf(".."));
        Assert.Equal(InodeOf("/a/b/f"), InodeOf("../b/./f"));
        Assert.Equal(InodeOf("/"), InodeOf("../../../.."));
        Assert.Equal(InodeOf("/a/b/f"), InodeOf("//a///b//f"));
    }

    [Fact]
    public void Dotdot_at_a_mount_root_leaves_through_the_mount_point()
    {
        Ok(_rig.Sys.Mkdir(Root, "/outer"));
        Ok(_rig.Sys.Mkdir(Root, "/outer/mnt"));
        _rig.WriteFile(Root, "/outer/marker", Bytes("outer"));
        Ok(_rig.Sys.Mount(Root, "none", "/outer/mnt", "ramfs"));
        Ok(_rig.Sys.Mkdir(Root, "/outer/mnt/sub"));
        Assert.Equal(Bytes("outer"), _rig.ReadFile(Root, "/outer/mnt/../marker"));
        Assert.Equal(Bytes("outer"), _rig.ReadFile(Root, "/outer/mnt/sub/../../marker"));
        Ok(_rig.Sys.Chdir(Root, "/outer/mnt/sub"));
        Assert.Equal(Bytes("outer"), _rig.ReadFile(Root, "../../marker"));
        Ok(_rig.Sys.Chdir(Root, "/"));
        Assert.NotEqual(Ok(_rig.Sys.Stat(Root, "/outer/mnt")).Device, Ok(_rig.Sys.Stat(Root, "/outer")).Device);
    }

    [Fact]
    public void Symlinks_resolve_relative_to_their_directory_and_absolute_from_the_root()
    {
        Ok(_rig.Sys.Mkdir(Root, "/d"));
        _rig.WriteFile(Root, "/d/target", Bytes("t"));
        Ok(_rig.Sys.Symlink(Root, "target", "/d/rel"));
        Ok(_rig.Sys.Symlink(Root, "/d", "/abs"));
        Assert.Equal(Bytes("t"), _rig.ReadFile(Root, "/d/rel"));
        Assert.Equal(Bytes("t"), _rig.ReadFile(Root, "/abs/rel"));
        Assert.Equal(InodeOf("/d"), InodeOf("/abs/"));
        Ok(_rig.Sys.Symlink(Root, "/nowhere", "/dangling"));
        Fails(Errno.ENOENT, _rig.Sys.Stat(Root, "/dangling"));
        Assert.Equal(InodeType.Symlink, Ok(_rig.Sys.Lstat(Root, "/dangling")).Type);
    }

    [Fact]
    public void A_trailing_slash_demands_a_directory()
    {
        Ok(_rig.Sys.Mkdir(Root, "/d"));
        _rig.WriteFile(Root, "/f", Bytes("x"));
        Assert.Equal(InodeOf("/d"), InodeOf("/d/"));
        Fails(Errno.ENOTDIR, _rig.Sys.Stat(Root, "/f/"));
        Ok(_rig.Sys.Mkdir(Root, "/e/"));
        Fails(Errno.EISDIR, _rig.Sys.Open(Root, "/g/", OpenFlags.WriteOnly | OpenFlags.Create));
    }

    [Fact]
    public void Openat_resolves_relative_to_the_directory_descriptor()
    {
        Ok(_rig.Sys.Mkdir(Root, "/d"));
        _rig.WriteFile(Root, "/d/f", Bytes("x"));
        int dir = _rig.Open(Root, "/d", OpenFlags.ReadOnly | OpenFlags.Directory);
        int fd = Ok(_rig.Sys.Call(c => c.OpenAtAsync(Root, dir, "f", OpenFlags.ReadOnly)));
        Assert.Equal(InodeOf("/d/f"), Ok(_rig.Calls.Fstat(Root, fd)).InodeNumber);
        Fails(Errno.ENOTDIR, _rig.Sys.Call(c => c.OpenAtAsync(Root, fd, "f", OpenFlags.ReadOnly)));
        Fails(Errno.EBADF, _rig.Sys.Call(c => c.OpenAtAsync(Root, 99, "f", OpenFlags.ReadOnly)));
    }

    [Fact]
    public void Lookups_are_cached_positive_and_negative()
    {
        _rig.WriteFile(Root, "/f", Bytes("x"));
        DentryCache cache = _rig.Vfs.Dentries;
        long hits = cache.Hits;
        InodeOf("/f");
        InodeOf("/f");
        Assert.True(cache.Hits >= hits + 2);
        Fails(Errno.ENOENT, _rig.Sys.Stat(Root, "/missing"));
        long negative = cache.NegativeHits;
        Fails(Errno.ENOENT, _rig.Sys.Stat(Root, "/missing"));
        Assert.Equal(negative + 1, cache.NegativeHits);
    }
}
