using Hardware.Cli.Commands;

namespace Hardware.Cli.Tests;

public class BootCommandTests
{
    private static (int Exit, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = CommandLine.Run(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    [Theory]
    [InlineData("hdd-7200", "7200 rpm")]
    [InlineData("ssd-sata", "non-rotating")]
    [InlineData("ram", "non-rotating")]
    public void Boot_prints_the_identify_summary_and_the_io_pattern(string device, string rotation)
    {
        var (exit, output, error) = Run("boot", "--device", device);
        Assert.Equal("", error);
        Assert.Equal(0, exit);
        Assert.Contains("IDENTIFY DEVICE", output);
        Assert.Contains(rotation, output);
        Assert.Contains("NCQ, depth 32", output);
        Assert.Contains("rand write 4K", output);
    }

    [Fact]
    public void Boot_with_the_same_seed_prints_the_same_virtual_figures()
    {
        static string Figures(string output) =>
            string.Join("\n", output.Split('\n').Where(line => !line.Contains("wall time")));
        string first = Figures(Run("boot", "--device", "ram", "--seed", "5").Output);
        string second = Figures(Run("boot", "--device", "ram", "--seed", "5").Output);
        Assert.Equal(first, second);
    }

    [Fact]
    public void An_unknown_device_is_one_line_and_exit_status_2()
    {
        var (exit, output, error) = Run("boot", "--device", "no-such-disk");
        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.Contains("no-such-disk", error);
    }

    [Fact]
    public void Boot_runs_its_pattern_through_the_chosen_scheduler()
    {
        var (exit, output, error) = Run("boot", "--device", "ram", "--scheduler", "kyber");
        Assert.Equal("", error);
        Assert.Equal(0, exit);
        Assert.Contains("/dev/sda (8:0), scheduler kyber", output);
    }

    [Fact]
    public void An_unknown_scheduler_is_one_line_and_exit_status_2()
    {
        var (exit, output, error) = Run("boot", "--scheduler", "elevator-of-doom");
        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.Contains("elevator-of-doom", error);
    }

    [Fact]
    public void An_unknown_option_is_one_line_and_exit_status_2()
    {
        var (exit, _, error) = Run("boot", "--frobnicate");
        Assert.Equal(2, exit);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.Contains("--frobnicate", error);
    }
}
