namespace Hardware.Vfs.RamFs;

/// <summary>
/// A ramfs directory's entries (what a disk filesystem keeps in directory blocks). Each entry has a cookie, given in
/// creation order and never reused, so getdents can continue after removals without skipping or repeating.
/// </summary>
internal sealed class RamDirectory
{
    /// <summary>Cookies 0 and 1 are . and ..</summary>
    private long _nextCookie = 2;

    public Dictionary<string, (Inode Inode, long Cookie)> Entries { get; } = new(StringComparer.Ordinal);

    public void Add(string name, Inode inode) => Entries[name] = (inode, _nextCookie++);

    public bool Remove(string name) => Entries.Remove(name);
}

/// <summary>Per-inode ramfs state: the pages charged against the size limit.</summary>
internal sealed class RamFileData
{
    public long ChargedPages { get; set; }
}
