using System.CommandLine;
using Hardware.Cli.Images;
using Hardware.Vfs;

namespace Hardware.Cli.Commands.Images;

/// <summary>`hwstack cat IMAGE:PATH...`: a file's bytes inside an ext2 image, raw, to standard output.</summary>
public static class CatCommand
{
    /// <summary>Each read syscall asks for this much: large reads let read-ahead and request merging work.</summary>
    private const int ChunkBytes = 1 << 20;

    public static Command Create(TextWriter output)
    {
        var options = new ImageCommandOptions();
        var operands = new Argument<string[]>("IMAGE:PATH") { Description = "Files inside images", Arity = ArgumentArity.OneOrMore };
        var command = new Command("cat", "Write the bytes of files inside an ext2 image to standard output") { operands };
        options.AddTo(command);
        command.SetAction(parse =>
        {
            using var sink = ByteSink.For(output);
            foreach (string operand in parse.GetValue(operands)!)
            {
                ImageLocation location = ImageCommandOptions.Location(operand);
                using ImageSession session = options.Mount(parse, location.Image, writable: false);
                Copy(new ImageFiles(session), location.Path, sink);
                session.Close();
            }
            return 0;
        });
        return command;
    }

    private static void Copy(ImageFiles files, string path, ByteSink sink)
    {
        int fd = files.Open(path, OpenFlags.ReadOnly);
        try
        {
            if (files.Stat(path).Type == InodeType.Directory)
                throw ImageErrors.Fail(files.Name(path), Hardware.BlockLayer.Errno.EISDIR);
            var buffer = new byte[ChunkBytes];
            long offset = 0;
            while (true)
            {
                int read = files.Pread(path, fd, buffer, buffer.Length, offset);
                if (read == 0)
                    break;
                sink.Write(buffer.AsSpan(0, read));
                offset += read;
            }
        }
        finally
        {
            files.Session.Sys.Close(files.Session.Process, fd);
        }
    }
}
