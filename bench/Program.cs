using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Running;

namespace Hardware.Bench;

public static class Program
{
    /// <summary>
    /// BenchmarkDotNet's switcher, plus <c>--quick</c>: the per-scheduler suites sweep only none and mq-deadline
    /// (see <see cref="QuickCheck"/>) and the cold 1 GiB image read (minutes and gigabytes of temporary disk) is
    /// left out, for a check before merging rather than a full survey.
    /// </summary>
    public static void Main(string[] args)
    {
        IConfig config = DefaultConfig.Instance;
        if (args.Contains(QuickCheck.Argument))
        {
            Environment.SetEnvironmentVariable(QuickCheck.Variable, "1");
            args = args.Where(a => a != QuickCheck.Argument).ToArray();
            config = config.AddFilter(new SimpleFilter(b => b.Descriptor.Type != typeof(Ext2ColdReadBenchmarks)));
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    }
}

/// <summary>The quick check's narrower sweep, chosen by <c>--quick</c> (inherited by the benchmark processes).</summary>
public static class QuickCheck
{
    public const string Argument = "--quick";

    public const string Variable = "HWSTACK_BENCH_QUICK";

    public static bool Enabled => Environment.GetEnvironmentVariable(Variable) == "1";

    /// <summary>The schedulers a per-scheduler suite runs: two in the quick check, else every registered one given.</summary>
    public static IEnumerable<string> Schedulers(params string[] all) => Enabled ? ["none", "mq-deadline"] : all;
}
