using System.CommandLine;
using Hardware.Cli.Images;

namespace Hardware.Cli.Commands.Images;

/// <summary>`hwstack mkdir [-p] IMAGE:PATH`: makes a directory (mode 0755) inside an ext2 image.</summary>
public static class MkdirCommand
{
    public static Command Create(TextWriter output)
    {
        var options = new ImageCommandOptions();
        var parents = new Option<bool>("-p", "--parents") { Description = "Make missing parent directories too; an existing directory is no error" };
        var operand = new Argument<string>("IMAGE:PATH") { Description = "The image file and the directory to make inside it" };
        var command = new Command("mkdir", "Make a directory inside an ext2 image") { parents, operand };
        options.AddTo(command);
        command.SetAction(parse =>
        {
            ImageLocation location = ImageCommandOptions.Location(parse.GetValue(operand)!);
            using ImageSession session = options.Mount(parse, location.Image, writable: true);
            var files = new ImageFiles(session);
            if (parse.GetValue(parents))
                MakeWithParents(files, location.Path);
            else
                files.Mkdir(location.Path, Mode);
            session.Close();
            return 0;
        });
        return command;
    }

    private const int Mode = 0x1ED;

    private static void MakeWithParents(ImageFiles files, string path)
    {
        string current = "";
        foreach (string part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            current += "/" + part;
            if (files.TryLstat(current) is { } existing)
            {
                if (existing.Type != Hardware.Vfs.InodeType.Directory && files.Stat(current).Type != Hardware.Vfs.InodeType.Directory)
                    throw ImageErrors.Fail(files.Name(current), Hardware.BlockLayer.Errno.ENOTDIR);
                continue;
            }
            files.Mkdir(current, Mode);
        }
    }
}
