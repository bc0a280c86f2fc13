namespace Hardware.Cli.Tests.Images;

/// <summary>A file's data runs in an image, counted by the shared debugfs BLOCKS reader (DebugfsBlockList).</summary>
internal static class DebugfsRuns
{
    public static int Count(string image, string path) => Count(HostTool.Debugfs(image, $"stat \"{path}\""));

    /// <summary>The runs of one `stat` output (0 when it lists no blocks: an empty file or a fast symlink).</summary>
    public static int Count(string statOutput) => Hardware.Vfs.Tests.Ext2.Runs.DebugfsBlockList.Read(statOutput).Runs;
}
