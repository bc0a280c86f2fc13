using System.Diagnostics;
using Hardware.Vfs.Ext2;
using Hardware.Vfs.Syscalls;
using Hardware.Vfs.Tests.DevFs;
using static Hardware.Vfs.Tests.Core.VfsRig;

namespace Hardware.Vfs.Tests.Ext2.Data;

/// <summary>
/// An mke2fs-made image (a small tree packed with -d) on the emulated /dev/sda, mounted read-write at /mnt, with the
/// means to unmount, copy the image back out and run e2fsprogs on it.
/// </summary>
internal sealed class Ext2WritableRig : IDisposable
{
    private readonly int _imageLength;
    private bool _mounted;

    public Ext2WritableRig(long sizeBytes, int blockSize, Action<string> populate, params string[] options)
    {
        Work = Directory.CreateTempSubdirectory("ext2data-").FullName;
        string tree = Path.Combine(Work, "tree");
        Directory.CreateDirectory(tree);
        populate(tree);
        byte[] image = Ext2ImageRig.MakeImage(Work, tree, sizeBytes, ["-b", $"{blockSize}", .. options]);
        _imageLength = image.Length;
        Dev = new DevFsRig();
        Dev.Machine.Store.Write(0, image);
        Ok(Dev.Sys.Mkdir(Dev.Root, "/mnt"));
    }

    public string Work { get; }

    public DevFsRig Dev { get; }

    public Process Root => Dev.Root;

    public BlockingSystemCalls Sys => Dev.Sys;

    public Ext2Volume Volume => (Ext2Volume)Dev.Vfs.FileSystems.Find("ext2")!.SuperBlocks[0].FileSystemInfo!;

    /// <summary>Changes the superblock on the disk before a mount (a feature the test must start without).</summary>
    public void EditSuperBlock(Action<Ext2SuperBlock> change)
    {
        Ext2SuperBlock record = Ext2SuperBlock.Read(ImageBytes(Ext2SuperBlock.ByteOffset, Ext2SuperBlock.Size));
        change(record);
        var bytes = new byte[Ext2SuperBlock.Size];
        record.Write(bytes);
        Dev.Machine.Store.Write(Ext2SuperBlock.ByteOffset, bytes);
    }

    public void Mount(MountFlags flags = MountFlags.None)
    {
        Ok(Sys.Mount(Root, "/dev/sda", "/mnt", "ext2", flags));
        _mounted = true;
    }

    public void Umount()
    {
        Ok(Sys.Umount(Root, "/mnt"));
        _mounted = false;
    }

    /// <summary>The inode of <paramref name="path"/> (looked up through an open descriptor).</summary>
    public Inode InodeOf(string path)
    {
        int fd = Dev.Open(path, OpenFlags.ReadOnly);
        Inode inode = Root.Files.Get(fd)!.Inode;
        Dev.Close(fd);
        return inode;
    }

    public T Run<T>(Func<ValueTask<T>> call) => Dev.Machine.Run(async () => await call());

    /// <summary>Writes <paramref name="data"/> at <paramref name="offset"/> of <paramref name="path"/> in chunks of at most 64 KiB.</summary>
    public void Write(string path, byte[] data, long offset = 0)
    {
        int fd = Dev.Open(path, OpenFlags.WriteOnly);
        try
        {
            for (int done = 0; done < data.Length; done += 65536)
            {
                byte[] chunk = data.AsSpan(done, Math.Min(65536, data.Length - done)).ToArray();
                Assert.Equal(chunk.Length, Ok(Sys.Pwrite(Root, fd, chunk, offset + done)));
            }
        }
        finally
        {
            Dev.Close(fd);
        }
    }

    public byte[] Read(string path, long offset, int length)
    {
        int fd = Dev.Open(path, OpenFlags.ReadOnly);
        var bytes = new byte[length];
        try
        {
            for (int done = 0; done < length; done += 65536)
            {
                var chunk = new byte[Math.Min(65536, length - done)];
                Assert.Equal(chunk.Length, Ok(Sys.Pread(Root, fd, chunk, offset + done)));
                chunk.CopyTo(bytes, done);
            }
        }
        finally
        {
            Dev.Close(fd);
        }
        return bytes;
    }

    /// <summary>The image as the emulated disk holds it now, saved to a host file for e2fsprogs.</summary>
    public string SaveImage()
    {
        var bytes = new byte[_imageLength];
        Dev.Machine.Store.Read(0, bytes);
        string path = Path.Combine(Work, "out.img");
        System.IO.File.WriteAllBytes(path, bytes);
        return path;
    }

    public byte[] ImageBytes(long offset, int length)
    {
        var bytes = new byte[length];
        Dev.Machine.Store.Read(offset, bytes);
        return bytes;
    }

    /// <summary>Runs an e2fsprogs tool; returns its exit code and stdout (stderr appended).</summary>
    public static (int Exit, string Output, byte[] Stdout) Tool(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        using System.Diagnostics.Process process = System.Diagnostics.Process.Start(start)!;
        using var stdout = new MemoryStream();
        Task copy = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        string stderr = process.StandardError.ReadToEnd();
        copy.Wait();
        process.WaitForExit();
        byte[] bytes = stdout.ToArray();
        return (process.ExitCode, System.Text.Encoding.UTF8.GetString(bytes) + stderr, bytes);
    }

    /// <summary>e2fsck -fn must find nothing to fix.</summary>
    public static void AssertFsckClean(string image)
    {
        (int exit, string output, _) = Tool("e2fsck", "-fn", image);
        Assert.True(exit == 0, $"e2fsck -fn exited {exit}:\n{output}");
    }

    public static byte[] DebugfsCat(string image, string path)
    {
        (int exit, string output, byte[] bytes) = Tool("debugfs", "-R", $"cat {path}", image);
        Assert.True(exit == 0, $"debugfs cat {path} exited {exit}: {output}");
        return bytes;
    }

    /// <summary>A field of dumpe2fs -h ("Free blocks", "Mount count", "Filesystem state", ...).</summary>
    public static string SuperField(string image, string field)
    {
        (int exit, string output, _) = Tool("dumpe2fs", "-h", image);
        Assert.True(exit == 0, $"dumpe2fs exited {exit}: {output}");
        foreach (string line in output.Split('\n'))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
                return line[(field.Length + 1)..].Trim();
        }
        throw new InvalidOperationException($"dumpe2fs -h shows no '{field}':\n{output}");
    }

    public static byte[] Pattern(int length, int salt) => DevFsRig.Pattern(length, salt);

    public void Dispose()
    {
        if (_mounted)
            Ok(Sys.Umount(Root, "/mnt"));
        Dev.Dispose();
        Directory.Delete(Work, recursive: true);
    }
}
