using Hardware.BlockLayer;
using Hardware.BlockLayer.Tests;
using Hardware.Vfs.Cache;
using static Hardware.Vfs.Tests.Core.VfsRig;

namespace Hardware.Vfs.Tests.Ext2.Data;

/// <summary>sendfile out of the machine: a file's cached pages handed to a host sink, as `hwstack cat` uses it.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class Ext2SendfileTests
{
    private sealed class Collector : IPageSpanSink
    {
        public MemoryStream Bytes { get; } = new();

        public void Write(ReadOnlySpan<byte> bytes) => Bytes.Write(bytes);
    }

    [OracleTheory("mke2fs")]
    [InlineData(1024)]
    [InlineData(4096)]
    public void Sendfile_hands_over_the_bytes_pread_reads_and_leaves_the_file_position_alone(int blockSize)
    {
        byte[] data = Ext2WritableRig.Pattern(3 * 1024 * 1024 + 1234, 5);
        using var rig = new Ext2WritableRig(16L << 20, blockSize, tree => System.IO.File.WriteAllBytes(Path.Combine(tree, "f"), data));
        rig.Mount();
        int fd = rig.Dev.Open("/mnt/f", OpenFlags.ReadOnly);
        var sink = new Collector();
        long offset = 7;
        while (rig.Run(() => rig.Dev.Calls.SendfileAsync(rig.Root, fd, offset, 1 << 20, sink)) is { Errno: Errno.None, Value: > 0 } sent)
            offset += sent.Value;
        Assert.Equal(data.Length, offset);
        Assert.Equal(data.AsSpan(7).ToArray(), sink.Bytes.ToArray());
        Assert.Equal(0, rig.Root.Files.Get(fd)!.Position);
        rig.Dev.Close(fd);
        rig.Umount();
    }

    [OracleFact("mke2fs")]
    public void Sendfile_from_a_directory_or_a_descriptor_not_open_for_reading_is_refused()
    {
        using var rig = new Ext2WritableRig(8L << 20, 4096, tree => System.IO.File.WriteAllBytes(Path.Combine(tree, "f"), [1, 2, 3]));
        rig.Mount();
        var sink = new Collector();
        int directory = rig.Dev.Open("/mnt", OpenFlags.ReadOnly | OpenFlags.Directory);
        Assert.Equal(Errno.EINVAL, rig.Run(() => rig.Dev.Calls.SendfileAsync(rig.Root, directory, 0, 10, sink)).Errno);
        int writeOnly = rig.Dev.Open("/mnt/f", OpenFlags.WriteOnly);
        Assert.Equal(Errno.EBADF, rig.Run(() => rig.Dev.Calls.SendfileAsync(rig.Root, writeOnly, 0, 10, sink)).Errno);
        Assert.Equal(0, sink.Bytes.Length);
        rig.Dev.Close(directory);
        rig.Dev.Close(writeOnly);
        rig.Umount();
    }
}
