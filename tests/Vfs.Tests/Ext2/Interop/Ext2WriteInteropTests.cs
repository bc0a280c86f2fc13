using Hardware.BlockLayer.Tests;
using Hardware.Vfs.Ext2.Mkfs;
using Hardware.Vfs.Tests.Ext2.Mkfs;
using static Hardware.Vfs.Tests.Core.VfsRig;

namespace Hardware.Vfs.Tests.Ext2.Interop;

/// <summary>
/// Interop tests 2 and 3 of issue 5: the interop tree written by hwstack into a fresh image passes e2fsck -fn and
/// reads the same in debugfs and the Linux kernel; a tree the kernel writes reads the same in hwstack.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class Ext2WriteInteropTests
{
    private const long ImageBytes = 32L << 20;

    private static readonly HashSet<string> LostAndFound = ["lost+found"];

    private static bool IsSparse(string name) => name == "sparse";

    /// <summary>The interop tree written through the whole stack into a fresh image, saved as a host file.</summary>
    private static string WriteTree(SourceTree tree, int blockSize)
    {
        using var rig = new Ext2ImageRig(FreshImage(blockSize));
        Ok(rig.Mount(MountFlags.None));
        GuestTree.CopyIn(rig.Dev, tree.Root, "/mnt");
        rig.Unmount();
        string image = Path.Combine(tree.Work, $"hwstack-{blockSize}.img");
        GuestTree.SaveImage(rig.Dev, image, ImageBytes);
        return image;
    }

    /// <summary>A fresh image made by hwstack's own mkfs through the emulated stack.</summary>
    private static byte[] FreshImage(int blockSize) => HwstackImage(ImageBytes, new Ext2MkfsOptions { BlockSize = blockSize, Seed = 5, TimeSeconds = 1_700_000_000 });

    public static byte[] HwstackImage(long bytes, Ext2MkfsOptions options)
    {
        using var rig = new MkfsRig(bytes);
        Ok(rig.Format(options));
        var image = new byte[bytes];
        rig.Store.Read(0, image);
        return image;
    }

    [OracleTheory("e2fsck", "debugfs")]
    [InlineData(1024)]
    [InlineData(4096)]
    public void A_tree_written_by_hwstack_passes_e2fsck_and_debugfs_extracts_it_as_in_the_source(int blockSize)
    {
        using var tree = new SourceTree();
        string image = WriteTree(tree, blockSize);

        HostTools.AssertCleanByE2fsck(image);
        string extracted = Path.Combine(tree.Work, "rdump");
        Directory.CreateDirectory(extracted);
        // rdump writes a sparse file's holes out as zeros: the 5 GiB file is checked through debugfs stat instead.
        string[] tops = Directory.EnumerateFileSystemEntries(tree.Root).Select(Path.GetFileName).Where(name => name != "sparse").Select(name => "/" + name).ToArray()!;
        HostTools.Debugfs(image, $"rdump {string.Join(' ', tops)} {extracted}");
        // rdump restores the mode before the owner, and chown clears setuid: that bit is checked in debugfs stat.
        UnixFileMode withoutSetId = (UnixFileMode)0xFFF & ~(UnixFileMode.SetUser | UnixFileMode.SetGroup);
        int compared = GuestTree.AssertSameTree(tree.Root, extracted, new HashSet<string>(LostAndFound) { "sparse" }, IsSparse, withoutSetId);
        Assert.True(compared > 1000 + 64 + 12, $"only {compared} entries compared");

        Assert.Contains("Mode:  04755", HostTools.Debugfs(image, "stat /modes/setuid"));
        Assert.Contains("Links: 3", HostTools.Debugfs(image, "stat /hard/b"));
        string sparse = HostTools.Debugfs(image, "stat /sparse");
        Assert.Contains("Size: " + SourceTree.SparseSize, sparse);
        // The copy writes each of the three data runs as one 64 KiB chunk; add the indirect blocks reaching them.
        int blockCount = int.Parse(System.Text.RegularExpressions.Regex.Match(sparse, @"Blockcount: (\d+)").Groups[1].Value);
        Assert.InRange(blockCount * 512L, 3 * 4096, 3 * (64 << 10) + (64 << 10));
        string listing = HostTools.Debugfs(image, "ls -l /links");
        Assert.Contains("fast", listing);
        Assert.Contains("dangling-60", listing);
    }

    [KernelMountFact]
    public void The_kernel_mounts_a_hwstack_image_and_diff_finds_no_difference_from_the_source()
    {
        using var tree = new SourceTree();
        string image = WriteTree(tree, 4096);
        string target = Path.Combine(tree.Work, "kernel");
        Directory.CreateDirectory(target);
        (int mounted, string output) = HostTools.Run("mount", "-o", "loop,ro", "-t", "ext2", image, target);
        Assert.True(mounted == 0, $"mount failed: {output}");
        try
        {
            (int diff, string differences) = HostTools.Run("diff", "-r", "--no-dereference", "-x", "lost+found", "-x", "sparse", tree.Root, target);
            Assert.True(diff == 0, $"diff -r found differences:\n{differences}");
            GuestTree.AssertSameTree(tree.Root, target, LostAndFound, IsSparse);
        }
        finally
        {
            HostTools.Run("umount", target);
        }
    }

    [KernelMountFact]
    public void Files_the_kernel_writes_into_an_image_read_back_the_same_through_hwstack()
    {
        using var tree = new SourceTree();
        string image = Path.Combine(tree.Work, "kernel.img");
        System.IO.File.WriteAllBytes(image, FreshImage(1024));
        string target = Path.Combine(tree.Work, "kernel");
        Directory.CreateDirectory(target);
        (int mounted, string output) = HostTools.Run("mount", "-o", "loop", "-t", "ext2", image, target);
        Assert.True(mounted == 0, $"mount failed: {output}");
        try
        {
            (int copied, string copyOutput) = HostTools.Run("cp", "-a", "--sparse=always", tree.Root + "/.", target);
            Assert.True(copied == 0, $"cp -a into the kernel mount failed: {copyOutput}");
        }
        finally
        {
            HostTools.Run("umount", target);
        }
        HostTools.AssertCleanByE2fsck(image);

        using var rig = new Ext2ImageRig(System.IO.File.ReadAllBytes(image));
        Ok(rig.Mount());
        string extracted = Path.Combine(tree.Work, "through-hwstack");
        GuestTree.CopyOut(rig.Dev, "/mnt", extracted, LostAndFound, IsSparse);
        int compared = GuestTree.AssertSameTree(tree.Root, extracted, LostAndFound, IsSparse);
        Assert.True(compared > 1000 + 64 + 12, $"only {compared} entries compared");
    }
}
