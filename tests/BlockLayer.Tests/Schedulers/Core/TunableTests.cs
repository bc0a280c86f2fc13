using Hardware.BlockLayer.Schedulers;
using Hardware.Emulator.Simulation;

namespace Hardware.BlockLayer.Tests.Schedulers.Core;

public class TunableTests
{
    [Theory]
    [InlineData("500", 500 * SimTime.Millisecond)]
    [InlineData("500ms", 500 * SimTime.Millisecond)]
    [InlineData(" 0.5 s ", 500 * SimTime.Millisecond)]
    [InlineData("125000us", 125 * SimTime.Millisecond)]
    [InlineData("2000000ns", 2 * SimTime.Millisecond)]
    [InlineData("1.5", 1_500_000)]
    public void Durations_parse_bare_numbers_in_the_tunable_unit_and_any_time_unit(string text, long expected)
    {
        Assert.True(TunableText.TryParseDuration(text, SimTime.Millisecond, out long ns));
        Assert.Equal(expected, ns);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ms")]
    [InlineData("5 minutes")]
    [InlineData("-3ms")]
    [InlineData("0.5ns")]
    [InlineData("1e3")]
    public void Durations_reject_what_is_not_a_whole_number_of_nanoseconds_with_a_known_unit(string text)
    {
        Assert.False(TunableText.TryParseDuration(text, SimTime.Millisecond, out _));
    }

    [Fact]
    public void A_duration_tunable_shows_its_unit_and_rejects_out_of_range_values_naming_the_range()
    {
        long value = 0;
        var tunable = new DurationTunable("read_expire", "ms", 500 * SimTime.Millisecond, 0, 1000 * SimTime.Millisecond,
            "test", () => value, v => value = v);
        tunable.Reset();
        Assert.Equal(new ElevatorTunable("read_expire", "ms", "500", "500", "test"), tunable.Describe());

        Assert.True(tunable.TrySet("1500us", out _));
        Assert.Equal("1.5", tunable.ValueText);
        Assert.False(tunable.TrySet("2s", out string error));
        Assert.Equal("read_expire=2s: out of range (valid 0..1000 ms)", error);
        Assert.Equal(1_500_000, value);
        Assert.Throws<ArgumentOutOfRangeException>(() => tunable.Set(-1));
    }

    [Fact]
    public void An_integer_tunable_takes_its_unit_as_a_suffix_and_rejects_fractions()
    {
        long value = 0;
        var tunable = new IntegerTunable("back_seek_max", "KiB", 16384, 0, int.MaxValue, "test", () => value, v => value = v);
        Assert.True(tunable.TrySet("8192KiB", out _));
        Assert.Equal(8192, value);
        Assert.False(tunable.TrySet("1.5", out string error));
        Assert.Contains("back_seek_max=1.5: not a whole number", error);
    }

    [Fact]
    public void A_choice_tunable_lists_its_choices_when_given_another_word()
    {
        int value = 0;
        var tunable = new ChoiceTunable("direction", ["up", "down"], 0, "test", () => value, v => value = v);
        Assert.True(tunable.TrySet("down", out _));
        Assert.Equal(1, value);
        Assert.False(tunable.TrySet("sideways", out string error));
        Assert.Equal("direction=sideways: not a valid choice (valid up, down)", error);
    }
}
