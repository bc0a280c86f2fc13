using System.CommandLine;
using Hardware.Cli.Images;

namespace Hardware.Cli.Commands.Images;

/// <summary>
/// `hwstack cp [-r] SRC DST`: each side a host path or IMAGE:PATH (both may be images). Modes, symlinks, hard links
/// within the tree, sizes, holes and modification times are preserved. A failed copy removes what it created.
/// </summary>
public static class CopyCommand
{
    public static Command Create(TextWriter output)
    {
        var options = new ImageCommandOptions();
        var recursive = new Option<bool>("-r", "-R", "--recursive") { Description = "Copy directories and everything below them" };
        var from = new Argument<string>("SRC") { Description = "A host path or IMAGE:PATH" };
        var to = new Argument<string>("DST") { Description = "A host path or IMAGE:PATH; an existing directory receives SRC under its own name" };
        var command = new Command("cp", "Copy files and trees between the host and ext2 images (or between images)") { recursive, from, to };
        options.AddTo(command);
        command.SetAction(parse =>
        {
            string source = parse.GetValue(from)!;
            string target = parse.GetValue(to)!;
            Run(options, parse, source, target, parse.GetValue(recursive));
            return 0;
        });
        return command;
    }

    private static void Run(ImageCommandOptions options, ParseResult parse, string source, string target, bool recursive)
    {
        ImageLocation? sourceImage = ImageLocation.IsImageOperand(source) ? ImageCommandOptions.Location(source) : null;
        ImageLocation? targetImage = ImageLocation.IsImageOperand(target) ? ImageCommandOptions.Location(target) : null;
        bool sameImage = sourceImage is not null && targetImage is not null
            && Path.GetFullPath(sourceImage.Image) == Path.GetFullPath(targetImage.Image);

        ImageSession? targetSession = null;
        ImageSession? sourceSession = null;
        try
        {
            if (targetImage is not null)
                targetSession = options.Mount(parse, targetImage.Image, writable: true);
            if (sourceImage is not null)
                sourceSession = sameImage ? targetSession : options.Mount(parse, sourceImage.Image, writable: false);
            IFileTree from = sourceSession is null ? new HostTree() : new ImageTree(new ImageFiles(sourceSession));
            IFileTree to = targetSession is null ? new HostTree() : new ImageTree(new ImageFiles(targetSession));
            new TreeCopier(from, to, recursive).Copy(sourceImage?.Path ?? source, targetImage?.Path ?? target);
            // Unmount the target first: its writeback is what makes the copy real, and a failure there is reported.
            targetSession?.Close();
            sourceSession?.Close();
        }
        finally
        {
            targetSession?.Dispose();
            if (!sameImage)
                sourceSession?.Dispose();
        }
    }
}
