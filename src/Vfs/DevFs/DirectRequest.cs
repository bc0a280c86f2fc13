using System.Threading.Tasks.Sources;
using Hardware.BlockLayer;
using Hardware.Emulator.Simulation;
using Hardware.Vfs.Cache;

namespace Hardware.Vfs.DevFs;

/// <summary>
/// One O_DIRECT transfer of a block-device file (blkdev_direct_IO's dio): the segment list and bounce frames (the
/// caller's buffer is host memory, so the device DMAs into or out of guest frames rented for the transfer) and, for a
/// transfer of one bio, the waiting itself. The layers below prepare synchronously (checks, frames, the bio, the
/// accounting) and submit; the system call awaits this object, the only suspension of the call. When the bio
/// completes, its completion event runs <see cref="OnBioDone"/>, which finishes every layer in the order their awaits
/// used to resume (bio back to its pool, the cache's byte count or invalidation, the copy out of the frames, the frames
/// back) and resumes the waiter in the same event. Reused: an open file keeps the requests of its transfers that
/// ended, so steady state allocates none.
/// </summary>
internal sealed class DirectRequest : IValueTaskSource<IoResult>
{
    private static readonly Action<object?> s_onBioDone = OnBioDone;

    private readonly BlockDeviceOpenFile _open;
    private Action? _onEndDone;
    private Action<object?>? _continuation;
    private object? _continuationState;
    private IoResult _result;
    private bool _completed;
    private short _version;

    // The transfer in flight.
    private Simulation? _simulation;
    private AddressSpace? _space;
    private Bio? _bio;
    private short _bioToken;
    private ValueTask<CacheResult> _end;
    private BioOp _op;
    private long _position;
    private long _length;
    private int _pages;
    private Memory<byte> _destination;

    public DirectRequest(BlockDeviceOpenFile open)
    {
        _open = open;
    }

    /// <summary>The segment list and bounce frames of the transfer.</summary>
    public DirectBounceBuffers Buffers { get; } = new();

    /// <summary>
    /// Moves one chunk (at most <see cref="PageCache.DirectChunkPages"/> pages, checked and clamped by
    /// the caller) between the device and <paramref name="destination"/> or <paramref name="source"/>. Completes at once
    /// when nothing has to wait for the device (refused, out of frames, a refused bio); otherwise the returned task
    /// completes in the bio's completion event.
    /// </summary>
    public ValueTask<IoResult> Start(Simulation simulation, AddressSpace space, BioOp op, long position, int length,
        Memory<byte> destination, ReadOnlyMemory<byte> source, int processId)
    {
        int pages = (length + CachePage.Size - 1) / CachePage.Size;
        if (!Buffers.TryRentFrames(space.Cache.Pool, _open.DirectRenter, pages))
        {
            _open.ReturnDirect(this);
            return new ValueTask<IoResult>(new IoResult(0, Errno.ENOMEM));
        }
        BioSegment[] segments = Buffers.Segments;
        CachePage[] frames = Buffers.Frames;
        for (int i = 0; i < pages; i++)
        {
            int bytes = Math.Min(CachePage.Size, length - i * CachePage.Size);
            segments[i] = new BioSegment(frames[i].Address, bytes);
            if (op == BioOp.Write)
                source.Span.Slice(i * CachePage.Size, bytes).CopyTo(frames[i].Bytes);
        }
        _simulation = simulation;
        _space = space;
        _op = op;
        _position = position;
        _pages = pages;
        _destination = destination;
        PageCache cache = space.Cache;
        if (!cache.TryBeginDirectIO(space, op, position, segments.AsSpan(0, pages), processId, out Bio? bio, out _length, out CacheResult result))
        {
            // Dirty pages or pages under writeback in the mapping: the cache's own path writes them back and waits.
            _end = cache.DirectIOAsync(space, op, position, segments.AsMemory(0, pages), processId);
            return Pending();
        }
        if (bio is null)
            return new ValueTask<IoResult>(FinishNow(result));
        _bio = bio;
        _bioToken = bio.Completion.Version;
        if (bio.Completion.IsCompleted)
        {
            // Refused by the device: completed inside the submission, as an await of it would not have waited.
            _end = cache.EndDirectIO(space, op, position, _length, bio, bio.Completion.GetResult(_bioToken));
            _bio = null;
            return Pending();
        }
        _version++;
        _completed = false;
        _continuation = null;
        _continuationState = null;
        ((IValueTaskSource<Errno>)bio.Completion).OnCompleted(s_onBioDone, this, _bioToken, ValueTaskSourceOnCompletedFlags.None);
        return new ValueTask<IoResult>(this, _version);
    }

    /// <summary>Waits for <see cref="_end"/> (the cache's own, waiting path) before finishing.</summary>
    private ValueTask<IoResult> Pending()
    {
        _version++;
        _completed = false;
        _continuation = null;
        _continuationState = null;
        if (_end.IsCompleted)
            return new ValueTask<IoResult>(FinishNow(_end.GetAwaiter().GetResult()));
        _end.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_onEndDone ??= OnEndDone);
        return new ValueTask<IoResult>(this, _version);
    }

    private static void OnBioDone(object? state)
    {
        var request = (DirectRequest)state!;
        Bio bio = request._bio!;
        request._bio = null;
        Errno status = bio.Completion.GetResult(request._bioToken);
        request._end = request._space!.Cache.EndDirectIO(request._space, request._op, request._position, request._length, bio, status);
        if (request._end.IsCompletedSuccessfully)
            request.Complete(request.Finish(request._end.Result));
        else
            request._end.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(request._onEndDone ??= request.OnEndDone);
    }

    private void OnEndDone()
    {
        ValueTask<CacheResult> end = _end;
        _end = default;
        Complete(Finish(end.GetAwaiter().GetResult()));
    }

    /// <summary>Finishes a transfer that completed without waiting: the request goes back to the open file at once.</summary>
    private IoResult FinishNow(CacheResult result)
    {
        IoResult io = Finish(result);
        Release();
        return io;
    }

    /// <summary>The device's part is over: a read's bytes copied out of the frames, the frames back to the pool.</summary>
    private IoResult Finish(CacheResult result)
    {
        if (_op == BioOp.Read)
            Buffers.CopyOut(result.Bytes, _destination.Span);
        Buffers.ReturnFrames(_space!.Cache.Pool, _pages);
        return result.Ok ? new IoResult(result.Bytes) : new IoResult(0, result.Error);
    }

    private void Release()
    {
        _space = null;
        _simulation = null;
        _destination = default;
        _end = default;
        _open.ReturnDirect(this);
    }

    /// <summary>Resumes the waiter inside the current event (the bio's completion event already has its place in order).</summary>
    private void Complete(IoResult result)
    {
        _result = result;
        _completed = true;
        if (_continuation is { } continuation)
            continuation(_continuationState);
    }

    public ValueTaskSourceStatus GetStatus(short token)
    {
        CheckToken(token);
        return _completed ? ValueTaskSourceStatus.Succeeded : ValueTaskSourceStatus.Pending;
    }

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
    {
        // Flags are ignored on purpose: the simulation has one thread and no context to return to.
        CheckToken(token);
        if (_continuation is not null)
            throw new InvalidOperationException("an O_DIRECT transfer supports a single waiter");
        if (_completed)
        {
            _simulation!.Post(continuation, state);
            return;
        }
        _continuation = continuation;
        _continuationState = state;
    }

    public IoResult GetResult(short token)
    {
        CheckToken(token);
        if (!_completed)
            throw new InvalidOperationException("an O_DIRECT result was read before the transfer ended");
        IoResult result = _result;
        _version++;
        _continuation = null;
        _continuationState = null;
        Release();
        return result;
    }

    private void CheckToken(short token)
    {
        if (token != _version)
            throw new InvalidOperationException("an O_DIRECT transfer was awaited after it was reused");
    }
}
