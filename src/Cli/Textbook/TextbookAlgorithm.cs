namespace Hardware.Cli.Textbook;

/// <summary>
/// A disk-scheduling algorithm as textbooks name it, and the block layer's elevator that implements it. FCFS is the
/// "none" elevator: it dispatches in insertion order.
/// </summary>
public sealed record TextbookAlgorithm(string Name, string ElevatorName, bool HasDirection, bool TravelsToEdge, bool Circular)
{
    public static IReadOnlyList<TextbookAlgorithm> All { get; } =
    [
        new("fcfs", "none", HasDirection: false, TravelsToEdge: false, Circular: false),
        new("sstf", "sstf", HasDirection: false, TravelsToEdge: false, Circular: false),
        new("scan", "scan", HasDirection: true, TravelsToEdge: true, Circular: false),
        new("c-scan", "c-scan", HasDirection: true, TravelsToEdge: true, Circular: true),
        new("look", "look", HasDirection: true, TravelsToEdge: false, Circular: false),
        new("c-look", "c-look", HasDirection: true, TravelsToEdge: false, Circular: true),
    ];

    public static bool TryGet(string name, out TextbookAlgorithm? algorithm)
    {
        algorithm = All.FirstOrDefault(a => a.Name == name.Trim().ToLowerInvariant());
        return algorithm is not null;
    }
}
