using Hardware.Emulator.Ahci.Spec;

namespace Hardware.BlockLayer.Drivers.Ahci;

/// <summary>What recovery decided for one slot's request.</summary>
internal enum SlotVerdict : byte
{
    None,
    /// <summary>The command had finished before the error: the request completes with success.</summary>
    Complete,
    /// <summary>The request completes with EIO.</summary>
    Fail,
    /// <summary>The request caused the error and goes back to the queue, using one of its tries.</summary>
    Retry,
    /// <summary>Another command's error aborted the request; it goes back to the queue without using a try.</summary>
    Requeue,
}

/// <summary>
/// The port's side of error handling: while recovery runs new requests are parked (their tables built, nothing
/// issued); at the end every request recovery held is settled, parked ones are issued, and only then does the queue
/// hear of completions and requeues, so whatever it does in those calls meets a consistent port.
/// </summary>
public sealed partial class AhciPortDriver
{
    private readonly Request?[] _settledRequests;
    private readonly SlotVerdict[] _settledVerdicts;
    private readonly int[] _parkedOrder;
    private int _parkedCount;
    private bool _recovering;

    /// <summary>Recovery is running: the port's commands are frozen and new requests are parked.</summary>
    public bool IsRecovering => _recovering;

    /// <summary>Issued slots, their queued subset and the non-queued one, for recovery's snapshot.</summary>
    internal uint IssuedMask => _issuedMask;

    internal uint QueuedMask => _queuedMask;

    internal void EnterRecovery()
    {
        _recovering = true;
        Statistics.Recoveries++;
    }

    private void Park(CommandSlot slot)
    {
        slot.State = SlotState.Parked;
        _parkedOrder[_parkedCount++] = slot.Index;
        Statistics.RequestsParked++;
    }

    /// <summary>
    /// Ends recovery: settles every slot with a verdict, takes the port offline when <paramref name="online"/> is
    /// false, issues the parked requests in arrival order, then tells the queue.
    /// </summary>
    internal void FinishRecovery(ReadOnlySpan<SlotVerdict> verdicts, bool online)
    {
        int settled = 0;
        for (int index = 0; index < _slotCount; index++)
        {
            if (verdicts[index] == SlotVerdict.None)
                continue;
            CommandSlot slot = _slots[index];
            _settledRequests[settled] = slot.Request;
            _settledVerdicts[settled++] = verdicts[index];
            ReleaseSlot(slot);
        }

        _recovering = false;
        if (!online)
        {
            IsOffline = true;
            Log.Error(LogSource, "the disk is offline: every request now completes with EIO");
        }
        for (int i = 0; i < _parkedCount; i++)
        {
            CommandSlot slot = _slots[_parkedOrder[i]];
            if (!online || slot.TimedOutWhileParked)
            {
                _settledRequests[settled] = slot.Request;
                _settledVerdicts[settled++] = online ? SlotVerdict.Requeue : SlotVerdict.Fail;
                ReleaseSlot(slot);
                continue;
            }
            IssueSlot(slot);
        }
        _parkedCount = 0;
        // A DMA Setup FIS names the tag of the last data phase; a stale one must not blame anyone next time.
        _platform.Memory.GetSpan(ReceivedFisAddress + ReceivedFisLayout.DmaSetupOffset, 1).Clear();

        for (int i = 0; i < settled; i++)
        {
            Request request = _settledRequests[i]!;
            _settledRequests[i] = null;
            switch (_settledVerdicts[i])
            {
                case SlotVerdict.Complete:
                    Statistics.RequestsCompleted++;
                    _host!.CompleteRequest(request, Errno.None);
                    break;
                case SlotVerdict.Fail:
                    Statistics.RequestsFailed++;
                    _host!.CompleteRequest(request, Errno.EIO);
                    break;
                case SlotVerdict.Retry:
                    Statistics.RequestsRetried++;
                    request.Retries++;
                    _host!.RequeueRequest(request);
                    break;
                case SlotVerdict.Requeue:
                    Statistics.RequestsRequeued++;
                    _host!.RequeueRequest(request);
                    break;
            }
        }
    }
}
