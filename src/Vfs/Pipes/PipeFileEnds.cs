using Hardware.Vfs.Polling;

namespace Hardware.Vfs.Pipes;

/// <summary>
/// The pipe ends an open file holds (its private_data): the read end, the write end, or both for a FIFO opened
/// O_RDWR. One per open file description, so dup and fork share it and the ends close with the file's last reference.
/// </summary>
public sealed class PipeFileEnds : IPollable
{
    public PipeFileEnds(PipeReadEnd? reader, PipeWriteEnd? writer)
    {
        if (reader is null && writer is null)
            throw new ArgumentException("a pipe file needs at least one end");
        Reader = reader;
        Writer = writer;
    }

    public PipeReadEnd? Reader { get; }

    public PipeWriteEnd? Writer { get; }

    private Pipe Pipe => (Reader?.Pipe ?? Writer?.Pipe)!;

    /// <summary>Both ends' readiness (a FIFO opened O_RDWR is readable and writable).</summary>
    public PollEvents Readiness => (Reader?.Readiness ?? PollEvents.None) | (Writer?.Readiness ?? PollEvents.None);

    public void Subscribe(IPollWatcher watcher) => Pipe.Watchers.Subscribe(watcher);

    public void Unsubscribe(IPollWatcher watcher) => Pipe.Watchers.Unsubscribe(watcher);

    /// <summary>Sets O_NONBLOCK on the ends (it belongs to the open file description).</summary>
    public void SetNonBlocking(bool nonBlocking)
    {
        if (Reader is not null)
            Reader.NonBlocking = nonBlocking;
        if (Writer is not null)
            Writer.NonBlocking = nonBlocking;
    }

    public void Close()
    {
        Reader?.Close();
        Writer?.Close();
    }
}
