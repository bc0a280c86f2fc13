using Hardware.BlockLayer;
using Hardware.BlockLayer.Schedulers;

namespace Hardware.Cli.Textbook;

/// <summary>
/// Runs a textbook exercise through the block layer's own elevators: every request is inserted before the first
/// dispatch, then the elevator releases one at a time, each completing before the next is asked for, the head
/// resting on the cylinder just served. Arm travel is the elevator's own account (<see cref="IArmTravel"/>).
/// </summary>
public static class TextbookRunner
{
    public static TextbookResult Run(TextbookProblem problem, TextbookAlgorithm algorithm)
    {
        string direction = problem.Direction == SweepDirection.Down ? "down" : "up";
        string spec = algorithm.HasDirection ? $"{algorithm.ElevatorName}:direction={direction}" : algorithm.ElevatorName;
        if (!ElevatorRegistry.TryCreate(spec, out IElevator? created, out string error))
            throw new InvalidOperationException($"the block layer lost a built-in elevator: {error}");
        IElevator elevator = created!;
        var queue = new ClassroomQueue(problem.Cylinders, problem.Head);
        elevator.Attach(queue);
        foreach (int cylinder in problem.Requests)
        {
            elevator.Insert(new Request
            {
                Op = BioOp.Read,
                Sector = cylinder,
                SectorCount = 1,
                SegmentCount = 1,
                ProcessId = 1,
            }, atHead: false);
        }

        var arm = elevator as IArmTravel;
        var order = new List<int>(problem.Requests.Count);
        var path = new List<ArmStop> { new(problem.Head, Serves: false) };
        long travel = 0;
        int at = problem.Head;
        while (elevator.HasPending)
        {
            Request next = elevator.Dispatch()
                ?? throw new InvalidOperationException($"{elevator.Name} held requests back on a disk without a clock");
            queue.Issued(next);
            int cylinder = checked((int)next.Sector);
            long step = arm is null ? Math.Abs(cylinder - at) : arm.ArmTravel - travel;
            AddWaypoints(path, at, cylinder, step, problem.Cylinders - 1, elevator.Name);
            travel += step;
            order.Add(cylinder);
            at = cylinder;
            elevator.Completed(next);
            queue.Completed();
        }
        long returnTravel = arm?.ReturnTravel ?? 0;
        long movement = problem.CountReturn ? travel : travel - returnTravel;
        return new TextbookResult(algorithm, order, path, movement, travel, returnTravel, problem.CountReturn);
    }

    /// <summary>
    /// The arm went from <paramref name="from"/> to <paramref name="to"/> in <paramref name="step"/> cylinders:
    /// straight, by way of one disk edge (SCAN turning), or edge to edge (C-SCAN returning).
    /// </summary>
    private static void AddWaypoints(List<ArmStop> path, int from, int to, long step, int lastCylinder, string elevator)
    {
        if (step == Math.Abs(to - from))
        {
            path.Add(new(to, Serves: true));
            return;
        }
        foreach (int edge in (int[])[0, lastCylinder])
        {
            if (step == Math.Abs(edge - from) + Math.Abs(to - edge))
            {
                path.AddRange([new(edge, Serves: false), new(to, Serves: true)]);
                return;
            }
        }
        foreach ((int first, int second) in ((int, int)[])[(lastCylinder, 0), (0, lastCylinder)])
        {
            if (step == Math.Abs(first - from) + lastCylinder + Math.Abs(to - second))
            {
                path.AddRange([new(first, Serves: false), new(second, Serves: false), new(to, Serves: true)]);
                return;
            }
        }
        throw new InvalidOperationException($"{elevator}: an arm move of {step} cylinders from {from} to {to} passes no disk edge");
    }
}
