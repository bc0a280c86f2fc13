namespace Hardware.BlockLayer.Schedulers;

/// <summary>The way a sweep moves over the sectors.</summary>
public enum SweepDirection
{
    /// <summary>Towards higher sectors.</summary>
    Up = 0,
    /// <summary>Towards sector 0.</summary>
    Down = 1,
}
