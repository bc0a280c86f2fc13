using System.CommandLine;
using Hardware.BlockLayer;
using Hardware.Cli.Images;
using Hardware.Vfs;
using Hardware.Vfs.Ext2;
using Hardware.Vfs.Syscalls;

namespace Hardware.Cli.Commands.Images;

/// <summary>
/// `hwstack stat IMAGE:PATH`: an inode's status inside an ext2 image, shaped like stat(1), times in UTC. Regular
/// files and directories also get a `Runs:` line: how many runs of physically contiguous blocks their data lies in
/// (1 is perfectly contiguous), as <see cref="Ext2Volume.CountDataRunsAsync"/> counts them.
/// </summary>
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
        if (status.Type is InodeType.Regular or InodeType.Directory)
            output.WriteLine($"  Runs: {CountRuns(files, path)}");
    }

    /// <summary>The data runs of the inode at <paramref name="path"/> (not following a last symlink, as lstat).</summary>
    private static int CountRuns(ImageFiles files, string path)
    {
        ImageSession session = files.Session;
        VfsResult<int> runs = session.Run(async () =>
        {
            Process process = session.Process;
            VfsResult<VfsPath> found = await session.Vfs.Walker.ResolveAsync(process, process.WorkingDirectory, ImageSession.Guest(path), followLast: false);
            if (!found.Ok)
                return found.Status;
            Inode inode = found.Value.Dentry.Inode!;
            if (inode.SuperBlock.FileSystemInfo is not Ext2Volume volume)
                return VfsResult<int>.Fail(Errno.EINVAL, $"{path} is not on ext2");
            return await volume.CountDataRunsAsync(inode);
        });
        return runs.Ok ? runs.Value : throw ImageErrors.Fail(files.Name(path), runs.Status);
    }
}
