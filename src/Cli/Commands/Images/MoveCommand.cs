using System.CommandLine;
using Hardware.Cli.Images;
using Hardware.Vfs;

namespace Hardware.Cli.Commands.Images;

/// <summary>
/// `hwstack mv IMAGE:SRC [IMAGE:]DST`: renames inside one ext2 image; an existing directory DST receives SRC under
/// its own name, an existing file DST is replaced (rename(2)).
/// </summary>
public static class MoveCommand
{
    public static Command Create(TextWriter output)
    {
        var options = new ImageCommandOptions();
        var from = new Argument<string>("IMAGE:SRC") { Description = "The image file and the path to move" };
        var to = new Argument<string>("DST") { Description = "The new path in the same image (IMAGE:PATH or just /PATH)" };
        var command = new Command("mv", "Move or rename a file or directory inside an ext2 image") { from, to };
        options.AddTo(command);
        command.SetAction(parse =>
        {
            ImageLocation source = ImageCommandOptions.Location(parse.GetValue(from)!);
            string target = SameImagePath(source.Image, parse.GetValue(to)!);
            using ImageSession session = options.Mount(parse, source.Image, writable: true);
            var files = new ImageFiles(session);
            files.Lstat(source.Path);
            if (files.TryLstat(target) is { Type: InodeType.Directory })
                target = ImageFiles.Join(target, source.Path[(source.Path.LastIndexOf('/') + 1)..]);
            files.Rename(source.Path, target);
            session.Close();
            return 0;
        });
        return command;
    }

    /// <summary>The path of <paramref name="operand"/>, which must be in <paramref name="image"/> (or be a bare /PATH).</summary>
    internal static string SameImagePath(string image, string operand)
    {
        // An absolute image path also starts with '/': an operand naming this image is IMAGE:PATH, not a bare path.
        if (operand.StartsWith(image + ":", StringComparison.Ordinal) || operand.StartsWith(Path.GetFullPath(image) + ":", StringComparison.Ordinal))
            return ImageCommandOptions.Location(operand).Path;
        if (operand.StartsWith('/'))
            return ImageCommandOptions.Location($"{image}:{operand}").Path;
        ImageLocation location = ImageCommandOptions.Location(operand);
        if (Path.GetFullPath(location.Image) != Path.GetFullPath(image))
            throw new CliException($"{operand}: not in {image}; moving and linking work within one image (use cp between images)");
        return location.Path;
    }
}
