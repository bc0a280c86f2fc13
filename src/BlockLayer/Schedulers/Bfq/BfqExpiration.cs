namespace Hardware.BlockLayer.Schedulers;

/// <summary>Why an in-service queue stopped being served (Linux's enum bfqq_expiration).</summary>
internal enum BfqExpiration
{
    /// <summary>The idle window passed without a new request.</summary>
    TooIdle,
    /// <summary>The slot lasted longer than timeout_sync.</summary>
    BudgetTimeout,
    /// <summary>The next request does not fit in what is left of the budget.</summary>
    BudgetExhausted,
    /// <summary>Empty and idling would not help.</summary>
    NoMoreRequests,
    /// <summary>A queue that should be served first became busy.</summary>
    Preempted,
}
