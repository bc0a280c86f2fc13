namespace Hardware.Cli.Images;

public enum EntryKind
{
    Regular,
    Directory,
    Symlink,
    Special,
}

/// <summary>What cp needs to know about one entry on either side: kind, permission bits (07777), size, links, identity, mtime.</summary>
public readonly record struct EntryStatus(EntryKind Kind, int Permissions, long Size, int Links, (long Device, long Inode) Identity, long ModifyTimeNs);

/// <summary>
/// One side of a copy: the host's filesystem or a path space inside a mounted image. Paths are the side's own
/// ("/etc/passwd" inside an image, a host path on the host). Failures throw one-line CliExceptions naming the path.
/// </summary>
public interface IFileTree
{
    /// <summary>How <paramref name="path"/> is named in messages.</summary>
    string Name(string path);

    string Join(string directory, string name);

    /// <summary>lstat, or null when nothing is there.</summary>
    EntryStatus? Lstat(string path);

    /// <summary>stat (following a final symlink), or null when nothing is there.</summary>
    EntryStatus? Stat(string path);

    IReadOnlyList<string> List(string directory);

    string ReadLink(string path);

    ISourceFile OpenRead(string path);

    ITargetFile Create(string path);

    /// <summary>Creates a directory only its owner may use; <see cref="SetPermissions"/> gives it its mode when filled.</summary>
    void MakeDirectory(string path);

    void Symlink(string target, string path);

    void Link(string existing, string path);

    void SetPermissions(string path, int permissions);

    void SetModifyTime(string path, long modifyTimeNs, bool isSymlink);

    /// <summary>Removes a file, symlink or empty directory.</summary>
    void Remove(string path, bool isDirectory);
}

/// <summary>A file being read: its data regions (holes left out) and positioned reads.</summary>
public interface ISourceFile : IDisposable
{
    IReadOnlyList<(long Offset, long Length)> DataRegions(long size);

    /// <summary>Reads up to <paramref name="count"/> bytes at <paramref name="offset"/>; 0 at the end of file.</summary>
    int Read(byte[] buffer, int count, long offset);
}

/// <summary>A file being written: data at offsets, then its final size (what was not written stays a hole).</summary>
public interface ITargetFile : IDisposable
{
    /// <summary>Writes <paramref name="count"/> bytes of <paramref name="buffer"/> from <paramref name="start"/> at file offset <paramref name="offset"/>.</summary>
    void Write(byte[] buffer, int start, int count, long offset);

    /// <summary>Sets the length and makes the data durable; only after this has the copy succeeded.</summary>
    void Finish(long size);
}
