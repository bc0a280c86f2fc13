namespace Hardware.BlockLayer.Schedulers;

/// <summary>A tunable that takes one of a few words (a sweep direction).</summary>
public sealed class ChoiceTunable : Tunable
{
    private readonly string[] _choices;
    private readonly Func<int> _get;
    private readonly Action<int> _set;

    public ChoiceTunable(string name, string[] choices, int defaultIndex, string description, Func<int> get, Action<int> set)
        : base(name, "", description)
    {
        if (choices.Length == 0 || (uint)defaultIndex >= (uint)choices.Length)
            throw new ArgumentOutOfRangeException(nameof(defaultIndex), defaultIndex, $"{name}: default is not one of the choices");
        _choices = choices;
        DefaultIndex = defaultIndex;
        _get = get;
        _set = set;
    }

    public int DefaultIndex { get; }

    public override string DefaultText => _choices[DefaultIndex];

    public override string ValueText => _choices[_get()];

    public override string RangeText => string.Join(", ", _choices);

    public override bool TrySet(string text, out string error)
    {
        int index = Array.IndexOf(_choices, text.Trim());
        if (index < 0)
        {
            error = Invalid(text, "not a valid choice");
            return false;
        }
        _set(index);
        error = "";
        return true;
    }

    public override void Reset() => _set(DefaultIndex);
}
