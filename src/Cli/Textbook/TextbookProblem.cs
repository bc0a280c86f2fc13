using Hardware.BlockLayer.Schedulers;

namespace Hardware.Cli.Textbook;

/// <summary>
/// A textbook disk-scheduling exercise: cylinders 0..<paramref name="Cylinders"/>-1, the head's starting cylinder,
/// the queue of cylinder requests (all waiting before the first dispatch), the sweep direction of SCAN-like
/// algorithms and whether a circular algorithm's return sweep counts as head movement.
/// </summary>
public sealed record TextbookProblem(int Cylinders, int Head, IReadOnlyList<int> Requests, SweepDirection Direction, bool CountReturn)
{
    /// <summary>The example of Silberschatz, Galvin and Gagne's Operating System Concepts.</summary>
    public static TextbookProblem Silberschatz { get; } =
        new(200, 53, [98, 183, 37, 122, 14, 124, 65, 67], SweepDirection.Down, CountReturn: true);

    /// <summary>Null when the exercise is well formed, else one line naming what is wrong.</summary>
    public string? Validate()
    {
        if (Cylinders < 2)
            return $"--cylinders {Cylinders}: a disk needs at least 2 cylinders";
        if (Head < 0 || Head >= Cylinders)
            return $"--head {Head} is not a cylinder of the disk (0-{Cylinders - 1})";
        if (Requests.Count == 0)
            return "--requests names no cylinder";
        for (int i = 0; i < Requests.Count; i++)
        {
            if (Requests[i] < 0 || Requests[i] >= Cylinders)
                return $"--requests: request {i + 1} ({Requests[i]}) is past the disk's cylinders 0-{Cylinders - 1}";
        }
        return null;
    }
}
