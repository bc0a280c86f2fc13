using System.Text;

namespace Hardware.Vfs.Tests.Ext2;

/// <summary>
/// The interop tree of issue 5 built in a host directory, with the expectations the mounted image must meet: empty
/// and odd-sized files, a sparse file reaching past 4 GiB through triple indirect blocks, a 1000-entry directory,
/// deep directories, fast and slow symlinks, hard links, every mode 0600..0777 and a setuid file.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed class SourceTree : IDisposable
{
    /// <summary>The sparse file's data runs: (offset, length). The last ends past 4 GiB, so size high is used.</summary>
    public static readonly (long Offset, int Length)[] SparseRuns = [(0, 4096), (70L << 20, 4096), ((5L << 30) - 1000, 1000)];

    public const long SparseSize = 5L << 30;

    public SourceTree()
    {
        Root = Path.Combine(Path.GetTempPath(), $"hwstack-ext2-{Guid.NewGuid():N}");
        Work = Root + "-work";
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(Work);
        Build();
    }

    public string Root { get; }

    /// <summary>A scratch directory for images (outside the tree).</summary>
    public string Work { get; }

    /// <summary>Expected link count by relative path (for files with more than one link and for directories).</summary>
    public Dictionary<string, int> LinkCounts { get; } = [];

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
        Directory.CreateDirectory(Path.Combine(Root, "sizes"));
        System.IO.File.WriteAllBytes(Path.Combine(Root, "sizes", "empty"), []);
        int[] sizes = [1, 511, 1023, 1024, 1025, 4095, 4096, 4097, 12 * 1024 + 1, 70_001, 300_001, (1 << 20) - 3];
        for (int i = 0; i < sizes.Length; i++)
            System.IO.File.WriteAllBytes(Path.Combine(Root, "sizes", $"f{sizes[i]}"), Pattern(sizes[i], i));

        using (FileStream sparse = System.IO.File.Create(Path.Combine(Root, "sparse")))
        {
            for (int i = 0; i < SparseRuns.Length; i++)
            {
                sparse.Position = SparseRuns[i].Offset;
                sparse.Write(Pattern(SparseRuns[i].Length, 100 + i));
            }
            sparse.SetLength(SparseSize);
        }

        string big = Path.Combine(Root, "big");
        Directory.CreateDirectory(big);
        for (int i = 0; i < 1000; i++)
            System.IO.File.WriteAllBytes(Path.Combine(big, $"entry-{i:D4}-{new string('x', i % 40)}"), Pattern(i % 97, 1000 + i));

        string deep = Root;
        for (int depth = 0; depth < 24; depth++)
            deep = Path.Combine(deep, $"d{depth}");
        Directory.CreateDirectory(deep);
        System.IO.File.WriteAllText(Path.Combine(deep, "leaf"), "the bottom\n");

        Directory.CreateDirectory(Path.Combine(Root, "links"));
        System.IO.File.CreateSymbolicLink(Path.Combine(Root, "links", "fast"), "../sizes/f1025");
        System.IO.File.CreateSymbolicLink(Path.Combine(Root, "links", "slow"), "../" + string.Join('/', Enumerable.Range(0, 24).Select(d => $"d{d}")) + "/leaf");
        System.IO.File.CreateSymbolicLink(Path.Combine(Root, "links", "dangling-59"), new string('z', 59));
        System.IO.File.CreateSymbolicLink(Path.Combine(Root, "links", "dangling-60"), new string('y', 60));
        System.IO.File.CreateSymbolicLink(Path.Combine(Root, "links", "to-dir"), "../big");

        Directory.CreateDirectory(Path.Combine(Root, "hard"));
        string original = Path.Combine(Root, "hard", "a");
        System.IO.File.WriteAllBytes(original, Pattern(5000, 7));
        foreach (string name in new[] { "b", "c" })
        {
            Assert.Equal(0, Link(original, Path.Combine(Root, "hard", name)));
            LinkCounts[$"hard/{name}"] = 3;
        }
        LinkCounts["hard/a"] = 3;

        string modes = Path.Combine(Root, "modes");
        Directory.CreateDirectory(modes);
        for (int mode = 0x180; mode <= 0x1FF; mode++)
        {
            string path = Path.Combine(modes, $"m{Convert.ToString(mode, 8)}");
            System.IO.File.WriteAllText(path, Convert.ToString(mode, 8));
            System.IO.File.SetUnixFileMode(path, (UnixFileMode)mode);
        }
        string setuid = Path.Combine(modes, "setuid");
        System.IO.File.WriteAllText(setuid, "#!/bin/sh\n");
        System.IO.File.SetUnixFileMode(setuid, (UnixFileMode)0x9ED);
        foreach (string directory in Directory.EnumerateDirectories(Root, "*", SearchOption.AllDirectories).Prepend(Root))
            LinkCounts[Relative(directory)] = 2 + Directory.GetDirectories(directory).Count(d => (System.IO.File.GetAttributes(d) & FileAttributes.ReparsePoint) == 0);
    }

    public string Relative(string path) => Path.GetRelativePath(Root, path) is "." ? "" : Path.GetRelativePath(Root, path);

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "link", SetLastError = true)]
    private static extern int Link(string existing, string created);

    public void Dispose()
    {
        Directory.Delete(Root, recursive: true);
        Directory.Delete(Work, recursive: true);
    }
}
