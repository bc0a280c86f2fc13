using static Hardware.Vfs.Tests.Core.VfsRig;

namespace Hardware.Vfs.Tests.DevFs;

/// <summary>/dev/random and /dev/urandom draw on the machine's seeded SimRandom streams.</summary>
public sealed class RandomDeterminismTests
{
    private static byte[] Read(ulong seed, string path)
    {
        using var rig = new DevFsRig(seed: seed, registerDisks: false);
        int fd = rig.Open(path, OpenFlags.ReadOnly);
        var first = new byte[100];
        var second = new byte[3000];
        Assert.Equal(first.Length, Ok(rig.Sys.Read(rig.Root, fd, first)));
        Assert.Equal(second.Length, Ok(rig.Sys.Read(rig.Root, fd, second)));
        rig.Close(fd);
        return [.. first, .. second];
    }

    [Theory]
    [InlineData("/dev/random")]
    [InlineData("/dev/urandom")]
    public void The_same_seed_gives_the_same_bytes_and_another_seed_other_bytes(string path)
    {
        byte[] a = Read(7, path);
        Assert.Equal(a, Read(7, path));
        Assert.NotEqual(a, Read(8, path));
    }
}
