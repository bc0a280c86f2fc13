namespace Hardware.BlockLayer.Schedulers;

/// <summary>Kyber's scheduling domains: requests are classed by operation, and each class has its own tokens.</summary>
public enum KyberDomain
{
    Read = 0,
    Write = 1,
    Discard = 2,
    /// <summary>Everything else (flushes that reach the scheduler); no latency target.</summary>
    Other = 3,
}
