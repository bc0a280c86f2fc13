using System.Text;
using Hardware.Vfs.Cache;

namespace Hardware.Cli.Commands.Images;

/// <summary>
/// Raw bytes to a command's output writer: the process's standard output stream when the writer is the console,
/// the writer's own stream when it has one, else one Latin-1 character per byte (so tests can recover the bytes).
/// </summary>
internal sealed class ByteSink : IPageSpanSink, IDisposable
{
    private readonly Stream? _stream;
    private readonly TextWriter _writer;

    private ByteSink(TextWriter writer, Stream? stream)
    {
        _writer = writer;
        _stream = stream;
    }

    public static ByteSink For(TextWriter output)
    {
        output.Flush();
        if (ReferenceEquals(output, Console.Out))
            return new ByteSink(output, Console.OpenStandardOutput());
        if (output is StreamWriter { BaseStream: { } stream })
            return new ByteSink(output, stream);
        return new ByteSink(output, null);
    }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        if (_stream is not null)
            _stream.Write(bytes);
        else
            _writer.Write(Encoding.Latin1.GetString(bytes));
    }

    public void Dispose()
    {
        if (_stream is not null)
            _stream.Flush();
        else
            _writer.Flush();
    }
}
