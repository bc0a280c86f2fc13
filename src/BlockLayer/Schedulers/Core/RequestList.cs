using Hardware.Emulator.Collections;

namespace Hardware.BlockLayer.Schedulers;

/// <summary>
/// A scheduler's FIFO of requests, threaded through <see cref="Request.ElevatorLinks"/>, so adding and removing
/// never allocates. A request is on at most one scheduler list at a time.
/// </summary>
public sealed class RequestList : IntrusiveList<Request, RequestList.ElevatorLinks>
{
    public struct ElevatorLinks : IListLinksAccessor<Request>
    {
        public static ref ListLinks<Request> Links(Request item) => ref item.ElevatorLinks;
    }
}
