using System.Text.Json.Nodes;
using Hardware.Emulator.Media;

namespace Hardware.Cli.Tests.Catalogs;

public class DevicesCommandTests
{
    private static JsonArray Catalog()
    {
        var (exit, output, error) = CliRun.Run("devices", "--json");
        Assert.Equal("", error);
        Assert.Equal(0, exit);
        return JsonNode.Parse(output)!.AsArray();
    }

    private static JsonObject Entry(string name) =>
        Catalog().Single(e => (string)e!["name"]! == name)!.AsObject();

    private static string TempJson(JsonNode node)
    {
        string path = Path.Combine(Path.GetTempPath(), $"hwstack-device-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, node.ToJsonString());
        return path;
    }

    [Fact]
    public void Devices_lists_every_preset_in_tables_with_its_headline_figures()
    {
        var (exit, output, error) = CliRun.Run("devices");
        Assert.Equal("", error);
        Assert.Equal(0, exit);
        foreach (string fact in new[] { "hdd-7200", "7200", "8.5/1/14.7", "64.8-31", "16 MiB", "ssd-sata", "8x2", "60/300", "ram", "unlimited" })
            Assert.Contains(fact, output);
    }

    [Fact]
    public void Redirected_tables_are_drawn_in_plain_ascii_for_logs_and_grep()
    {
        var (exit, output, _) = CliRun.Run("devices");
        Assert.Equal(0, exit);
        Assert.Contains("| hdd-7200 |", output);
        Assert.All(output, c => Assert.True(c < 128, $"non-ASCII character U+{(int)c:X4} in plain output"));
    }

    [Fact]
    public void The_json_gives_disks_their_mechanics_and_flash_its_latencies_and_channels()
    {
        JsonObject hdd = Entry("hdd-7200"), ssd = Entry("ssd-sata");
        Assert.Equal(7200, (int)hdd["rpm"]!);
        Assert.Equal(8.5, (double)hdd["avgSeekMs"]!);
        Assert.Equal(1.0, (double)hdd["trackToTrackMs"]!);
        Assert.Equal(14.7, (double)hdd["fullStrokeMs"]!);
        Assert.Equal(64.8, (double)hdd["sustainedMBps"]!);
        Assert.Equal(16 << 20, (long)hdd["cacheBytes"]!);
        Assert.Equal(32, (int)hdd["ncqDepth"]!);
        Assert.Equal(8, (int)ssd["channels"]!);
        Assert.Equal(60.0, (double)ssd["readUs"]!);
        Assert.Equal(300.0, (double)ssd["programUs"]!);
        Assert.False(ssd.ContainsKey("rpm"));
    }

    [Fact]
    public void One_printed_entry_saved_to_a_file_boots_as_a_device()
    {
        string path = TempJson(Entry("hdd-7200"));
        try
        {
            var (exit, output, error) = CliRun.Run("boot", "--device", path);
            Assert.Equal("", error);
            Assert.Equal(0, exit);
            Assert.Contains("7200 rpm", output);
            Assert.Contains("hdd-7200", output);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("hdd-7200")]
    [InlineData("ssd-sata")]
    [InlineData("ram")]
    public void A_printed_entry_reads_back_as_the_preset_it_describes(string name)
    {
        Assert.True(DevicePresets.TryGet(name, out DeviceProfile? preset));
        Assert.True(DeviceProfileJson.TryParse(Entry(name).ToJsonString(), "entry.json", out DeviceProfile? read, out string error), error);
        // The catalog leaves out serial and firmware: a device file without them takes the defaults.
        var defaults = new DeviceProfile { Name = "x", Kind = "ram" };
        Assert.Equal(preset! with { Serial = defaults.Serial, Firmware = defaults.Firmware }, read);
    }

    [Fact]
    public void A_changed_figure_with_its_derived_figures_left_stale_is_an_error_naming_the_derived_field()
    {
        JsonObject entry = Entry("hdd-7200");
        entry["rpm"] = 5400;
        Assert.False(DeviceProfileJson.TryParse(entry.ToJsonString(), "mine.json", out _, out string error));
        Assert.StartsWith("mine.json: field 'nominalRotationRate' = 7200 is derived, and these figures give 5400; leave it out or match it", error);
    }

    [Fact]
    public void A_catalog_entry_without_its_derived_figures_defines_a_new_device()
    {
        JsonObject entry = Entry("hdd-7200");
        foreach (string derived in new[] { "nominalRotationRate", "mediaRateOuterMBps", "mediaRateInnerMBps", "avgRotationalLatencyMs",
                     "cylinders", "sectorsPerTrackOuter", "sectorsPerTrackInner", "seekCurveBoundary" })
            Assert.True(entry.Remove(derived), derived);
        entry["name"] = "hdd-5400";
        entry["rpm"] = 5400;
        Assert.True(DeviceProfileJson.TryParse(entry.ToJsonString(), "mine.json", out DeviceProfile? profile, out string error), error);
        Assert.Equal(5400, profile!.Hdd!.Rpm);
        Assert.Equal(64.8, profile.Hdd.SustainedOuterMBps);
    }

    [Theory]
    [InlineData("rpm", "12", "mine.json: field 'rpm' = 12 is out of range")]
    [InlineData("channels", "8", "mine.json: field 'channels' belongs to kind ssd, not hdd")]
    [InlineData("hdd", "{}", "mine.json: the catalog form (flat fields like 'nominalRotationRate') cannot also have a 'hdd' section")]
    public void A_bad_catalog_entry_is_one_error_naming_the_field(string field, string value, string message)
    {
        JsonObject entry = Entry("hdd-7200");
        entry[field] = JsonNode.Parse(value);
        Assert.False(DeviceProfileJson.TryParse(entry.ToJsonString(), "mine.json", out _, out string error));
        Assert.StartsWith(message, error);
    }

    [Fact]
    public void A_bad_device_file_given_to_boot_is_one_line_and_exit_status_2()
    {
        JsonObject entry = Entry("hdd-7200");
        entry["cylinders"] = 5;
        string path = TempJson(entry);
        try
        {
            var (exit, output, error) = CliRun.Run("boot", "--device", path);
            Assert.Equal(2, exit);
            Assert.Equal("", output);
            Assert.Single(error.TrimEnd().Split('\n'));
            Assert.Contains("field 'cylinders' = 5 is derived", error);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
