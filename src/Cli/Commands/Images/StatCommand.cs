using System.CommandLine;
using Hardware.Cli.Images;
using Hardware.Vfs;
using Hardware.Vfs.Syscalls;

namespace Hardware.Cli.Commands.Images;

/// <summary>`hwstack stat IMAGE:PATH`: an inode's status inside an ext2 image, shaped like stat(1), times in UTC.</summary>
public static class StatCommand
{
    public static Command Create(TextWriter output)
    {
        var options = new ImageCommandOptions();
        var operand = new Argument<string>("IMAGE:PATH") { Description = "The image file and a path inside it" };
        var command = new Command("stat", "Show an inode's status inside an ext2 image (like stat(1))") { operand };
        options.AddTo(command);
        command.SetAction(parse =>
        {
            ImageLocation location = ImageCommandOptions.Location(parse.GetValue(operand)!, rootIfBare: true);
            using ImageSession session = options.Mount(parse, location.Image, writable: false);
            Print(new ImageFiles(session), location.Path, output);
            session.Close();
            return 0;
        });
        return command;
    }

    private static void Print(ImageFiles files, string path, TextWriter output)
    {
        FileStatus status = files.Lstat(path);
        string name = status.Type == InodeType.Symlink ? $"{path} -> {files.ReadLink(path)}" : path;
        output.WriteLine($"  File: {name}");
        output.WriteLine($"  Size: {status.Size,-15} Blocks: {status.Blocks,-10} IO Block: {status.BlockSize,-6} {ModeText.TypeName(status.Type, status.Size)}");
        output.WriteLine($"Device: {status.Device,-14} Inode: {status.InodeNumber,-11} Links: {status.LinkCount}");
        output.WriteLine($"Access: ({Convert.ToString(status.Permissions, 8).PadLeft(4, '0')}/{ModeText.Of(status.Mode)})  Uid: ({status.Uid,5})   Gid: ({status.Gid,5})");
        output.WriteLine($"Access: {ModeText.Full(status.AccessTimeNs)}");
        output.WriteLine($"Modify: {ModeText.Full(status.ModifyTimeNs)}");
        output.WriteLine($"Change: {ModeText.Full(status.ChangeTimeNs)}");
    }
}
