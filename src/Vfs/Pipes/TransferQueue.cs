using Hardware.Emulator.Collections;

namespace Hardware.Vfs.Pipes;

/// <summary>An intrusive FIFO of blocked transfers: arrival order is the order in which they are retried.</summary>
internal sealed class TransferQueue : IntrusiveList<BlockedTransfer, TransferQueue.QueueLinks>
{
    /// <summary>Transfers that have had to wait here (a statistic).</summary>
    public long Sleeps { get; private set; }

    public void Enqueue(BlockedTransfer transfer)
    {
        AddLast(transfer);
        Sleeps++;
    }

    public struct QueueLinks : IListLinksAccessor<BlockedTransfer>
    {
        public static ref ListLinks<BlockedTransfer> Links(BlockedTransfer item) => ref item.Queue;
    }
}
