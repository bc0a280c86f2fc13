namespace Hardware.Vfs.Pipes;

/// <summary>An intrusive FIFO of blocked transfers: arrival order is the order in which they are retried.</summary>
internal sealed class TransferQueue
{
    public BlockedTransfer? Head { get; private set; }

    private BlockedTransfer? _tail;

    public int Count { get; private set; }

    /// <summary>Transfers that have had to wait here (a statistic).</summary>
    public long Sleeps { get; private set; }

    public void Enqueue(BlockedTransfer transfer)
    {
        transfer.Previous = _tail;
        transfer.Next = null;
        if (_tail is null)
            Head = transfer;
        else
            _tail.Next = transfer;
        _tail = transfer;
        Count++;
        Sleeps++;
    }

    public void Remove(BlockedTransfer transfer)
    {
        if (transfer.Previous is null)
            Head = transfer.Next;
        else
            transfer.Previous.Next = transfer.Next;
        if (transfer.Next is null)
            _tail = transfer.Previous;
        else
            transfer.Next.Previous = transfer.Previous;
        transfer.Previous = transfer.Next = null;
        Count--;
    }
}
