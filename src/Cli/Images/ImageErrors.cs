using Hardware.BlockLayer;
using Hardware.Cli.Commands;
using Hardware.Vfs;

namespace Hardware.Cli.Images;

/// <summary>
/// Turns VFS failures into the one-line errors of the image commands: <c>what: reason</c> naming the image and path,
/// exit status 1 for I/O errors (the medium failed) and 2 for everything else (bad input, corrupt image, full disk).
/// </summary>
public static class ImageErrors
{
    public const int ExitIo = 1;

    public static int ExitCode(Errno errno) => errno is Errno.EIO or Errno.EREMOTEIO ? ExitIo : CommandLine.ExitUsage;

    /// <summary>An operation on <paramref name="what"/> (e.g. "disk.img:/etc") failed.</summary>
    public static CliException Fail(string what, VfsResult result) =>
        new($"{what}: {Reason(result)}", ExitCode(result.Errno));

    public static CliException Fail(string what, Errno errno) => new($"{what}: {ErrnoText.Of(errno)}", ExitCode(errno));

    public static CliException Mount(string image, VfsResult result) => result.Errno switch
    {
        Errno.EINVAL => new CliException($"{image}: not a usable ext2 filesystem: {Detail(result)}"),
        _ => new CliException($"{image}: mounting ext2 failed: {Detail(result)}", ExitCode(result.Errno)),
    };

    public static CliException Io(string image, string doing, VfsResult result) =>
        new($"{image}: {doing} failed: {Reason(result)}", ExitCode(result.Errno));

    private static string Reason(VfsResult result) => ErrnoText.Reason(result with { Message = result.Message is null ? null : Strip(result.Message) });

    private static string Detail(VfsResult result)
    {
        string message = Strip(result.Message ?? result.Errno.ToString());
        // "mount /dev/sda on /mnt: ext2 sda: bad magic" -> "ext2 sda: bad magic"
        int colon = message.IndexOf(": ", StringComparison.Ordinal);
        return message.StartsWith("mount ", StringComparison.Ordinal) && colon > 0 ? message[(colon + 2)..] : message;
    }

    /// <summary>Guest paths in VFS messages name the mount point; the user knows the image's own paths.</summary>
    private static string Strip(string message) => message.Replace(ImageSession.MountPoint + "/", "/", StringComparison.Ordinal);
}
