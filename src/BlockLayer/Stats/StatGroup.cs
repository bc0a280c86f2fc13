namespace Hardware.BlockLayer.Stats;

/// <summary>The operation groups /proc/diskstats counts separately (Linux's enum stat_group).</summary>
public enum StatGroup
{
    Read,
    Write,
    Discard,
    Flush,
}
