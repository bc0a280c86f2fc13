using System.CommandLine;
using Hardware.Cli.Images;
using Hardware.Vfs.Ext2.Check;

namespace Hardware.Cli.Commands.Images;

/// <summary>
/// `hwstack fsck IMAGE`: our own read-only consistency check of an ext2 image, through the emulated drive. Prints
/// each problem, then a summary as e2fsck does. Exit 0 clean, 4 problems found (as e2fsck -n), 2 bad input.
/// </summary>
public static class FsckCommand
{
    public const int ExitProblems = 4;

    public static Command Create(TextWriter output)
    {
        var options = new ImageCommandOptions();
        var image = new Argument<string>("IMAGE") { Description = "The image file (never changed)" };
        var command = new Command("fsck", "Check an ext2 image read-only; exit 0 when clean, 4 when problems are found") { image };
        options.AddTo(command);
        command.SetAction(parse =>
        {
            string path = parse.GetValue(image)!;
            using ImageSession session = options.Open(parse, path, writable: false);
            Ext2CheckReport report = session.Run(async () => await Ext2Checker.CheckAsync(session.Device, session.Cache));
            session.Close();
            // No superblock to count from: this is not an ext2 image at all, which is bad input rather than damage.
            if (!report.IsClean && report.TotalInodes == 0)
                throw new CliException($"{path}: not an ext2 filesystem: {string.Join("; ", report.Problems)}");
            foreach (string problem in report.Problems)
                output.WriteLine(problem);
            foreach (string note in report.Notes)
                output.WriteLine($"note: {note}");
            output.WriteLine(report.SummaryFor(path) + (report.IsClean ? "" : $" - {report.Problems.Count} problem{(report.Problems.Count == 1 ? "" : "s")}"));
            return report.IsClean ? 0 : ExitProblems;
        });
        return command;
    }
}
