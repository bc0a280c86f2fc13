using System.CommandLine;
using System.Globalization;
using Hardware.Cli.Images;
using Hardware.Vfs;
using Hardware.Vfs.Syscalls;

namespace Hardware.Cli.Commands.Images;

/// <summary>`hwstack ls [-l] [-a] IMAGE:PATH`: a directory's entries (or one file) inside an ext2 image, ls -l shaped.</summary>
public static class ListCommand
{
    public static Command Create(TextWriter output)
    {
        var options = new ImageCommandOptions();
        var longFormat = new Option<bool>("-l") { Description = "Long format: mode, links, uid, gid, size, modification time (UTC), name, -> target" };
        var all = new Option<bool>("-a") { Description = "Also list names starting with '.', including . and .." };
        var operand = new Argument<string>("IMAGE:PATH") { Description = "The image file and a path inside it (IMAGE alone lists the root)" };
        var command = new Command("ls", "List a directory (or a file) inside an ext2 image") { longFormat, all, operand };
        options.AddTo(command);
        command.SetAction(parse =>
        {
            ImageLocation location = ImageCommandOptions.Location(parse.GetValue(operand)!, rootIfBare: true);
            using ImageSession session = options.Mount(parse, location.Image, writable: false);
            Run(new ImageFiles(session), location.Path, parse.GetValue(longFormat), parse.GetValue(all), output);
            session.Close();
            return 0;
        });
        return command;
    }

    private static void Run(ImageFiles files, string path, bool longFormat, bool all, TextWriter output)
    {
        FileStatus status = files.Lstat(path);
        bool listDirectory = status.Type == InodeType.Directory || (!longFormat && status.Type == InodeType.Symlink
            && files.Stat(path).Type == InodeType.Directory);
        var rows = new List<(string Name, string Path)>();
        if (listDirectory)
        {
            foreach (string name in files.List(path, withDots: all))
            {
                if (all || !name.StartsWith('.'))
                    rows.Add((name, name is "." or ".." ? (name == "." ? path : Parent(path)) : ImageFiles.Join(path, name)));
            }
        }
        else
        {
            rows.Add((path, path));
        }
        if (!longFormat)
        {
            foreach ((string name, _) in rows)
                output.WriteLine(name);
            return;
        }
        var lines = new List<string[]>();
        long blocks = 0;
        foreach ((string name, string entryPath) in rows)
        {
            FileStatus entry = files.Lstat(entryPath);
            blocks += entry.Blocks;
            string shown = entry.Type == InodeType.Symlink ? $"{name} -> {files.ReadLink(entryPath)}" : name;
            lines.Add([ModeText.Of(entry.Mode), Number(entry.LinkCount), Number(entry.Uid), Number(entry.Gid), Number(entry.Size),
                ModeText.Minutes(entry.ModifyTimeNs), shown]);
        }
        if (listDirectory)
            output.WriteLine($"total {blocks / 2}");
        int[] widths = new int[6];
        foreach (string[] line in lines)
        {
            for (int i = 0; i < widths.Length; i++)
                widths[i] = Math.Max(widths[i], line[i].Length);
        }
        foreach (string[] line in lines)
        {
            output.WriteLine($"{line[0].PadRight(widths[0])} {line[1].PadLeft(widths[1])} {line[2].PadRight(widths[2])} {line[3].PadRight(widths[3])} "
                + $"{line[4].PadLeft(widths[4])} {line[5]} {line[6]}");
        }
    }

    private static string Parent(string path)
    {
        int slash = path.LastIndexOf('/');
        return slash <= 0 ? "/" : path[..slash];
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
