using Hardware.Emulator.Collections;

namespace Hardware.BlockLayer;

/// <summary>
/// One of the queue's lists of request contexts (plug, held, dispatch or flush lists), threaded through
/// <see cref="RequestContext.QueueLinks"/>: a context is on at most one of them at a time.
/// </summary>
internal sealed class RequestContextList : IntrusiveList<RequestContext, RequestContextList.QueueLinks>
{
    public struct QueueLinks : IListLinksAccessor<RequestContext>
    {
        public static ref ListLinks<RequestContext> Links(RequestContext item) => ref item.QueueLinks;
    }
}
