using Hardware.Cli.Images;

namespace Hardware.Cli.Tests.Images;

/// <summary>
/// Compares two host trees the way a faithful copy must match its source: the same names, types, permission bits,
/// sizes, bytes, symlink targets, modification times, hard-link groups, and holes (the copy allocates no more than
/// the source plus a block per data run).
/// </summary>
internal static class TreeAssert
{
    public static int Same(string expected, string actual, params string[] ignoreAtTop)
    {
        var groupsExpected = new Dictionary<long, string>();
        var groupsActual = new Dictionary<long, string>();
        return Compare(expected, actual, "", ignoreAtTop, groupsExpected, groupsActual);
    }

    private static int Compare(string expectedRoot, string actualRoot, string relative, string[] ignoreAtTop,
        Dictionary<long, string> groupsExpected, Dictionary<long, string> groupsActual)
    {
        string expectedDir = Path.Combine(expectedRoot, relative);
        string actualDir = Path.Combine(actualRoot, relative);
        string[] Names(string dir) => Directory.EnumerateFileSystemEntries(dir).Select(p => Path.GetFileName(p))
            .Where(name => relative.Length > 0 || !ignoreAtTop.Contains(name)).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(Names(expectedDir), Names(actualDir));

        int compared = 1;
        foreach (string name in Names(expectedDir))
        {
            string rel = Path.Combine(relative, name);
            string e = Path.Combine(expectedRoot, rel);
            string a = Path.Combine(actualRoot, rel);
            HostStatus se = HostFiles.Lstat(e)!.Value;
            HostStatus sa = HostFiles.Lstat(a)!.Value;
            Assert.True(se.Mode == sa.Mode, $"{rel}: mode {Convert.ToString(sa.Mode, 8)}, expected {Convert.ToString(se.Mode, 8)}");
            if (se.Type == 0xA000)
            {
                Assert.Equal(new FileInfo(e).LinkTarget, new FileInfo(a).LinkTarget);
                compared++;
                continue;
            }
            Assert.True(se.ModifyTimeNs == sa.ModifyTimeNs, $"{rel}: mtime {sa.ModifyTimeNs}, expected {se.ModifyTimeNs}");
            if (se.Type == 0x4000)
            {
                compared += Compare(expectedRoot, actualRoot, rel, ignoreAtTop, groupsExpected, groupsActual);
                continue;
            }
            Assert.Equal(se.Size, sa.Size);
            Assert.True(se.Links == sa.Links, $"{rel}: {sa.Links} links, expected {se.Links}");
            if (se.Links > 1)
            {
                // The first path of each hard-link group names the group on both sides.
                string groupE = groupsExpected.TryAdd(se.Inode, rel) ? rel : groupsExpected[se.Inode];
                string groupA = groupsActual.TryAdd(sa.Inode, rel) ? rel : groupsActual[sa.Inode];
                Assert.True(groupE == groupA, $"{rel}: hard-linked with {groupA}, expected with {groupE}");
            }
            if (se.AllocatedBlocks * 512 < se.Size / 2)
                Assert.True(sa.AllocatedBlocks <= se.AllocatedBlocks + 64, $"{rel}: the copy allocates {sa.AllocatedBlocks} sectors, the sparse source {se.AllocatedBlocks}");
            Assert.True(SameBytes(e, a), $"{rel}: contents differ");
            compared++;
        }
        return compared;
    }

    private static bool SameBytes(string expected, string actual)
    {
        using FileStream e = File.OpenRead(expected);
        using FileStream a = File.OpenRead(actual);
        var be = new byte[1 << 16];
        var ba = new byte[1 << 16];
        while (true)
        {
            int ne = e.ReadAtLeast(be, be.Length, throwOnEndOfStream: false);
            int na = a.ReadAtLeast(ba, ba.Length, throwOnEndOfStream: false);
            if (ne != na || !be.AsSpan(0, ne).SequenceEqual(ba.AsSpan(0, na)))
                return false;
            if (ne == 0)
                return true;
        }
    }
}
