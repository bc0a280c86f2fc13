namespace Hardware.BlockLayer.Tracing;

/// <summary>Turns a host file-system exception into the errno a Linux tool would report.</summary>
internal static class HostFileErrors
{
    public static Errno ErrnoOf(Exception ex) => ex switch
    {
        UnauthorizedAccessException => Errno.EACCES,
        DirectoryNotFoundException or FileNotFoundException => Errno.ENOENT,
        PathTooLongException => Errno.ENAMETOOLONG,
        _ => Errno.EIO,
    };

    public static bool IsHostFileError(Exception ex) => ex is IOException or UnauthorizedAccessException;
}
