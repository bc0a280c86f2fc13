using Hardware.BlockLayer;
using Hardware.Vfs;

namespace Hardware.Cli.Commands;

/// <summary>How a command names a failure: strerror(3)'s text, and for I/O errors and corruption the VFS's account of where.</summary>
public static class ErrnoText
{
    /// <summary>strerror(3)'s text for the errnos the commands meet.</summary>
    public static string Of(Errno errno) => errno switch
    {
        Errno.ENOENT => "No such file or directory",
        Errno.EEXIST => "File exists",
        Errno.ENOTDIR => "Not a directory",
        Errno.EISDIR => "Is a directory",
        Errno.ENOTEMPTY => "Directory not empty",
        Errno.ENOSPC => "No space left on device",
        Errno.EROFS => "Read-only file system",
        Errno.EIO => "Input/output error",
        Errno.EREMOTEIO => "Remote I/O error",
        Errno.EUCLEAN => "Structure needs cleaning",
        Errno.EINVAL => "Invalid argument",
        Errno.EACCES => "Permission denied",
        Errno.EPERM => "Operation not permitted",
        Errno.ELOOP => "Too many levels of symbolic links",
        Errno.ENAMETOOLONG => "File name too long",
        Errno.EMLINK => "Too many links",
        Errno.EFBIG => "File too large",
        Errno.EXDEV => "Invalid cross-device link",
        Errno.EBUSY => "Device or resource busy",
        Errno.ENOMEM => "Cannot allocate memory",
        _ => errno.ToString(),
    };

    /// <summary>The errno's text; for corruption and I/O errors also the VFS's message naming the structure or block.</summary>
    public static string Reason(VfsResult result) => result.Errno is Errno.EUCLEAN or Errno.EIO or Errno.EREMOTEIO && result.Message is { Length: > 0 }
        ? $"{Of(result.Errno)} ({result.Message})"
        : Of(result.Errno);
}
