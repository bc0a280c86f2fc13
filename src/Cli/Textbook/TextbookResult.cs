namespace Hardware.Cli.Textbook;

/// <summary>
/// One algorithm's run over the request list: the cylinders in service order, the arm's path (the start, every
/// cylinder served and every disk edge it turned at), and the head movement in cylinders.
/// </summary>
/// <param name="HeadMovement">What the textbook totals: <paramref name="ArmTravel"/>, less the return sweep when that is not counted.</param>
/// <param name="ArmTravel">Every cylinder the arm crossed, edge trips and return sweeps included.</param>
/// <param name="ReturnTravel">The part of <paramref name="ArmTravel"/> spent returning (C-SCAN edge to edge, C-LOOK last to first).</param>
public sealed record TextbookResult(
    TextbookAlgorithm Algorithm,
    IReadOnlyList<int> Order,
    IReadOnlyList<ArmStop> Path,
    long HeadMovement,
    long ArmTravel,
    long ReturnTravel,
    bool ReturnCounted);

/// <summary>A point of the arm's path: a cylinder it served, or a disk edge it turned at or returned from.</summary>
public readonly record struct ArmStop(int Cylinder, bool Serves);
