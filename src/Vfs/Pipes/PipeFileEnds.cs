using Hardware.Vfs.Polling;

namespace Hardware.Vfs.Pipes;

/// <summary>
/// The pipe ends an open file holds (its private_data): the read end, the write end, or both for a FIFO opened
/// O_RDWR. One per open file description, so dup and fork share it and the ends close with the file's last reference.
/// </summary>
public sealed class PipeFileEnds : IPollable
{
    private readonly Fifo? _fifo;
    private readonly long _writerOpensAtOpen;

    /// <param name="fifo">For a FIFO opened read-only: its poll shows no hang-up until a writer has opened since
    /// (Linux compares f_version with w_counter), so a reader waiting for the first writer is not woken by POLLHUP.</param>
    public PipeFileEnds(PipeReadEnd? reader, PipeWriteEnd? writer, Fifo? fifo = null)
    {
        _fifo = fifo;
        _writerOpensAtOpen = fifo?.WriterOpens ?? 0;
        if (reader is null && writer is null)
            throw new ArgumentException("a pipe file needs at least one end");
        Reader = reader;
        Writer = writer;
    }

    public PipeReadEnd? Reader { get; }

    public PipeWriteEnd? Writer { get; }

    private Pipe Pipe => (Reader?.Pipe ?? Writer?.Pipe)!;

    /// <summary>Both ends' readiness (a FIFO opened O_RDWR is readable and writable).</summary>
    public PollEvents Readiness
    {
        get
        {
            PollEvents ready = (Reader?.Readiness ?? PollEvents.None) | (Writer?.Readiness ?? PollEvents.None);
            if (_fifo is not null && Writer is null && _fifo.WriterOpens == _writerOpensAtOpen)
                ready &= ~PollEvents.POLLHUP;
            return ready;
        }
    }

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
