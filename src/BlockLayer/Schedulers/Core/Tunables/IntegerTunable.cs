using System.Globalization;

namespace Hardware.BlockLayer.Schedulers;

/// <summary>A whole-number tunable (a count, a size, a 0/1 switch) with an inclusive range.</summary>
public sealed class IntegerTunable : Tunable
{
    private readonly Func<long> _get;
    private readonly Action<long> _set;

    /// <param name="unit">Shown with the value and accepted as a suffix ("sectors", "KiB"); empty for plain counts.</param>
    public IntegerTunable(string name, string unit, long defaultValue, long min, long max, string description,
        Func<long> get, Action<long> set)
        : base(name, unit, description)
    {
        if (defaultValue < min || defaultValue > max)
            throw new ArgumentOutOfRangeException(nameof(defaultValue), defaultValue, $"{name}: default outside its range");
        Default = defaultValue;
        Min = min;
        Max = max;
        _get = get;
        _set = set;
    }

    public long Default { get; }

    public long Min { get; }

    public long Max { get; }

    public long Value => _get();

    public override string DefaultText => Default.ToString(CultureInfo.InvariantCulture);

    public override string ValueText => _get().ToString(CultureInfo.InvariantCulture);

    public override string RangeText => Unit.Length == 0 ? $"{Min}..{Max}" : $"{Min}..{Max} {Unit}";

    public override bool TrySet(string text, out string error)
    {
        if (!TunableText.TryParseInteger(text, Unit, out long value))
        {
            error = Invalid(text, "not a whole number");
            return false;
        }
        if (value < Min || value > Max)
        {
            error = Invalid(text, "out of range");
            return false;
        }
        _set(value);
        error = "";
        return true;
    }

    /// <summary>Sets a value given in code; out of range is a bug in the caller.</summary>
    public void Set(long value)
    {
        if (value < Min || value > Max)
            throw new ArgumentOutOfRangeException(Name, value, $"{Name} must be within {RangeText}");
        _set(value);
    }

    public override void Reset() => _set(Default);
}
