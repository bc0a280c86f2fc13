using Hardware.Emulator.Simulation;

namespace Hardware.BlockLayer;

/// <summary>What a probed disk tells the block layer about itself.</summary>
public sealed record BlockDriverInfo(string Model, string Serial, long CapacitySectors, QueueLimits Limits);

/// <summary>
/// The block layer's side of a driver (Linux's blk_mq_ops for one disk). The queue hands over requests with a tag
/// in [0, QueueDepth); the driver completes each exactly once through <see cref="IBlockDriverHost"/>.
/// </summary>
public interface IBlockDriver
{
    BlockDriverInfo Info { get; }

    /// <summary>Called once by the queue that owns this driver.</summary>
    void Attach(IBlockDriverHost host);

    /// <summary>
    /// Starts <paramref name="request"/> (queue_rq). False means "not now" (BLK_STS_DEV_RESOURCE): the device
    /// cannot take this request at the moment - e.g. a non-queued command while NCQ commands are outstanding - and
    /// the queue retries it after the next completion.
    /// </summary>
    bool TryQueueRequest(Request request);

    /// <summary>The request has been at the device longer than the queue's timeout; the driver recovers and completes it.</summary>
    void TimeoutRequest(Request request);
}

/// <summary>The queue as its driver sees it.</summary>
public interface IBlockDriverHost
{
    Simulation Simulation { get; }

    /// <summary>The request is done: <see cref="Errno.None"/> on success, EIO (or another errno) when recovery gave up.</summary>
    void CompleteRequest(Request request, Errno status);

    /// <summary>The request failed transiently and should be issued again (error handling requeues what it aborted).</summary>
    void RequeueRequest(Request request);
}
