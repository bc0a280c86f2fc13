using System.CommandLine;
using Hardware.Cli.Images;
using Hardware.Vfs;

namespace Hardware.Cli.Commands.Images;

/// <summary>
/// `hwstack ln [-s] TARGET IMAGE:LINK`: a hard link to TARGET (a path in the same image) or, with -s, a symlink
/// holding TARGET as written. An existing directory LINK receives the link under TARGET's name.
/// </summary>
public static class LinkCommand
{
    public static Command Create(TextWriter output)
    {
        var options = new ImageCommandOptions();
        var symbolic = new Option<bool>("-s", "--symbolic") { Description = "Make a symbolic link whose target is TARGET as written" };
        var target = new Argument<string>("TARGET") { Description = "For a hard link, a path in the same image (IMAGE:PATH or /PATH); for -s, any text" };
        var link = new Argument<string>("IMAGE:LINK") { Description = "The image file and the link to make inside it" };
        var command = new Command("ln", "Make a hard or symbolic link inside an ext2 image") { symbolic, target, link };
        options.AddTo(command);
        command.SetAction(parse =>
        {
            ImageLocation location = ImageCommandOptions.Location(parse.GetValue(link)!);
            string targetText = parse.GetValue(target)!;
            bool isSymbolic = parse.GetValue(symbolic);
            string? existing = isSymbolic ? null : MoveCommand.SameImagePath(location.Image, targetText);
            using ImageSession session = options.Mount(parse, location.Image, writable: true);
            var files = new ImageFiles(session);
            string path = location.Path;
            if (files.TryLstat(path) is { Type: InodeType.Directory })
            {
                string name = (existing ?? targetText).TrimEnd('/');
                path = ImageFiles.Join(path, name[(name.LastIndexOf('/') + 1)..]);
            }
            if (isSymbolic)
                files.Symlink(targetText, path);
            else
                files.Link(existing!, path);
            session.Close();
            return 0;
        });
        return command;
    }
}
