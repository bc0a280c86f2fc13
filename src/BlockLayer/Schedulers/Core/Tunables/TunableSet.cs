namespace Hardware.BlockLayer.Schedulers;

/// <summary>An elevator's tunables by name, in the order they were declared.</summary>
public sealed class TunableSet
{
    private readonly string _owner;
    private readonly List<Tunable> _tunables = [];

    /// <param name="owner">The elevator's name, prefixed to every error message.</param>
    public TunableSet(string owner)
    {
        _owner = owner;
    }

    public int Count => _tunables.Count;

    public T Add<T>(T tunable) where T : Tunable
    {
        if (Find(tunable.Name) is not null)
            throw new ArgumentException($"{_owner}: tunable {tunable.Name} declared twice", nameof(tunable));
        _tunables.Add(tunable);
        return tunable;
    }

    public Tunable? Find(string name)
    {
        foreach (Tunable t in _tunables)
        {
            if (t.Name == name)
                return t;
        }
        return null;
    }

    public IReadOnlyList<ElevatorTunable> Describe()
    {
        var list = new ElevatorTunable[_tunables.Count];
        for (int i = 0; i < list.Length; i++)
            list[i] = _tunables[i].Describe();
        return list;
    }

    public bool TrySet(string name, string value, out string error)
    {
        Tunable? tunable = name is null ? null : Find(name.Trim());
        if (tunable is null)
        {
            string known = _tunables.Count == 0 ? "it has none" : "known: " + string.Join(", ", _tunables.Select(t => t.Name));
            error = $"{_owner}: unknown tunable '{name}'; {known}";
            return false;
        }
        if (value is null)
        {
            error = $"{_owner}: {tunable.Name} needs a value (valid {tunable.RangeText})";
            return false;
        }
        if (!tunable.TrySet(value, out string message))
        {
            error = $"{_owner}: {message}";
            return false;
        }
        error = "";
        return true;
    }
}
