using System.Text;
using Hardware.Cli.Images;

namespace Hardware.Cli.Tests.Images;

/// <summary>
/// A host directory tree with what the image tools must preserve: empty and odd-sized files, a sparse file with a
/// large hole, a 300-entry directory, deep directories, fast, slow and dangling symlinks, hard links (one across
/// directories), modes from 0600 to 0777 with setuid, setgid and sticky bits, and distinct whole-second mtimes.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed class TestTree : IDisposable
{
    /// <summary>The sparse file's data runs (offset, length); everything else is hole.</summary>
    public static readonly (long Offset, int Length)[] SparseRuns = [(0, 4096), (12L << 20, 8192), ((24L << 20) - 1000, 1000)];

    public TestTree()
    {
        Work = Path.Combine(Path.GetTempPath(), $"hwstack-cli-{Guid.NewGuid():N}");
        Root = Path.Combine(Work, "tree");
        Directory.CreateDirectory(Root);
        Build();
    }

    /// <summary>A scratch directory holding the tree, images and copies; removed on dispose.</summary>
    public string Work { get; }

    public string Root { get; }

    public string Scratch(string name) => Path.Combine(Work, name);

    public static byte[] Pattern(int length, int salt)
    {
        var bytes = new byte[length];
        uint state = (uint)salt * 2654435761u + 1;
        for (int i = 0; i < length; i++)
        {
            state = state * 1664525u + 1013904223u;
            bytes[i] = (byte)(state >> 24);
        }
        return bytes;
    }

    private void Build()
    {
        int[] sizes = [0, 1, 1023, 1024, 1025, 4097, 12 * 1024 + 1, 70_001, 300_001, (1 << 20) + 3];
        Directory.CreateDirectory(P("sizes"));
        for (int i = 0; i < sizes.Length; i++)
            File.WriteAllBytes(P($"sizes/f{sizes[i]}"), Pattern(sizes[i], i));

        using (FileStream sparse = File.Create(P("sparse")))
        {
            for (int i = 0; i < SparseRuns.Length; i++)
            {
                sparse.Position = SparseRuns[i].Offset;
                sparse.Write(Pattern(SparseRuns[i].Length, 100 + i));
            }
        }

        Directory.CreateDirectory(P("many"));
        for (int i = 0; i < 300; i++)
            File.WriteAllText(P($"many/entry-{i:D4}-{new string('x', i % 40)}"), $"{i}\n");

        Directory.CreateDirectory(P("deep/a/b/c/d/e/f/g"));
        File.WriteAllText(P("deep/a/b/c/d/e/f/g/bottom"), "the bottom\n");

        Directory.CreateDirectory(P("links"));
        File.CreateSymbolicLink(P("links/fast"), "../sizes/f1");
        File.CreateSymbolicLink(P("links/slow"), "../deep/" + string.Concat(Enumerable.Repeat("./", 30)) + "a/b/c/d/e/f/g/bottom");
        File.CreateSymbolicLink(P("links/dangling"), "nowhere/at/all");

        Directory.CreateDirectory(P("hard/sub"));
        File.WriteAllText(P("hard/a"), "linked three times\n");
        HostLink(P("hard/a"), P("hard/b"));
        HostLink(P("hard/a"), P("hard/sub/c"));

        Directory.CreateDirectory(P("modes"));
        int[] modes = [0x180, 0x1A0, 0x1A4, 0x1ED, 0x1FF, 0x9ED, 0x5ED, 0x124];
        foreach (int mode in modes)
        {
            string file = P($"modes/m{Convert.ToString(mode, 8)}");
            File.WriteAllText(file, $"mode {Convert.ToString(mode, 8)}\n");
            File.SetUnixFileMode(file, (UnixFileMode)mode);
        }
        Directory.CreateDirectory(P("modes/sticky"));
        File.SetUnixFileMode(P("modes/sticky"), (UnixFileMode)0x3FF);

        // Whole seconds: a 128-byte inode keeps only seconds.
        long second = 1_600_000_000;
        foreach (string path in Directory.EnumerateFileSystemEntries(Root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Reverse())
        {
            if (new FileInfo(path).LinkTarget is null)
                HostFiles.SetModifyTime(path, second-- * 1_000_000_000L);
        }
        HostFiles.SetModifyTime(Root, second * 1_000_000_000L);
    }

    private string P(string relative) => Path.Combine(Root, relative);

    private static void HostLink(string existing, string path)
    {
        var ln = System.Diagnostics.Process.Start("ln", [existing, path])!;
        ln.WaitForExit();
        Assert.Equal(0, ln.ExitCode);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Work, recursive: true);
        }
        catch (IOException)
        {
            // A temp directory left behind does not change a test's verdict.
        }
    }
}
