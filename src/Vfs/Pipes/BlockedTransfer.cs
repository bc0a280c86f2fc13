using System.Threading.Tasks.Sources;
using Hardware.Emulator.Collections;
using Hardware.Emulator.Simulation;

namespace Hardware.Vfs.Pipes;

/// <summary>
/// A read or write parked on a pipe until data or room appears: the awaitable a blocked process holds, and a node
/// of the pipe's FIFO of blocked readers or writers. Pooled per pipe and returned when its result is taken, so a
/// blocking transfer allocates nothing in steady state (not even in Debug builds, where async state machines are
/// classes).
/// </summary>
internal sealed class BlockedTransfer : IValueTaskSource<TransferResult>
{
    private readonly SimCompletion<TransferResult> _completion;
    private readonly Stack<BlockedTransfer> _pool;

    public BlockedTransfer(Simulation simulation, Stack<BlockedTransfer> pool)
    {
        _completion = new SimCompletion<TransferResult>(simulation);
        _pool = pool;
    }

    public Memory<byte> ReadBuffer { get; private set; }

    public ReadOnlyMemory<byte> WriteData { get; private set; }

    /// <summary>Bytes of <see cref="WriteData"/> already in the pipe (a large write goes in piece by piece).</summary>
    public int Written;

    /// <summary>Links of the pipe's queue of blocked readers or writers the transfer waits on.</summary>
    public ListLinks<BlockedTransfer> Queue;

    public static BlockedTransfer Rent(Simulation simulation, Stack<BlockedTransfer> pool) =>
        pool.TryPop(out var pooled) ? pooled : new BlockedTransfer(simulation, pool);

    public ValueTask<TransferResult> StartRead(Memory<byte> buffer)
    {
        _completion.Reset();
        ReadBuffer = buffer;
        return new ValueTask<TransferResult>(this, _completion.Version);
    }

    public ValueTask<TransferResult> StartWrite(ReadOnlyMemory<byte> data, int written)
    {
        _completion.Reset();
        WriteData = data;
        Written = written;
        return new ValueTask<TransferResult>(this, _completion.Version);
    }

    /// <summary>Wakes the waiting process (as a simulation event) with <paramref name="result"/>.</summary>
    public void Complete(TransferResult result)
    {
        ReadBuffer = default;
        WriteData = default;
        _completion.SetResult(result);
    }

    public TransferResult GetResult(short token)
    {
        TransferResult result = _completion.GetResult(token);
        _pool.Push(this);
        return result;
    }

    public ValueTaskSourceStatus GetStatus(short token) => _completion.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _completion.OnCompleted(continuation, state, token, flags);
}
