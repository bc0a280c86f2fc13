using Hardware.BlockLayer.Tests;
using Hardware.Vfs.Tests.DevFs;
using Hardware.Vfs.Tests.Ext2.Interop;
using Xunit.Abstractions;
using static Hardware.Vfs.Tests.Core.VfsRig;

namespace Hardware.Vfs.Tests.Ext2.Runs;

/// <summary>
/// hwstack's block allocator against the Linux kernel's ext2 on the same work: the same fresh image (one mke2fs run,
/// copied), written once through hwstack's syscalls and once through a kernel loop mount, then every file's data
/// runs and group distance read from both images by the same debugfs-based count. Figures go to the test output;
/// docs/ext2-allocation.md records them.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AllocationComparisonTests(ITestOutputHelper output)
{
    private const long ImageBytes = 64L << 20;

    /// <summary>Windows double from 8 blocks to 1027, so a 3 MiB file written in 64 KiB turns needs about 3 + log2(128) runs.</summary>
    private const int MaxInterleavedRuns = 10;

    [KernelMountFact]
    public void Hwstack_lays_out_the_interop_tree_in_no_more_runs_than_the_kernel()
    {
        using var tree = new SourceTree();
        byte[] fresh = FreshImage(tree.Work);
        string ours = WriteThroughHwstack(fresh, tree.Work, dev => GuestTree.CopyIn(dev, tree.Root, "/mnt"));
        string kernel = WriteThroughKernel(fresh, tree.Work, target => CopyWithCp(tree.Root, target));

        IReadOnlyList<string> paths = TreePaths(tree.Root);
        Summary hwstack = Summarize("hwstack", DebugfsLayout.Read(ours, paths));
        Summary linux = Summarize("kernel", DebugfsLayout.Read(kernel, paths));
        Assert.True(hwstack.Runs <= linux.Runs, $"hwstack needs {hwstack.Runs} runs, the kernel {linux.Runs}");
        Assert.True(hwstack.Distance <= linux.Distance, $"hwstack's data lies {hwstack.Distance} groups from the inodes in all, the kernel's {linux.Distance}");
    }

    [KernelMountTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void Four_files_written_in_turns_lie_in_no_more_runs_than_with_the_kernel(bool syncEach)
    {
        using var tree = new SourceTree();
        byte[] fresh = FreshImage(tree.Work);
        string ours = WriteThroughHwstack(fresh, tree.Work, dev => Interleaved.WriteThroughSyscalls(dev, "/mnt", syncEach));
        string kernel = WriteThroughKernel(fresh, tree.Work, target => Interleaved.WriteOnHost(target, syncEach));

        Summary hwstack = Summarize("hwstack", DebugfsLayout.Read(ours, Interleaved.Paths));
        Summary linux = Summarize("kernel", DebugfsLayout.Read(kernel, Interleaved.Paths));
        Assert.True(hwstack.Runs <= linux.Runs, $"hwstack needs {hwstack.Runs} runs, the kernel {linux.Runs}");
    }

    /// <summary>Without the kernel: reservation windows alone keep files written in turns, fsync after each write, in few runs.</summary>
    [OracleTheory("mke2fs", "debugfs")]
    [InlineData(false)]
    [InlineData(true)]
    public void Four_files_written_in_turns_through_hwstack_lie_in_few_runs_each_near_their_inodes(bool syncEach)
    {
        using var tree = new SourceTree();
        string ours = WriteThroughHwstack(FreshImage(tree.Work), tree.Work, dev => Interleaved.WriteThroughSyscalls(dev, "/mnt", syncEach));
        IReadOnlyList<FileLayout> layouts = DebugfsLayout.Read(ours, Interleaved.Paths);
        Summarize("hwstack", layouts);
        // One run per chunk (48) is what allocating in the files' turns without windows gives.
        foreach (FileLayout layout in layouts)
        {
            Assert.True(layout.Runs <= MaxInterleavedRuns, $"{layout.Path} lies in {layout.Runs} runs");
            Assert.True(layout.GroupDistance == 0, $"{layout.Path}: inode in group {layout.InodeGroup}, data from group {layout.FirstBlockGroup}");
        }
    }

    private static byte[] FreshImage(string work) => Ext2ImageRig.MakeImage(work, null, ImageBytes, "-b", "1024");

    private static string WriteThroughHwstack(byte[] fresh, string work, Action<DevFsRig> write)
    {
        using var rig = new Ext2ImageRig(fresh);
        Ok(rig.Mount(MountFlags.None));
        write(rig.Dev);
        rig.Unmount();
        string image = Path.Combine(work, "hwstack.img");
        GuestTree.SaveImage(rig.Dev, image, ImageBytes);
        return image;
    }

    private static string WriteThroughKernel(byte[] fresh, string work, Action<string> write)
    {
        string image = Path.Combine(work, "kernel.img");
        System.IO.File.WriteAllBytes(image, fresh);
        string target = Path.Combine(work, "kernel");
        Directory.CreateDirectory(target);
        (int mounted, string output) = HostTools.Run("mount", "-o", "loop", "-t", "ext2", image, target);
        Assert.True(mounted == 0, $"mount failed: {output}");
        try
        {
            write(target);
        }
        finally
        {
            HostTools.Run("umount", target);
        }
        return image;
    }

    private static void CopyWithCp(string source, string target)
    {
        (int copied, string output) = HostTools.Run("cp", "-a", "--sparse=always", source + "/.", target);
        Assert.True(copied == 0, $"cp -a into the kernel mount failed: {output}");
    }

    /// <summary>Every regular file and directory of the host tree, as image paths ("/sizes/f1").</summary>
    private static IReadOnlyList<string> TreePaths(string root) =>
        Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories)
            .Where(path => new FileInfo(path).LinkTarget is null)
            .Select(path => "/" + Path.GetRelativePath(root, path))
            .Order(StringComparer.Ordinal)
            .ToList();

    private readonly record struct Summary(int Files, int Runs, int Fragmented, int MaxRuns, int OutsideGroup, int Distance);

    private Summary Summarize(string who, IReadOnlyList<FileLayout> layouts)
    {
        var summary = new Summary(layouts.Count, layouts.Sum(l => l.Runs), layouts.Count(l => l.Runs > 1), layouts.Max(l => l.Runs),
            layouts.Count(l => l.GroupDistance != 0), layouts.Sum(l => l.GroupDistance));
        output.WriteLine($"{who}: {summary.Files} files and directories, {summary.Runs} runs, {summary.Fragmented} in more than one run " +
            $"(at most {summary.MaxRuns}), {summary.OutsideGroup} starting outside their inode's group (group distance {summary.Distance} in all)");
        foreach (FileLayout layout in layouts.Where(l => l.Runs > 1 || l.GroupDistance != 0))
            output.WriteLine($"  {who} {layout.Path}: inode {layout.Inode} (group {layout.InodeGroup}), {layout.Runs} runs from block {layout.FirstBlock} (group {layout.FirstBlockGroup})");
        return summary;
    }
}
