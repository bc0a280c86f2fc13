using System.CommandLine;
using Hardware.Cli.Images;
using Hardware.Vfs;

namespace Hardware.Cli.Commands.Images;

/// <summary>`hwstack cat IMAGE:PATH...`: a file's bytes inside an ext2 image, raw, to standard output.</summary>
public static class CatCommand
{
    /// <summary>Each sendfile asks for this much: large requests let read-ahead and request merging work.</summary>
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
                // One pass over one file: a small cache keeps the frames the image is read into hot (ImageSession).
                using ImageSession session = options.Mount(parse, location.Image, writable: false, ImageSession.StreamingCacheBytes);
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
            InodeType type = files.Stat(path).Type;
            if (type == InodeType.Directory)
                throw ImageErrors.Fail(files.Name(path), Hardware.BlockLayer.Errno.EISDIR);
            long offset = 0;
            if (type == InodeType.Regular)
            {
                // sendfile: the page cache's pages go to standard output as they are, with no copy into a buffer.
                while (files.Sendfile(path, fd, offset, ChunkBytes, sink) is var sent and > 0)
                    offset += sent;
                return;
            }
            // Anything else (a device node, a FIFO) is read, as sendfile refuses it.
            var buffer = new byte[ChunkBytes];
            while (files.Pread(path, fd, buffer, buffer.Length, offset) is var read and > 0)
            {
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
