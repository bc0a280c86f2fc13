namespace Hardware.BlockLayer.Tests.Partitions.TestKit;

/// <summary>A temporary directory for disk images, removed with everything in it on dispose.</summary>
public sealed class ScratchDirectory : IDisposable
{
    public ScratchDirectory() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "hwstack-partitions-" + Guid.NewGuid().ToString("N"));

    /// <summary>Creates a sparse, all-zero image of <paramref name="bytes"/> bytes and returns its path.</summary>
    public string CreateImage(string name, long bytes)
    {
        string path = System.IO.Path.Combine(Path, name);
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        stream.SetLength(bytes);
        return path;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
