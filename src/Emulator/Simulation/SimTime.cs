namespace Hardware.Emulator.Simulation;

/// <summary>Conversions to the simulation's unit, the nanosecond.</summary>
public static class SimTime
{
    public const long Microsecond = 1_000;
    public const long Millisecond = 1_000_000;
    public const long Second = 1_000_000_000;

    public static long FromMicroseconds(double us) => (long)Math.Round(us * Microsecond);
    public static long FromMilliseconds(double ms) => (long)Math.Round(ms * Millisecond);
    public static long FromSeconds(double s) => (long)Math.Round(s * Second);
    public static double ToMilliseconds(long ns) => ns / (double)Millisecond;
    public static double ToSeconds(long ns) => ns / (double)Second;
}
