using System.Runtime.CompilerServices;
using Hardware.BlockLayer;
using Hardware.Emulator.Simulation;
using Hardware.Vfs.Polling;

namespace Hardware.Vfs.Pipes;

/// <summary>
/// A named pipe: what the VFS attaches to a FIFO inode (Linux fs/pipe.c fifo_open). Every open shares one
/// <see cref="Pipes.Pipe"/>, created by the first open and discarded with its data once the last end is closed.
/// Opening for reading waits for a writer and opening for writing waits for a reader (a rendezvous), unless
/// O_NONBLOCK: then a read-only open succeeds at once and a write-only open without a reader fails with ENXIO.
/// O_RDWR never waits (as on Linux; POSIX leaves it undefined).
/// </summary>
public sealed class Fifo
{
    private readonly Simulation _simulation;
    private readonly int _capacityBytes;
    private readonly WaitQueue _partnerWaiters;
    private Pipe? _pipe;
    // Linux's r_counter / w_counter: an open waits for the other counter to move, so a partner that opened and
    // closed again while it slept still completes the rendezvous.
    private long _readerOpens;
    private long _writerOpens;

    public Fifo(Simulation simulation, string name, int capacityBytes = PipeLimits.DefaultCapacityBytes)
    {
        ArgumentNullException.ThrowIfNull(simulation);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacityBytes, 1);
        _simulation = simulation;
        Name = name;
        _capacityBytes = capacityBytes;
        _partnerWaiters = new WaitQueue(simulation);
    }

    /// <summary>The path or inode name, for messages.</summary>
    public string Name { get; }

    /// <summary>The pipe shared by the current opens, or null when nobody has the FIFO open.</summary>
    public Pipe? Pipe => _pipe is { Readers: > 0 } or { Writers: > 0 } ? _pipe : null;

    public int Readers => Pipe?.Readers ?? 0;

    public int Writers => Pipe?.Writers ?? 0;

    /// <summary>Opens for writing so far (Linux's w_counter): a reader's poll reports no hang-up until it moves.</summary>
    public long WriterOpens => _writerOpens;

    /// <summary>Opens waiting for a partner now.</summary>
    public int BlockedOpens => _partnerWaiters.Count;

    public ValueTask<FifoOpenResult> OpenAsync(FifoAccess access, bool nonBlocking)
    {
        Pipe pipe = Pipe ?? (_pipe = new Pipe(_simulation, _capacityBytes));
        switch (access)
        {
            case FifoAccess.ReadOnly:
            {
                PipeReadEnd reader = pipe.OpenReader();
                reader.NonBlocking = nonBlocking;
                _readerOpens++;
                _partnerWaiters.WakeAll();
                if (pipe.Writers > 0 || nonBlocking)
                    return new(new FifoOpenResult(Errno.None, reader, null, null));
                return WaitForPartnerAsync(reader, null, _writerOpens);
            }
            case FifoAccess.WriteOnly:
            {
                if (nonBlocking && pipe.Readers == 0)
                    return new(new FifoOpenResult(Errno.ENXIO, null, null, $"{Name}: FIFO has no reader (O_NONBLOCK write-only open)"));
                PipeWriteEnd writer = pipe.OpenWriter();
                writer.NonBlocking = nonBlocking;
                _writerOpens++;
                _partnerWaiters.WakeAll();
                if (pipe.Readers > 0)
                    return new(new FifoOpenResult(Errno.None, null, writer, null));
                return WaitForPartnerAsync(null, writer, _readerOpens);
            }
            case FifoAccess.ReadWrite:
            {
                PipeReadEnd reader = pipe.OpenReader();
                PipeWriteEnd writer = pipe.OpenWriter();
                reader.NonBlocking = writer.NonBlocking = nonBlocking;
                _readerOpens++;
                _writerOpens++;
                _partnerWaiters.WakeAll();
                return new(new FifoOpenResult(Errno.None, reader, writer, null));
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(access), access, "unknown FIFO access mode");
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<FifoOpenResult> WaitForPartnerAsync(PipeReadEnd? reader, PipeWriteEnd? writer, long partnerOpensSeen)
    {
        WaitQueue.Sleeper sleeper = _partnerWaiters.Join();
        try
        {
            while ((reader is not null ? _writerOpens : _readerOpens) == partnerOpensSeen)
                await _partnerWaiters.SleepAsync(sleeper);
        }
        finally
        {
            _partnerWaiters.Leave(sleeper);
        }
        return new FifoOpenResult(Errno.None, reader, writer, null);
    }
}
