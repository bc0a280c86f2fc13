using Hardware.Cli.Commands;

namespace Hardware.Cli.Images;

/// <summary>
/// cp [-r] between two <see cref="IFileTree"/>s: regular files (data regions only, so holes stay holes), directories,
/// symlinks, hard links within the copied tree, permission bits (setuid and sticky included) and modification times.
/// A failure removes what this copy created, so nothing half-written is left looking like a finished copy.
/// </summary>
public sealed class TreeCopier(IFileTree source, IFileTree target, bool recursive)
{
    /// <summary>Bytes per read and write: large requests keep the emulated drive's queue busy.</summary>
    private const int ChunkBytes = 1 << 20;

    /// <summary>The granularity of hole detection: a page, the largest ext2 block.</summary>
    private const int ZeroBlockBytes = 4096;

    private readonly Dictionary<(long, long), string> _linked = [];
    private readonly List<(string Path, bool IsDirectory)> _created = [];
    private readonly byte[] _buffer = new byte[ChunkBytes];

    /// <summary>Entries copied (files, directories, symlinks, links).</summary>
    public int Copied { get; private set; }

    /// <summary>
    /// Copies <paramref name="sourcePath"/> to <paramref name="targetPath"/>, or into it when it is an existing
    /// directory (as cp does).
    /// </summary>
    public void Copy(string sourcePath, string targetPath)
    {
        EntryStatus status = source.Lstat(sourcePath) ?? throw new CliException($"{source.Name(sourcePath)}: No such file or directory");
        if (status.Kind == EntryKind.Directory && !recursive)
            throw new CliException($"{source.Name(sourcePath)}: is a directory (use -r to copy directories)");
        if (target.Stat(targetPath) is { Kind: EntryKind.Directory })
            targetPath = target.Join(targetPath, BaseName(sourcePath));
        try
        {
            CopyEntry(sourcePath, status, targetPath);
        }
        catch (CliException)
        {
            RollBack();
            throw;
        }
    }

    private void CopyEntry(string sourcePath, EntryStatus status, string targetPath)
    {
        switch (status.Kind)
        {
            case EntryKind.Directory:
                CopyDirectory(sourcePath, status, targetPath);
                break;
            case EntryKind.Symlink:
                RemoveExisting(targetPath);
                target.Symlink(source.ReadLink(sourcePath), targetPath);
                _created.Add((targetPath, false));
                target.SetModifyTime(targetPath, status.ModifyTimeNs, isSymlink: true);
                break;
            case EntryKind.Regular:
                CopyFile(sourcePath, status, targetPath);
                break;
            default:
                throw new CliException($"{source.Name(sourcePath)}: special files (devices, fifos, sockets) are not copied");
        }
        Copied++;
    }

    private void CopyDirectory(string sourcePath, EntryStatus status, string targetPath)
    {
        EntryStatus? existing = target.Lstat(targetPath);
        if (existing is null)
        {
            target.MakeDirectory(targetPath);
            _created.Add((targetPath, true));
        }
        else if (existing.Value.Kind != EntryKind.Directory)
        {
            throw new CliException($"{target.Name(targetPath)}: cannot overwrite a non-directory with directory {source.Name(sourcePath)}");
        }
        foreach (string name in source.List(sourcePath))
        {
            string child = source.Join(sourcePath, name);
            EntryStatus childStatus = source.Lstat(child) ?? throw new CliException($"{source.Name(child)}: vanished while copying");
            CopyEntry(child, childStatus, target.Join(targetPath, name));
        }
        target.SetPermissions(targetPath, status.Permissions);
        target.SetModifyTime(targetPath, status.ModifyTimeNs, isSymlink: false);
    }

    private void CopyFile(string sourcePath, EntryStatus status, string targetPath)
    {
        bool tracked = status.Links > 1 && status.Identity.Item2 != 0;
        if (tracked && _linked.TryGetValue(status.Identity, out string? first))
        {
            RemoveExisting(targetPath);
            target.Link(first, targetPath);
            _created.Add((targetPath, false));
            return;
        }
        if (target.Lstat(targetPath) is { Kind: EntryKind.Directory })
            throw new CliException($"{target.Name(targetPath)}: cannot overwrite a directory with file {source.Name(sourcePath)}");
        RemoveExisting(targetPath);
        using (ISourceFile reader = source.OpenRead(sourcePath))
        using (ITargetFile writer = target.Create(targetPath))
        {
            _created.Add((targetPath, false));
            foreach ((long offset, long length) in reader.DataRegions(status.Size))
                CopyRegion(reader, writer, sourcePath, offset, length);
            writer.Finish(status.Size);
        }
        target.SetPermissions(targetPath, status.Permissions);
        target.SetModifyTime(targetPath, status.ModifyTimeNs, isSymlink: false);
        if (tracked)
            _linked[status.Identity] = targetPath;
    }

    private void CopyRegion(ISourceFile reader, ITargetFile writer, string sourcePath, long offset, long length)
    {
        long end = offset + length;
        while (offset < end)
        {
            int want = (int)Math.Min(_buffer.Length, end - offset);
            int read = reader.Read(_buffer, want, offset);
            if (read == 0)
                throw new CliException($"{source.Name(sourcePath)}: the file shrank while being copied", 1);
            WriteNonZero(writer, read, offset);
            offset += read;
        }
    }

    /// <summary>
    /// Writes the chunk except its all-zero <see cref="ZeroBlockBytes"/> blocks: where the source cannot report its
    /// holes (SEEK_DATA says "all data"), zero blocks are where they were, and skipping them keeps the target sparse.
    /// </summary>
    private void WriteNonZero(ITargetFile writer, int count, long offset)
    {
        int start = 0;
        while (start < count)
        {
            int end = Math.Min(count, start + ZeroBlockBytes);
            if (_buffer.AsSpan(start, end - start).ContainsAnyExcept((byte)0))
            {
                int runEnd = end;
                while (runEnd < count && _buffer.AsSpan(runEnd, Math.Min(count, runEnd + ZeroBlockBytes) - runEnd).ContainsAnyExcept((byte)0))
                    runEnd = Math.Min(count, runEnd + ZeroBlockBytes);
                writer.Write(_buffer, start, runEnd - start, offset + start);
                start = runEnd;
            }
            else
            {
                start = end;
            }
        }
    }

    /// <summary>cp replaces an existing non-directory target.</summary>
    private void RemoveExisting(string targetPath)
    {
        if (target.Lstat(targetPath) is { } existing && existing.Kind != EntryKind.Directory)
            target.Remove(targetPath, isDirectory: false);
    }

    /// <summary>Removes what this copy created, newest first (best effort: the first failure is what gets reported).</summary>
    private void RollBack()
    {
        for (int i = _created.Count - 1; i >= 0; i--)
        {
            try
            {
                target.Remove(_created[i].Path, _created[i].IsDirectory);
            }
            catch (CliException)
            {
                // The copy already failed; a leftover that cannot be removed does not change what is reported.
            }
        }
        _created.Clear();
    }

    private static string BaseName(string path)
    {
        string trimmed = path.TrimEnd('/');
        int slash = trimmed.LastIndexOf('/');
        return slash < 0 ? trimmed : trimmed[(slash + 1)..];
    }
}
