namespace Hardware.BlockLayer.Schedulers;

/// <summary>
/// One scheduler knob as /sys/block/X/queue/iosched/ shows it: a name, a unit, a default and a current value in
/// text form. Parsing and range checks live here, so every elevator rejects bad input with the same kind of
/// message: the tunable, the value, and what is valid.
/// </summary>
public abstract class Tunable
{
    protected Tunable(string name, string unit, string description)
    {
        Name = name;
        Unit = unit;
        Description = description;
    }

    public string Name { get; }

    public string Unit { get; }

    public string Description { get; }

    public abstract string DefaultText { get; }

    public abstract string ValueText { get; }

    /// <summary>Text form of the valid range, for messages ("0..2147483647 ms").</summary>
    public abstract string RangeText { get; }

    /// <summary>Parses and applies <paramref name="text"/>; false with a message naming this tunable and the value.</summary>
    public abstract bool TrySet(string text, out string error);

    /// <summary>Puts the default back.</summary>
    public abstract void Reset();

    public ElevatorTunable Describe() => new(Name, Unit, DefaultText, ValueText, Description);

    protected string Invalid(string text, string what) => $"{Name}={text}: {what} (valid {RangeText})";
}
