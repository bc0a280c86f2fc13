namespace Hardware.BlockLayer.Schedulers;

/// <summary>
/// The teaching schedulers' notional disk arm. They choose requests from the head position the queue reports,
/// and count the way the arm travels as the textbooks do - including the trips SCAN and C-SCAN make to a disk edge
/// no request asked for, and the return sweeps of C-SCAN and C-LOOK that serve nothing. A real disk only ever
/// moves to the requests it is given, so this can exceed the head movement a device model measures.
/// </summary>
public interface IArmTravel
{
    /// <summary>Sectors (cylinders in the textbook mode) the arm moved, return sweeps included.</summary>
    long ArmTravel { get; }

    /// <summary>The part of <see cref="ArmTravel"/> spent on return sweeps (C-SCAN edge to edge, C-LOOK last to first).</summary>
    long ReturnTravel { get; }
}
