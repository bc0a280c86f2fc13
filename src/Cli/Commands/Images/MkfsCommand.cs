using System.CommandLine;
using Hardware.Cli.Images;
using Hardware.Vfs;
using Hardware.Vfs.Ext2.Mkfs;

namespace Hardware.Cli.Commands.Images;

/// <summary>
/// `hwstack mkfs IMAGE --size SIZE [...]`: makes an ext2 filesystem in an image file through the emulated drive,
/// creating the file (sparse) or extending it to SIZE first. Options are checked against the layout before the file
/// is touched; a new file is removed again when formatting fails.
/// </summary>
public static class MkfsCommand
{
    public static Command Create(TextWriter output)
    {
        var options = new ImageCommandOptions();
        var image = new Argument<string>("IMAGE") { Description = "The image file (created if missing)" };
        var size = new Option<string>("--size") { Description = "Filesystem size, e.g. 64M or 1G (K, M, G, T are powers of 1024)", Required = true };
        var blockSize = new Option<int>("--block-size", "-b") { Description = "Block size in bytes: 1024, 2048 or 4096 (default: as mke2fs chooses for the size)" };
        var inodeSize = new Option<int>("--inode-size", "-I") { Description = "Inode size in bytes: 128 or 256 (default 256)" };
        var inodes = new Option<long>("--inodes", "-N") { Description = "Number of inodes (default: one per 4 KiB, or as mke2fs chooses for small sizes)" };
        var reserved = new Option<double?>("--reserved-percent", "-m") { Description = "Percent of blocks reserved for root (default 5)" };
        var label = new Option<string>("--label", "-L") { Description = "Volume label (at most 16 bytes)", DefaultValueFactory = _ => "" };
        var seed = new Option<ulong?>("--seed") { Description = "Seed of the UUID and directory hash seed (default: random)" };
        var command = new Command("mkfs", "Make an ext2 filesystem in an image file") { image, size, blockSize, inodeSize, inodes, reserved, label, seed };
        options.AddTo(command);
        command.SetAction(parse =>
        {
            string path = parse.GetValue(image)!;
            if (!ImageSize.TryParse(parse.GetValue(size)!, out long bytes, out string sizeError))
                throw new CliException($"--size: {sizeError}");
            var mkfsOptions = new Ext2MkfsOptions
            {
                BlockSize = parse.GetValue(blockSize),
                InodeSize = parse.GetValue(inodeSize),
                InodeCount = parse.GetValue(inodes),
                ReservedPercent = parse.GetValue(reserved) ?? 5,
                Label = parse.GetValue(label)!,
                Seed = parse.GetValue(seed) ?? (ulong)Random.Shared.NextInt64(),
                TimeSeconds = WallClock.StartNs() / 1_000_000_000L,
            };
            Run(options, parse, path, bytes, mkfsOptions, output);
            return 0;
        });
        return command;
    }

    private static void Run(ImageCommandOptions options, ParseResult parse, string path, long bytes, Ext2MkfsOptions mkfsOptions, TextWriter output)
    {
        // A partition's size is the partition table's business; without one, check the layout before touching the file.
        if (parse.GetValue(options.Partition) is null)
        {
            VfsResult<Ext2Layout> plan = Ext2Mkfs.Plan(bytes, mkfsOptions);
            if (!plan.Ok)
                throw new CliException($"{path}: {plan.Message}");
        }
        bool created = PrepareFile(path, bytes);
        try
        {
            using ImageSession session = options.Open(parse, path, writable: true, capacityBytes: bytes);
            VfsResult<Ext2Layout> made = session.Run(async () => await Ext2Mkfs.FormatAsync(session.Device, mkfsOptions, session.Cache, session.Process.Id));
            if (!made.Ok)
                throw ImageErrors.Fail(path, made.Status);
            session.Close();
            Ext2Layout layout = made.Value;
            output.WriteLine($"{path}: ext2 on /dev/{session.Device.Name}, {layout.BlocksCount} blocks of {layout.BlockSize} bytes, "
                + $"{layout.InodesCount} inodes of {layout.InodeSize} bytes, {layout.GroupCount} block group{(layout.GroupCount == 1 ? "" : "s")}, "
                + $"{layout.ReservedBlocksCount} blocks reserved for root");
            output.WriteLine($"UUID {layout.Uuid}{(layout.Label.Length > 0 ? $", label '{layout.Label}'" : "")}");
        }
        catch (CliException) when (created)
        {
            System.IO.File.Delete(path);
            throw;
        }
    }

    /// <summary>Creates the image sparse, or extends a shorter one (never shrinks); true when the file is new.</summary>
    private static bool PrepareFile(string path, long bytes)
    {
        return HostTree.Guard(path, () =>
        {
            bool created = !System.IO.File.Exists(path);
            using FileStream file = new(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
            if (file.Length < bytes)
                file.SetLength(bytes);
            return created;
        });
    }
}
