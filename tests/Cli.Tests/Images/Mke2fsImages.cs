namespace Hardware.Cli.Tests.Images;

/// <summary>The test tree packed by Debian's mke2fs -d at 1 KiB blocks with 256-byte inodes and at 4 KiB with 128-byte ones.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class Mke2fsImages : IDisposable
{
    private readonly TestTree _tree = new();

    public Mke2fsImages()
    {
        if (!HasMke2fs)
            return;
        Small = _tree.Scratch("small.img");
        Large = _tree.Scratch("large.img");
        HostTool.MakeImage(Small, _tree.Root, 16L << 20, "-b", "1024", "-I", "256");
        HostTool.MakeImage(Large, _tree.Root, 16L << 20, "-b", "4096", "-I", "128");
    }

    internal TestTree Tree => _tree;

    /// <summary>1 KiB blocks, 256-byte inodes.</summary>
    public string Small { get; } = "";

    /// <summary>4 KiB blocks, 128-byte inodes.</summary>
    public string Large { get; } = "";

    public string Image(int blockSize) => blockSize == 1024 ? Small : Large;

    private static bool HasMke2fs => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
        .Any(directory => directory.Length > 0 && File.Exists(Path.Combine(directory, "mke2fs")));

    public void Dispose() => _tree.Dispose();
}
