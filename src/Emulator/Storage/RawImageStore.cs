using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Hardware.Emulator.Storage;

/// <summary>
/// A plain raw disk image file: byte N of the drive is byte N of the file, so e2fsprogs, losetup and QEMU read it as
/// it is. New images are sparse. Data moves with positioned reads and writes rather than a memory mapping: a mapped
/// write into a hole of a full host filesystem kills the process with SIGBUS, where a positioned write reports an error.
/// </summary>
public sealed class RawImageStore : IBackingStore
{
    private const int ZeroBlockBytes = 1 << 20;

    private readonly SafeFileHandle _handle;
    private byte[]? _zeros;
    private bool _disposed;

    private RawImageStore(SafeFileHandle handle, string path, long length, bool readOnly)
    {
        _handle = handle;
        Path = path;
        Length = length;
        ReadOnly = readOnly;
    }

    public string Path { get; }

    public long Length { get; }

    public bool ReadOnly { get; }

    /// <summary>Opens an existing image; its length is the file's length. Failures come back as a message naming the path.</summary>
    public static bool TryOpen(string path, bool readOnly, out RawImageStore? store, out string error)
    {
        store = null;
        if (string.IsNullOrEmpty(path))
        {
            error = "no image path given";
            return false;
        }
        SafeFileHandle? handle = null;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, readOnly ? FileAccess.Read : FileAccess.ReadWrite, FileShare.Read);
            long length = RandomAccess.GetLength(handle);
            store = new RawImageStore(handle, path, length, readOnly);
            error = "";
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            handle?.Dispose();
            error = $"cannot open image '{path}': {Describe(ex)}";
            return false;
        }
    }

    /// <summary>Creates a new sparse image of <paramref name="length"/> bytes; an existing file is never overwritten.</summary>
    public static bool TryCreate(string path, long length, out RawImageStore? store, out string error)
    {
        store = null;
        if (string.IsNullOrEmpty(path))
        {
            error = "no image path given";
            return false;
        }
        if (length < 0)
        {
            error = $"cannot create image '{path}': negative length {length}";
            return false;
        }
        SafeFileHandle? handle = null;
        try
        {
            handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read);
            RandomAccess.SetLength(handle, length);
            store = new RawImageStore(handle, path, length, readOnly: false);
            error = "";
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            handle?.Dispose();
            error = $"cannot create image '{path}': {Describe(ex)}";
            return false;
        }
    }

    public void Read(long offset, Span<byte> destination)
    {
        CheckRange(offset, destination.Length);
        while (!destination.IsEmpty)
        {
            int read = RandomAccess.Read(_handle, destination, offset);
            if (read == 0)
            {
                // The file was shortened behind our back; what is missing reads as zeros, like a hole.
                destination.Clear();
                return;
            }
            offset += read;
            destination = destination[read..];
        }
    }

    public void Write(long offset, ReadOnlySpan<byte> source)
    {
        CheckWritable();
        CheckRange(offset, source.Length);
        RandomAccess.Write(_handle, source, offset);
    }

    public void Discard(long offset, long length)
    {
        CheckWritable();
        CheckRange(offset, length);
        if (length == 0 || TryPunchHole(offset, length))
            return;
        _zeros ??= new byte[ZeroBlockBytes];
        long end = offset + length;
        while (offset < end)
        {
            int piece = (int)Math.Min(end - offset, ZeroBlockBytes);
            RandomAccess.Write(_handle, _zeros.AsSpan(0, piece), offset);
            offset += piece;
        }
    }

    public void Flush()
    {
        if (!ReadOnly)
            RandomAccess.FlushToDisk(_handle);
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        _handle.Dispose();
    }

    /// <summary>Deallocates the range in the host file (it reads back as zeros and stops taking space) where Linux allows.</summary>
    private bool TryPunchHole(long offset, long length)
    {
        if (!OperatingSystem.IsLinux())
            return false;
        const int FallocFlKeepSize = 0x01;
        const int FallocFlPunchHole = 0x02;
        bool added = false;
        try
        {
            _handle.DangerousAddRef(ref added);
            int fd = (int)_handle.DangerousGetHandle();
            return Fallocate(fd, FallocFlPunchHole | FallocFlKeepSize, offset, length) == 0;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
        catch (DllNotFoundException)
        {
            return false;
        }
        finally
        {
            if (added)
                _handle.DangerousRelease();
        }
    }

    [DllImport("libc", EntryPoint = "fallocate", SetLastError = true)]
    private static extern int Fallocate(int fd, int mode, long offset, long length);

    private void CheckWritable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (ReadOnly)
            throw new InvalidOperationException($"image '{Path}' was opened read-only");
    }

    private void CheckRange(long offset, long length)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (offset < 0 || length < 0 || offset > Length - length)
            throw new ArgumentOutOfRangeException(nameof(offset), $"range {offset}+{length} is outside image '{Path}' of {Length} bytes");
    }

    private static string Describe(Exception ex) => ex switch
    {
        FileNotFoundException => "no such file",
        DirectoryNotFoundException => "no such directory",
        UnauthorizedAccessException => "permission denied",
        _ => ex.Message,
    };
}
