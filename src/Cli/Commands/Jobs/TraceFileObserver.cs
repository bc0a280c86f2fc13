using Hardware.BlockLayer.Tracing;
using Hardware.Cli.Workloads;

namespace Hardware.Cli.Commands.Jobs;

/// <summary>--trace FILE: the disk's queue events written as one blktrace stream that `blkparse -i FILE` reads.</summary>
internal sealed class TraceFileObserver : IWorkloadObserver, IDisposable
{
    private readonly BlktraceWriter _writer;

    private TraceFileObserver(BlktraceWriter writer) => _writer = writer;

    public IBlockTracer? Tracer => _writer;

    public static TraceFileObserver Create(string path)
    {
        try
        {
            var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 1);
            return new TraceFileObserver(new BlktraceWriter(stream, path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"--trace {path}: {e.Message}");
        }
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
