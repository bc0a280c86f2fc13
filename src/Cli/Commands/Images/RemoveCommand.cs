using System.CommandLine;
using Hardware.BlockLayer;
using Hardware.Cli.Images;
using Hardware.Vfs;

namespace Hardware.Cli.Commands.Images;

/// <summary>`hwstack rm [-r] IMAGE:PATH`: removes a file, symlink or (with -r) a directory tree inside an ext2 image.</summary>
public static class RemoveCommand
{
    public static Command Create(TextWriter output)
    {
        var options = new ImageCommandOptions();
        var recursive = new Option<bool>("-r", "-R", "--recursive") { Description = "Remove directories and everything below them" };
        var operand = new Argument<string>("IMAGE:PATH") { Description = "The image file and the path to remove inside it" };
        var command = new Command("rm", "Remove a file or directory tree inside an ext2 image") { recursive, operand };
        options.AddTo(command);
        command.SetAction(parse =>
        {
            ImageLocation location = ImageCommandOptions.Location(parse.GetValue(operand)!);
            if (location.Path == "/")
                throw new CliException($"{location}: refusing to remove the root directory");
            using ImageSession session = options.Mount(parse, location.Image, writable: true);
            var files = new ImageFiles(session);
            if (files.Lstat(location.Path).Type == InodeType.Directory)
            {
                if (!parse.GetValue(recursive))
                    throw ImageErrors.Fail(files.Name(location.Path), Errno.EISDIR);
                files.RemoveTree(location.Path);
            }
            else
            {
                files.Unlink(location.Path);
            }
            session.Close();
            return 0;
        });
        return command;
    }
}
