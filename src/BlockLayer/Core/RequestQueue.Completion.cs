using Hardware.BlockLayer.Tracing;

namespace Hardware.BlockLayer;

// The driver's side: completions and requeues, ending bios (and split parents), and the accounting that goes with them.
public sealed partial class RequestQueue
{
    public void CompleteRequest(Request request, Errno status)
    {
        RequestContext context = InFlightContext(request, nameof(CompleteRequest));
        Retire(context);
        _driverBusy = false;
        FinishIssued(context, status);
        KickDispatch();
    }

    /// <summary>
    /// Puts the request back at the head of the dispatch list to be issued again (blk_mq_requeue_request); past
    /// <see cref="QueueOptions.MaxRequeues"/> requeues it completes with EIO instead. <see cref="Request.Retries"/> is
    /// the driver's to count; the queue counts requeues on its own context.
    /// </summary>
    public void RequeueRequest(Request request)
    {
        RequestContext context = InFlightContext(request, nameof(RequeueRequest));
        Retire(context);
        _driverBusy = false;
        Statistics.Requeues++;
        TraceRequest(BlockTraceAction.Requeue, request);
        if (++context.Requeues > Options.MaxRequeues)
        {
            Statistics.RetriesExhausted++;
            FinishIssued(context, Errno.EIO);
        }
        else
        {
            _dispatchList.AddFirst(context);
        }
        KickDispatch();
    }

    private RequestContext InFlightContext(Request request, string caller)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_tags.Owner(request.Tag) is { } context && ReferenceEquals(context.Request, request))
            return context;
        throw new InvalidOperationException($"{DeviceName}: {caller} for {request}, which is not at the device");
    }

    /// <summary>A request came back from the device for good (not requeued).</summary>
    private void FinishIssued(RequestContext context, Errno status)
    {
        Statistics.Completed++;
        switch (context.Kind)
        {
            case RequestKind.FlushCommand:
                TraceRequest(BlockTraceAction.Complete, context.Request, status);
                AccountFlush(context);
                _flush.FlushCompleted(context, status);
                ReturnContext(context);
                break;
            case RequestKind.Sequenced:
                _flush.DataCompleted(context, status);
                break;
            default:
                context.ReleasedBy?.Completed(context.Request);
                FinishRequest(context, status);
                break;
        }
    }

    /// <summary>The request is done: account it, end each of its bios with <paramref name="status"/>, and pool it.</summary>
    internal void FinishRequest(RequestContext context, Errno status)
    {
        Request request = context.Request;
        TraceRequest(BlockTraceAction.Complete, request, status);
        AccountCompletion(context);
        Bio? bio = request.FirstBio;
        while (bio is not null)
        {
            Bio? next = bio.Next;
            bio.Next = null;
            EndBio(bio, status);
            bio = next;
        }
        ReturnContext(context);
    }

    private void EndBio(Bio bio, Errno status)
    {
        if (_splitChildren.Count > 0 && _splitChildren.Remove(bio, out SplitParent? parent))
        {
            _freeChildren.Push(bio);
            FinishSplitChild(parent, status);
            return;
        }
        bio.Complete(status);
    }
}
