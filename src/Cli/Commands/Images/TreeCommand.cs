using System.CommandLine;
using Hardware.Cli.Images;
using Hardware.Vfs;
using Hardware.Vfs.Syscalls;

namespace Hardware.Cli.Commands.Images;

/// <summary>`hwstack tree IMAGE[:PATH]`: the directory tree inside an ext2 image, drawn like tree(1).</summary>
public static class TreeCommand
{
    public static Command Create(TextWriter output)
    {
        var options = new ImageCommandOptions();
        var operand = new Argument<string>("IMAGE[:PATH]") { Description = "The image file and optionally a directory inside it" };
        var command = new Command("tree", "Draw the directory tree inside an ext2 image") { operand };
        options.AddTo(command);
        command.SetAction(parse =>
        {
            ImageLocation location = ImageCommandOptions.Location(parse.GetValue(operand)!, rootIfBare: true);
            using ImageSession session = options.Mount(parse, location.Image, writable: false);
            var files = new ImageFiles(session);
            output.WriteLine(location.Path);
            var counts = new int[2];
            if (files.Lstat(location.Path).Type == InodeType.Directory)
                Draw(files, location.Path, "", counts, output);
            session.Close();
            output.WriteLine();
            output.WriteLine($"{counts[0]} {(counts[0] == 1 ? "directory" : "directories")}, {counts[1]} {(counts[1] == 1 ? "file" : "files")}");
            return 0;
        });
        return command;
    }

    private static void Draw(ImageFiles files, string path, string indent, int[] counts, TextWriter output)
    {
        List<string> names = files.List(path);
        for (int i = 0; i < names.Count; i++)
        {
            bool last = i == names.Count - 1;
            string child = ImageFiles.Join(path, names[i]);
            FileStatus status = files.Lstat(child);
            string shown = status.Type == InodeType.Symlink ? $"{names[i]} -> {files.ReadLink(child)}" : names[i];
            output.WriteLine($"{indent}{(last ? "└── " : "├── ")}{shown}");
            if (status.Type == InodeType.Directory)
            {
                counts[0]++;
                Draw(files, child, indent + (last ? "    " : "│   "), counts, output);
            }
            else
            {
                counts[1]++;
            }
        }
    }
}
