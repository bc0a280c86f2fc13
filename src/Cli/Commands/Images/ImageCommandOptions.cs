using System.CommandLine;
using Hardware.Cli.Images;

namespace Hardware.Cli.Commands.Images;

/// <summary>The options every image command shares: the drive model behind the image and the partition to mount.</summary>
internal sealed class ImageCommandOptions
{
    public Option<string> Device { get; } = new("--device")
    {
        Description = "Device preset name or device JSON file for the emulated drive whose medium is the image",
        DefaultValueFactory = _ => "ram",
    };

    public Option<int?> Partition { get; } = new("--partition")
    {
        Description = "Use partition N of a partitioned image (/dev/sdaN) instead of the whole image",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Device);
        command.Options.Add(Partition);
    }

    /// <summary>Boots the stack over <paramref name="image"/> and mounts its ext2 filesystem.</summary>
    public ImageSession Mount(ParseResult parse, string image, bool writable, long cacheBytes = ImageSession.DefaultCacheBytes)
    {
        ImageSession session = Open(parse, image, writable, cacheBytes: cacheBytes);
        try
        {
            session.Mount();
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Boots the stack over <paramref name="image"/> without mounting (mkfs, fsck).</summary>
    public ImageSession Open(ParseResult parse, string image, bool writable, long? capacityBytes = null, long cacheBytes = ImageSession.DefaultCacheBytes)
    {
        int? partition = parse.GetValue(Partition);
        if (partition is < 1)
            throw new CliException($"--partition {partition}: partitions are numbered from 1");
        return ImageSession.Open(image, writable, parse.GetValue(Device)!, partition, capacityBytes: capacityBytes, cacheBytes: cacheBytes);
    }

    public static ImageLocation Location(string operand, bool rootIfBare = false) =>
        ImageLocation.TryParse(operand, rootIfBare, out ImageLocation? location, out string error) ? location! : throw new CliException(error);
}
