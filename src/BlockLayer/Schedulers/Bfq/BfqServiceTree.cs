namespace Hardware.BlockLayer.Schedulers;

/// <summary>
/// B-WF2Q+ over the busy queues (one class, no groups). Each busy queue has virtual start S and finish
/// F = S + budget/weight; the virtual time V advances by service/(sum of busy weights) as sectors are served. The
/// next queue is the one with the smallest F among the eligible (S &lt;= V); if none is eligible V jumps to the
/// smallest S. Linux keeps an augmented rbtree; with tens of busy queues a scan of an array does the same job
/// without allocating.
/// </summary>
internal sealed class BfqServiceTree
{
    /// <summary>Fixed-point shift of service/weight (Linux: WFQ_SERVICE_SHIFT).</summary>
    public const int ServiceShift = 22;

    private readonly List<BfqQueue> _busy = new(64);

    public long VirtualTime { get; private set; }

    public long WeightSum { get; private set; }

    public int BusyCount => _busy.Count;

    public BfqQueue BusyAt(int index) => _busy[index];

    public static long Delta(long service, long weight) => (service << ServiceShift) / weight;

    /// <summary>
    /// A queue becomes busy. A queue back soon enough keeps its place (its old finish is still ahead of V), as
    /// Linux's idle tree gives; a queue long idle starts at V.
    /// </summary>
    public void Activate(BfqQueue queue)
    {
        queue.Weight = queue.TargetWeight;
        queue.Start = Math.Max(VirtualTime, queue.Finish);
        queue.Finish = queue.Start + Delta(queue.Budget, queue.Weight);
        queue.Busy = true;
        queue.BusyIndex = _busy.Count;
        _busy.Add(queue);
        WeightSum += queue.Weight;
    }

    /// <summary>Charges the in-service queue and advances the virtual time.</summary>
    public void Served(BfqQueue queue, long service)
    {
        queue.Service += service;
        VirtualTime += Delta(service, WeightSum);
    }

    /// <summary>
    /// The in-service queue expired with requests left: its finish becomes start + what it really got, the next
    /// slot starts there with the (recomputed) budget, at the weight that now applies.
    /// </summary>
    public void Requeue(BfqQueue queue)
    {
        queue.Start += Delta(queue.Service, queue.Weight);
        long weight = queue.TargetWeight;
        WeightSum += weight - queue.Weight;
        queue.Weight = weight;
        queue.Finish = queue.Start + Delta(queue.Budget, queue.Weight);
        queue.Service = 0;
    }

    /// <summary>The queue has nothing left: charge what it got and take it off the busy set.</summary>
    public void Deactivate(BfqQueue queue)
    {
        queue.Finish = queue.Start + Delta(queue.Service, queue.Weight);
        queue.Service = 0;
        int index = queue.BusyIndex;
        int last = _busy.Count - 1;
        if (index != last)
        {
            BfqQueue moved = _busy[last];
            _busy[index] = moved;
            moved.BusyIndex = index;
        }
        _busy.RemoveAt(last);
        queue.BusyIndex = -1;
        queue.Busy = false;
        WeightSum -= queue.Weight;
    }

    /// <summary>The eligible busy queue with the smallest finish; null when none is busy.</summary>
    public BfqQueue? SelectNext()
    {
        if (_busy.Count == 0)
            return null;
        BfqQueue? best = FindEligible();
        if (best is null)
        {
            long minStart = long.MaxValue;
            foreach (BfqQueue q in _busy)
                minStart = Math.Min(minStart, q.Start);
            VirtualTime = minStart;
            best = FindEligible();
        }
        return best;
    }

    /// <summary>Whether <paramref name="queue"/> would be served before <paramref name="inService"/> by timestamps.</summary>
    public bool WouldPrecede(BfqQueue queue, BfqQueue inService) =>
        queue.Start <= VirtualTime && queue.Finish < inService.Finish;

    private BfqQueue? FindEligible()
    {
        BfqQueue? best = null;
        foreach (BfqQueue q in _busy)
        {
            if (q.Start > VirtualTime)
                continue;
            if (best is null || q.Finish < best.Finish || (q.Finish == best.Finish && q.Id < best.Id))
                best = q;
        }
        return best;
    }
}
