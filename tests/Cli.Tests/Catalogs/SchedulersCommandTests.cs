using System.Text.Json.Nodes;
using Hardware.BlockLayer.Schedulers;

namespace Hardware.Cli.Tests.Catalogs;

public class SchedulersCommandTests
{
    [Fact]
    public void The_json_lists_every_registered_elevator_in_order_with_its_tunables()
    {
        var (exit, output, error) = CliRun.Run("schedulers", "--json");
        Assert.Equal("", error);
        Assert.Equal(0, exit);
        JsonArray all = JsonNode.Parse(output)!.AsArray();
        Assert.Equal(ElevatorRegistry.Names, all.Select(e => (string)e!["name"]!));
        JsonObject readExpire = all.Single(e => (string)e!["name"]! == "mq-deadline")!["tunables"]!.AsArray()
            .Single(t => (string)t!["name"]! == "read_expire")!.AsObject();
        Assert.Equal(["name", "unit", "default", "description"], readExpire.Select(p => p.Key));
        Assert.Equal("ms", (string)readExpire["unit"]!);
        Assert.Equal("500", (string)readExpire["default"]!);
        Assert.Empty(all.Single(e => (string)e!["name"]! == "none")!["tunables"]!.AsArray());
    }

    [Fact]
    public void The_text_shows_each_tunable_with_its_default_and_unit_and_meaning()
    {
        var (exit, output, error) = CliRun.Run("schedulers");
        Assert.Equal("", error);
        Assert.Equal(0, exit);
        Assert.Contains("none (no tunables)", output);
        Assert.Matches(@"\n  read_expire\s+500 ms  longest a read waits", output);
        Assert.Matches(@"\n  fifo_batch\s+16  ", output);
        Assert.Contains("mq-deadline:fifo_batch=1,read_expire=100ms", output);
    }

    [Fact]
    public void An_option_schedulers_does_not_have_is_one_line_and_exit_status_2()
    {
        var (exit, _, error) = CliRun.Run("schedulers", "--yaml");
        Assert.Equal(2, exit);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.Contains("--yaml", error);
    }
}
