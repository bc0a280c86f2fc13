namespace Hardware.BlockLayer.Schedulers;

/// <summary>
/// The elevator family. The arm sweeps one way serving requests in sector order; what happens when nothing is
/// left ahead makes the four variants:
/// <list type="table">
/// <item><term>scan</term><description>go on to the disk edge, then reverse</description></item>
/// <item><term>look</term><description>reverse at once</description></item>
/// <item><term>c-scan</term><description>go on to the edge, return to the other edge (counted as return travel), sweep on the same way</description></item>
/// <item><term>c-look</term><description>jump back to the farthest request (counted as return travel), sweep on the same way</description></item>
/// </list>
/// The direction tunable sets the sweep direction of the circular variants and the starting direction of the
/// others.
/// </summary>
public abstract class SweepElevator : ArmElevator
{
    private static readonly string[] DirectionNames = ["up", "down"];

    private readonly bool _toEdge;
    private readonly bool _circular;
    private SweepDirection _direction;
    private long _reversals;

    protected SweepElevator(string name, bool toEdge, bool circular, SweepDirection direction)
        : base(name)
    {
        _toEdge = toEdge;
        _circular = circular;
        Settings.Add(new ChoiceTunable("direction", DirectionNames, (int)SweepDirection.Up,
            circular ? "the way every sweep goes (up: ascending sectors)" : "the way the sweep goes now (up: ascending sectors)",
            () => (int)_direction, v => _direction = (SweepDirection)v));
        if (!Enum.IsDefined(direction))
            throw new ArgumentOutOfRangeException(nameof(direction), direction, $"{name}: not a sweep direction");
        _direction = direction;
    }

    public SweepDirection Direction => _direction;

    protected override Request? Next()
    {
        if (Sorted.IsEmpty)
            return null;
        long head = Queue.HeadPosition;
        bool up = _direction == SweepDirection.Up;
        Request? ahead = up ? Sorted.Ceiling(head) : Sorted.Floor(head);
        if (ahead is not null)
            return Take(ahead, Math.Abs(ahead.Sector - head));

        _reversals++;
        long edge = up ? LastSector : 0;
        long toEdge = _toEdge ? Math.Abs(edge - head) : 0;
        if (_circular)
        {
            Request wrapped = up ? Sorted.First! : Sorted.Last!;
            if (_toEdge)
            {
                long opposite = up ? 0 : LastSector;
                long sweepBack = Math.Abs(edge - opposite);
                return Take(wrapped, toEdge + sweepBack + Math.Abs(wrapped.Sector - opposite), sweepBack);
            }
            long jump = Math.Abs(head - wrapped.Sector);
            return Take(wrapped, jump, jump);
        }

        _direction = up ? SweepDirection.Down : SweepDirection.Up;
        Request back = up ? Sorted.Last! : Sorted.First!;
        long from = _toEdge ? edge : head;
        return Take(back, toEdge + Math.Abs(from - back.Sector));
    }

    protected override void CollectStatistics(List<KeyValuePair<string, long>> statistics)
    {
        base.CollectStatistics(statistics);
        statistics.Add(new(_circular ? "wraps" : "reversals", _reversals));
    }
}
