namespace Hardware.BlockLayer.Schedulers;

/// <summary>A time tunable: stored in nanoseconds, shown in its sysfs unit, accepted in any of ns, us, ms, s.</summary>
public sealed class DurationTunable : Tunable
{
    private readonly long _unitNs;
    private readonly Func<long> _get;
    private readonly Action<long> _set;

    /// <param name="unit">The sysfs unit (ns, us, ms or s): bare numbers are taken in it and values shown in it.</param>
    /// <param name="get">Reads the elevator's current value (ns).</param>
    /// <param name="set">Stores a validated value (ns) into the elevator.</param>
    public DurationTunable(string name, string unit, long defaultNs, long minNs, long maxNs, string description,
        Func<long> get, Action<long> set)
        : base(name, unit, description)
    {
        if (!TunableText.TryGetTimeUnit(unit, out _unitNs))
            throw new ArgumentException($"{name}: '{unit}' is not a time unit (ns, us, ms, s)", nameof(unit));
        if (defaultNs < minNs || defaultNs > maxNs)
            throw new ArgumentOutOfRangeException(nameof(defaultNs), defaultNs, $"{name}: default outside its range");
        DefaultNs = defaultNs;
        MinNs = minNs;
        MaxNs = maxNs;
        _get = get;
        _set = set;
    }

    public long DefaultNs { get; }

    public long MinNs { get; }

    public long MaxNs { get; }

    public long Value => _get();

    public override string DefaultText => TunableText.FormatDuration(DefaultNs, _unitNs);

    public override string ValueText => TunableText.FormatDuration(_get(), _unitNs);

    public override string RangeText =>
        $"{TunableText.FormatDuration(MinNs, _unitNs)}..{TunableText.FormatDuration(MaxNs, _unitNs)} {Unit}";

    public override bool TrySet(string text, out string error)
    {
        if (!TunableText.TryParseDuration(text, _unitNs, out long ns))
        {
            error = Invalid(text, $"not a duration; write a number in {Unit} or with a unit: ns, us, ms, s");
            return false;
        }
        if (ns < MinNs || ns > MaxNs)
        {
            error = Invalid(text, "out of range");
            return false;
        }
        _set(ns);
        error = "";
        return true;
    }

    /// <summary>Sets a value given in code (an options record); out of range is a bug in the caller.</summary>
    public void Set(long nanoseconds)
    {
        if (nanoseconds < MinNs || nanoseconds > MaxNs)
            throw new ArgumentOutOfRangeException(Name, nanoseconds, $"{Name} must be within {RangeText}");
        _set(nanoseconds);
    }

    public override void Reset() => _set(DefaultNs);
}
