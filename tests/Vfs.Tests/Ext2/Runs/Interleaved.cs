using Hardware.Vfs.Syscalls;
using Hardware.Vfs.Tests.DevFs;
using Microsoft.Win32.SafeHandles;
using static Hardware.Vfs.Tests.Core.VfsRig;

namespace Hardware.Vfs.Tests.Ext2.Runs;

/// <summary>
/// Files written side by side: <see cref="Files"/> files open at once, <see cref="ChunkBytes"/> written to each in
/// turn, <see cref="Rounds"/> times. The same writes through hwstack's syscalls and through write(2) on a host
/// (kernel) mount. With <c>syncEach</c> every write is followed by fsync(2), so blocks are allocated write by write
/// (in the files' turns) rather than when delayed allocation writes the pages back.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal static class Interleaved
{
    public const int Files = 4;
    public const int ChunkBytes = 64 << 10;
    public const int Rounds = 48;

    public static IReadOnlyList<string> Paths { get; } = Enumerable.Range(0, Files).Select(i => $"/side-by-side/f{i}").ToList();

    public static byte[] Chunk(int file, int round) => SourceTree.Pattern(ChunkBytes, file * 1000 + round);

    public static void WriteThroughSyscalls(DevFsRig dev, string mountPoint, bool syncEach)
    {
        Ok(dev.Sys.Mkdir(dev.Root, $"{mountPoint}/side-by-side", 0x1ED));
        int[] fds = Paths.Select(path => Ok(dev.Sys.Open(dev.Root, mountPoint + path, OpenFlags.WriteOnly | OpenFlags.Create, 0x1A4))).ToArray();
        for (int round = 0; round < Rounds; round++)
        {
            for (int file = 0; file < Files; file++)
            {
                Assert.Equal(ChunkBytes, Ok(dev.Sys.Pwrite(dev.Root, fds[file], Chunk(file, round), (long)round * ChunkBytes)));
                if (syncEach)
                    Ok(dev.Sys.Fsync(dev.Root, fds[file]));
            }
        }
        foreach (int fd in fds)
            dev.Close(fd);
    }

    public static void WriteOnHost(string mountPoint, bool syncEach)
    {
        Directory.CreateDirectory(mountPoint + "/side-by-side");
        SafeFileHandle[] handles = Paths.Select(path => System.IO.File.OpenHandle(mountPoint + path, FileMode.CreateNew, FileAccess.Write)).ToArray();
        try
        {
            for (int round = 0; round < Rounds; round++)
            {
                for (int file = 0; file < Files; file++)
                {
                    RandomAccess.Write(handles[file], Chunk(file, round), (long)round * ChunkBytes);
                    if (syncEach)
                        RandomAccess.FlushToDisk(handles[file]);
                }
            }
        }
        finally
        {
            foreach (SafeFileHandle handle in handles)
                handle.Dispose();
        }
    }
}
