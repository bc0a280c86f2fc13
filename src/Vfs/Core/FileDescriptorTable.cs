using Hardware.BlockLayer;

namespace Hardware.Vfs;

/// <summary>
/// A process's descriptor table (struct files_struct): descriptors index open files; a new descriptor is the lowest
/// free one; close-on-exec is per descriptor; at most <see cref="Limit"/> descriptors (RLIMIT_NOFILE, EMFILE).
/// </summary>
public sealed class FileDescriptorTable
{
    /// <summary>Linux's default soft RLIMIT_NOFILE: 1024.</summary>
    public const int DefaultLimit = 1024;

    private File?[] _files = new File?[16];
    private bool[] _closeOnExec = new bool[16];

    public FileDescriptorTable(int limit = DefaultLimit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        Limit = limit;
    }

    public int Limit { get; set; }

    public int OpenCount { get; private set; }

    /// <summary>The open file behind <paramref name="fd"/>, or null (EBADF).</summary>
    public File? Get(int fd) => (uint)fd < (uint)_files.Length ? _files[fd] : null;

    public bool IsCloseOnExec(int fd) => Get(fd) is not null && _closeOnExec[fd];

    public VfsResult SetCloseOnExec(int fd, bool value)
    {
        if (Get(fd) is null)
            return BadDescriptor(fd);
        _closeOnExec[fd] = value;
        return VfsResult.Success;
    }

    /// <summary>Installs <paramref name="file"/> at the lowest free descriptor at or above <paramref name="minimum"/>.</summary>
    public VfsResult<int> Install(File file, bool closeOnExec, int minimum = 0)
    {
        for (int fd = minimum; fd < Limit; fd++)
        {
            if (fd >= _files.Length)
                Grow(fd);
            if (_files[fd] is null)
            {
                Place(fd, file, closeOnExec);
                return VfsResult<int>.Success(fd);
            }
        }
        return VfsResult<int>.Fail(Errno.EMFILE, $"no free descriptor below the limit of {Limit}");
    }

    /// <summary>dup: a new descriptor for the same open file (close-on-exec clear on the copy).</summary>
    public VfsResult<int> Duplicate(int fd)
    {
        File? file = Get(fd);
        if (file is null)
            return BadDescriptor(fd);
        VfsResult<int> installed = Install(file, closeOnExec: false);
        if (installed.Ok)
            file.ReferenceCount++;
        return installed;
    }

    /// <summary>
    /// dup2: <paramref name="newFd"/> refers to the open file of <paramref name="oldFd"/>; whatever it referred to is
    /// returned for closing. Equal descriptors are a no-op.
    /// </summary>
    public VfsResult<int> Duplicate(int oldFd, int newFd, out File? displaced)
    {
        displaced = null;
        File? file = Get(oldFd);
        if (file is null)
            return BadDescriptor(oldFd);
        if (newFd < 0 || newFd >= Limit)
            return VfsResult<int>.Fail(Errno.EBADF, $"descriptor {newFd} is outside 0..{Limit - 1}");
        if (oldFd == newFd)
            return VfsResult<int>.Success(newFd);
        if (newFd >= _files.Length)
            Grow(newFd);
        displaced = _files[newFd];
        if (displaced is not null)
            OpenCount--;
        file.ReferenceCount++;
        Place(newFd, file, closeOnExec: false);
        return VfsResult<int>.Success(newFd);
    }

    /// <summary>fork: the child's table refers to the same open files under the same numbers and flags.</summary>
    internal void CopyFrom(FileDescriptorTable parent)
    {
        foreach (int fd in parent.Descriptors)
        {
            if (fd >= _files.Length)
                Grow(fd);
            File file = parent._files[fd]!;
            file.ReferenceCount++;
            Place(fd, file, parent._closeOnExec[fd]);
        }
    }

    /// <summary>Removes the descriptor; returns its open file (the caller drops the reference) or null (EBADF).</summary>
    public File? Remove(int fd)
    {
        File? file = Get(fd);
        if (file is null)
            return null;
        _files[fd] = null;
        _closeOnExec[fd] = false;
        OpenCount--;
        return file;
    }

    /// <summary>The descriptors in use, ascending.</summary>
    public IEnumerable<int> Descriptors
    {
        get
        {
            for (int fd = 0; fd < _files.Length; fd++)
            {
                if (_files[fd] is not null)
                    yield return fd;
            }
        }
    }

    private void Place(int fd, File file, bool closeOnExec)
    {
        _files[fd] = file;
        _closeOnExec[fd] = closeOnExec;
        OpenCount++;
    }

    private void Grow(int fd)
    {
        int size = Math.Max(_files.Length * 2, fd + 1);
        Array.Resize(ref _files, size);
        Array.Resize(ref _closeOnExec, size);
    }

    private static VfsResult BadDescriptor(int fd) => VfsResult.Fail(Errno.EBADF, $"descriptor {fd} is not open");
}
