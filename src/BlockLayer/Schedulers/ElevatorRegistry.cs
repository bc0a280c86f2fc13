namespace Hardware.BlockLayer.Schedulers;

/// <summary>
/// The elevators by name, as /sys/block/X/queue/scheduler lists them, and the one place a scheduler is made from
/// text: "mq-deadline" or "mq-deadline:fifo_batch=1,read_expire=100ms". Every failure is a message naming the
/// scheduler, tunable or value at fault and what is valid - never an exception.
/// </summary>
public static class ElevatorRegistry
{
    private static readonly object s_gate = new();
    private static readonly List<KeyValuePair<string, Func<IElevator>>> s_factories =
    [
        new(NoneElevator.ElevatorName, static () => new NoneElevator()),
        new(MqDeadlineElevator.ElevatorName, static () => new MqDeadlineElevator()),
        new(BfqElevator.ElevatorName, static () => new BfqElevator()),
        new(KyberElevator.ElevatorName, static () => new KyberElevator()),
        new(SstfElevator.ElevatorName, static () => new SstfElevator()),
        new(ScanElevator.ElevatorName, static () => new ScanElevator()),
        new(CScanElevator.ElevatorName, static () => new CScanElevator()),
        new(LookElevator.ElevatorName, static () => new LookElevator()),
        new(CLookElevator.ElevatorName, static () => new CLookElevator()),
    ];

    /// <summary>Known scheduler names, in registration order.</summary>
    public static IReadOnlyList<string> Names
    {
        get
        {
            lock (s_gate)
                return s_factories.Select(f => f.Key).ToArray();
        }
    }

    /// <summary>Adds a scheduler under a new name (a plug-in); false with a message if the name is taken or malformed.</summary>
    public static bool TryRegister(string name, Func<IElevator> factory, out string error)
    {
        ArgumentNullException.ThrowIfNull(factory);
        if (string.IsNullOrWhiteSpace(name) || name.IndexOfAny([':', ',', '=', ' ']) >= 0)
        {
            error = $"scheduler name '{name}' is empty or contains ':', ',', '=' or a space";
            return false;
        }
        lock (s_gate)
        {
            if (s_factories.Exists(f => f.Key == name))
            {
                error = $"scheduler '{name}' is already registered";
                return false;
            }
            s_factories.Add(new(name, factory));
        }
        error = "";
        return true;
    }

    /// <summary>
    /// Makes a scheduler from "name" or "name:tunable=value[,tunable=value...]". Values take the tunable's unit when
    /// bare, or an explicit one (times: ns, us, ms, s).
    /// </summary>
    public static bool TryCreate(string spec, out IElevator? elevator, out string error)
    {
        elevator = null;
        if (string.IsNullOrWhiteSpace(spec))
        {
            error = $"no scheduler named; known: {string.Join(", ", Names)}";
            return false;
        }
        int colon = spec.IndexOf(':');
        string name = (colon < 0 ? spec : spec[..colon]).Trim();
        Func<IElevator>? factory = null;
        lock (s_gate)
        {
            foreach (KeyValuePair<string, Func<IElevator>> f in s_factories)
            {
                if (f.Key == name)
                    factory = f.Value;
            }
        }
        if (factory is null)
        {
            error = $"unknown scheduler '{name}'; known: {string.Join(", ", Names)}";
            return false;
        }
        IElevator created = factory();
        if (colon >= 0)
        {
            string settings = spec[(colon + 1)..];
            foreach (string part in settings.Split(','))
            {
                string assignment = part.Trim();
                int equals = assignment.IndexOf('=');
                if (equals <= 0)
                {
                    error = $"{name}: '{assignment}' is not tunable=value";
                    return false;
                }
                if (!created.TrySetTunable(assignment[..equals].Trim(), assignment[(equals + 1)..].Trim(), out error))
                    return false;
            }
        }
        elevator = created;
        error = "";
        return true;
    }
}
