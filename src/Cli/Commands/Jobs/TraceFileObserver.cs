using Hardware.BlockLayer;
using Hardware.BlockLayer.Tracing;
using Hardware.Cli.Workloads;

namespace Hardware.Cli.Commands.Jobs;

/// <summary>--trace NAME: the disk's queue events while the jobs run, written to NAME.blktrace.0 for `blkparse -i NAME`.</summary>
internal sealed class TraceFileObserver : IWorkloadObserver, IDisposable
{
    private readonly BlktraceWriter _writer;

    private TraceFileObserver(BlktraceWriter writer) => _writer = writer;

    public IBlockTracer? Tracer => _writer;

    /// <summary>
    /// Creates NAME.blktrace.0 for <paramref name="name"/> (a path without the suffix, as blktrace -o takes it; a path
    /// already ending in .blktrace.0 is used as is), so that `blkparse -i NAME` reads it.
    /// </summary>
    public static TraceFileObserver Create(string name)
    {
        string suffix = BlktraceWriter.FileName("");
        string basePath = name.EndsWith(suffix, StringComparison.Ordinal) ? name[..^suffix.Length] : name;
        string directory = Path.GetDirectoryName(Path.GetFullPath(basePath))!;
        if (!Directory.Exists(directory))
            throw new CliException($"--trace {name}: no folder {directory}");
        if (!BlktraceWriter.TryCreate(directory, Path.GetFileName(basePath), out BlktraceWriter? writer, out IoError? error))
            throw new CliException($"--trace {name}: {error}");
        return new TraceFileObserver(writer);
    }

    public void OnCompletion(in IoCompletion completion)
    {
    }

    public void OnProgress(long nowNs, long expectedEndNs)
    {
    }

    /// <summary>Writes out what is buffered; a failed write is reported (exit status 1), never dropped.</summary>
    public void Finish()
    {
        _writer.Flush();
        if (_writer.Error is { } error)
            throw new CliException($"--trace: writing the trace failed: {error}", 1);
    }

    public void Dispose() => _writer.Dispose();
}
