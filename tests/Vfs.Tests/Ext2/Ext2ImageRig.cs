using System.Diagnostics;
using Hardware.Vfs.Syscalls;
using Hardware.Vfs.Tests.DevFs;
using static Hardware.Vfs.Tests.Core.VfsRig;

namespace Hardware.Vfs.Tests.Ext2;

/// <summary>
/// An ext2 image made by Debian's mke2fs, copied onto the emulated disk (/dev/sda) of a booted VFS, with /mnt ready
/// as the mount point. Dispose unmounts what is still mounted and tears the machine down (checking for leaked pages).
/// </summary>
internal sealed class Ext2ImageRig : IDisposable
{
    private bool _mounted;

    public Ext2ImageRig(byte[] image)
    {
        Dev = new DevFsRig();
        Dev.Machine.Store.Write(0, image);
        Ok(Dev.Sys.Mkdir(Dev.Root, "/mnt"));
    }

    public DevFsRig Dev { get; }

    public VfsResult Mount(MountFlags flags = MountFlags.ReadOnly)
    {
        VfsResult result = Dev.Sys.Mount(Dev.Root, "/dev/sda", "/mnt", "ext2", flags);
        _mounted |= result.Ok;
        return result;
    }

    /// <summary>Unmounts /mnt (writing everything back) so the disk holds the finished image.</summary>
    public void Unmount()
    {
        Ok(Dev.Sys.Umount(Dev.Root, "/mnt"));
        _mounted = false;
    }

    public void Dispose()
    {
        if (_mounted)
            Ok(Dev.Sys.Umount(Dev.Root, "/mnt"));
        Dev.Dispose();
    }

    /// <summary>Runs mke2fs -q -F -t ext2 with <paramref name="options"/> over <paramref name="tree"/> (or empty) and returns the image.</summary>
    public static byte[] MakeImage(string workDirectory, string? tree, long sizeBytes, params string[] options)
    {
        string image = Path.Combine(workDirectory, $"image-{Guid.NewGuid():N}.img");
        var arguments = new List<string> { "-q", "-F", "-t", "ext2" };
        arguments.AddRange(options);
        if (tree is not null)
            arguments.AddRange(["-d", tree]);
        arguments.AddRange([image, $"{sizeBytes / 1024}k"]);
        var start = new ProcessStartInfo("mke2fs") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment["E2FSPROGS_FAKE_TIME"] = "1700000000";
        using System.Diagnostics.Process mke2fs = System.Diagnostics.Process.Start(start)!;
        string output = mke2fs.StandardOutput.ReadToEnd() + mke2fs.StandardError.ReadToEnd();
        mke2fs.WaitForExit();
        Assert.True(mke2fs.ExitCode == 0, $"mke2fs {string.Join(' ', arguments)} failed: {output}");
        byte[] bytes = System.IO.File.ReadAllBytes(image);
        System.IO.File.Delete(image);
        return bytes;
    }
}
