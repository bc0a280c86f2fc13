using System.CommandLine;
using Hardware.Cli.Images;
using Hardware.Vfs;

namespace Hardware.Cli.Commands.Images;

/// <summary>`hwstack df IMAGE`: space and inodes of an ext2 image, from statfs, like df -k and df -i in one line.</summary>
public static class DfCommand
{
    public static Command Create(TextWriter output)
    {
        var options = new ImageCommandOptions();
        var image = new Argument<string>("IMAGE") { Description = "The image file" };
        var command = new Command("df", "Show the space and inodes used and available in an ext2 image") { image };
        options.AddTo(command);
        command.SetAction(parse =>
        {
            string path = parse.GetValue(image)!;
            using ImageSession session = options.Mount(parse, path, writable: false);
            StatFs fs = new ImageFiles(session).StatFs();
            session.Close();
            Print(path, fs, output);
            return 0;
        });
        return command;
    }

    private static void Print(string image, StatFs fs, TextWriter output)
    {
        long k = fs.BlockSize / 1024;
        long total = fs.Blocks * k;
        long used = (fs.Blocks - fs.FreeBlocks) * k;
        long available = fs.AvailableBlocks * k;
        long inodesUsed = fs.Files - fs.FreeFiles;
        string[] header = ["Filesystem", "1K-blocks", "Used", "Available", "Use%", "Inodes", "IUsed", "IFree", "IUse%"];
        string[] row = [image, $"{total}", $"{used}", $"{available}", Percent(used, used + available), $"{fs.Files}", $"{inodesUsed}",
            $"{fs.FreeFiles}", Percent(inodesUsed, fs.Files)];
        int[] widths = header.Select((h, i) => Math.Max(h.Length, row[i].Length)).ToArray();
        string Line(string[] cells) => string.Join(' ', cells.Select((c, i) => i == 0 ? c.PadRight(widths[i]) : c.PadLeft(widths[i])));
        output.WriteLine(Line(header));
        output.WriteLine(Line(row));
    }

    /// <summary>df's rounding: used / (used + available), rounded up.</summary>
    private static string Percent(long part, long whole) => whole == 0 ? "-" : $"{(part * 100 + whole - 1) / whole}%";
}
