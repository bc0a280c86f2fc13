namespace Hardware.Emulator.Faults;

/// <summary>
/// What goes wrong with one drive, and when: unreadable sectors, sectors that cannot be written, commands that never
/// complete, and a power loss at a virtual time. Give it to the drive at construction; faults added later apply from
/// then on.
/// </summary>
public sealed class FaultPlan
{
    private readonly LbaRangeSet _unreadable = new();
    private readonly LbaRangeSet _writeFaults = new();
    private readonly LbaRangeSet _hangRanges = new();
    private readonly SortedSet<long> _hangCommandNumbers = new();
    private readonly List<long> _powerLossTimes = new();
    private Action<long>? _powerLossScheduler;

    /// <summary>Sectors that fail reads (and READ VERIFY) with UNC until a write of the sector reaches the medium.</summary>
    public LbaRangeSet Unreadable => _unreadable;

    /// <summary>Sectors whose writes fail with ERR|DF and ABRT, leaving the data there unchanged.</summary>
    public LbaRangeSet WriteFaults => _writeFaults;

    public IReadOnlyList<long> PowerLossTimes => _powerLossTimes;

    /// <summary>Reads of these sectors fail with UNC, as a pending sector does; a successful write reallocates it.</summary>
    public void AddUnreadable(long lba, long count = 1) => _unreadable.Add(lba, count);

    /// <summary>Writes touching these sectors fail with ERR|DF, Error ABRT; the sectors keep their data.</summary>
    public void AddWriteFault(long lba, long count = 1) => _writeFaults.Add(lba, count);

    /// <summary>
    /// The drive accepts its <paramref name="nth"/> command (counting from 1 over the drive's life, every opcode) and
    /// never completes it: no FIS, for the driver's timeout path.
    /// </summary>
    public void HangCommandNumber(long nth)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(nth);
        _hangCommandNumbers.Add(nth);
    }

    /// <summary>Every read, write or verify touching these sectors is accepted and never completes.</summary>
    public void HangLbaRange(long lba, long count = 1) => _hangRanges.Add(lba, count);

    /// <summary>The drive loses power at <paramref name="virtualTime"/> (ns): see <c>SataDrive.PowerLoss</c>.</summary>
    public void PowerLossAt(long virtualTime)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(virtualTime);
        _powerLossTimes.Add(virtualTime);
        _powerLossScheduler?.Invoke(virtualTime);
    }

    public bool ShouldHang(long commandNumber) => _hangCommandNumbers.Contains(commandNumber);

    public bool ShouldHang(long lba, long count) => _hangRanges.Overlaps(lba, count);

    /// <summary>
    /// Connects the plan to the drive that owns it: power losses already planned and any added later are handed to
    /// <paramref name="schedule"/>. A plan serves one drive.
    /// </summary>
    internal void BindPowerLoss(Action<long> schedule)
    {
        if (_powerLossScheduler is not null)
            throw new InvalidOperationException("a fault plan belongs to one drive");
        _powerLossScheduler = schedule;
        foreach (long time in _powerLossTimes)
            schedule(time);
    }
}
