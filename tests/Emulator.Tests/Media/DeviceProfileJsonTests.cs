using System.Text.Json.Nodes;
using Hardware.Emulator.Media;

namespace Hardware.Emulator.Tests.Media;

public class DeviceProfileJsonTests
{
    private const string File = "my-disk.json";

    public static TheoryData<string> PresetNames => new(DevicePresets.All.Select(p => p.Name));

    [Theory]
    [MemberData(nameof(PresetNames))]
    public void Every_preset_round_trips_through_its_json_form(string name)
    {
        DevicePresets.TryGet(name, out DeviceProfile? preset);
        string json = DeviceProfileJson.Serialize(preset!);
        Assert.True(DeviceProfileJson.TryParse(json, name, out DeviceProfile? parsed, out string error), error);
        Assert.Equal(preset, parsed);
        Assert.Equal(json, DeviceProfileJson.Serialize(parsed!));
    }

    [Fact]
    public void Device_files_use_camel_case_field_names()
    {
        string json = DeviceProfileJson.Serialize(DevicePresets.Hdd7200);
        foreach (string field in new[] { "\"name\"", "\"capacityBytes\"", "\"hdd\"", "\"avgSeekMs\"", "\"sustainedOuterMBps\"", "\"headSwitchMs\"" })
            Assert.Contains(field, json);
        Assert.DoesNotContain("\"ssd\"", json);
    }

    [Theory]
    [InlineData("hdd", "rpm")]
    [InlineData("hdd", "avgSeekMs")]
    [InlineData("hdd", "zones")]
    [InlineData(null, "capacityBytes")]
    [InlineData(null, "kind")]
    public void A_missing_field_is_reported_with_the_field_and_the_file(string? section, string field)
    {
        JsonObject json = HddJson();
        (section is null ? json : json[section]!.AsObject()).Remove(field);
        string error = ParseError(json);
        Assert.Contains(File, error);
        Assert.Contains($"'{(section is null ? "" : section + ".")}{field}'", error);
        Assert.Contains("missing", error);
    }

    [Theory]
    [InlineData("rpm", 12, "hdd.rpm")]
    [InlineData("heads", 0, "hdd.heads")]
    [InlineData("sustainedInnerMBps", 500, "hdd.sustainedInnerMBps")]
    [InlineData("trackToTrackMs", 9, "hdd.trackToTrackMs")]
    public void An_out_of_range_field_is_reported_with_its_value_and_the_file(string field, double value, string path)
    {
        JsonObject json = HddJson();
        json["hdd"]![field] = value;
        string error = ParseError(json);
        Assert.Contains(File, error);
        Assert.Contains($"'{path}' = {value}", error);
    }

    [Fact]
    public void An_ata_string_longer_than_its_identify_field_is_rejected()
    {
        JsonObject json = HddJson();
        json["serial"] = new string('X', 21);
        Assert.Contains("'serial'", ParseError(json));
    }

    [Fact]
    public void An_unknown_kind_is_rejected()
    {
        JsonObject json = HddJson();
        json["kind"] = "tape";
        string error = ParseError(json);
        Assert.Contains(File, error);
        Assert.Contains("'kind'", error);
        Assert.Contains("tape", error);
    }

    [Fact]
    public void A_misspelt_field_is_rejected_rather_than_ignored()
    {
        JsonObject json = HddJson();
        json["hdd"]!["rmp"] = 7200;
        string error = ParseError(json);
        Assert.Contains(File, error);
        Assert.Contains("rmp", error);
    }

    [Fact]
    public void A_field_of_the_wrong_type_is_reported_by_its_path()
    {
        JsonObject json = HddJson();
        json["hdd"]!["rpm"] = "fast";
        Assert.Contains("'hdd.rpm'", ParseError(json));
    }

    [Fact]
    public void A_section_of_another_kind_is_rejected()
    {
        JsonObject json = HddJson();
        json["ssd"] = JsonNode.Parse(DeviceProfileJson.Serialize(DevicePresets.SsdSata))!["ssd"]!.DeepClone();
        Assert.Contains("'ssd'", ParseError(json));
    }

    [Fact]
    public void Broken_json_is_reported_with_its_line()
    {
        Assert.False(DeviceProfileJson.TryParse("{\n  \"name\": \"x\",\n  \"kind\": \n}", File, out DeviceProfile? profile, out string error));
        Assert.Null(profile);
        Assert.Contains(File, error);
        Assert.Contains("line 4", error);
    }

    [Fact]
    public void A_json_error_that_quotes_text_across_lines_is_still_one_line()
    {
        Assert.False(DeviceProfileJson.TryParse("not json\nat all\n", File, out _, out string error));
        Assert.DoesNotContain('\n', error);
        Assert.DoesNotContain('\r', error);
        Assert.Contains("line 1", error);
    }

    [Fact]
    public void A_geometry_the_model_cannot_build_is_reported_before_use()
    {
        JsonObject json = HddJson();
        json["capacityBytes"] = 1 << 20;
        string error = ParseError(json);
        Assert.Contains(File, error);
        Assert.Contains("cylinders", error);
    }

    [Fact]
    public void A_missing_file_is_reported_by_its_path()
    {
        string path = Path.Combine(Path.GetTempPath(), $"hwstack-no-such-device-{Guid.NewGuid():N}.json");
        Assert.False(DeviceProfileJson.TryLoad(path, out _, out string error));
        Assert.Contains(path, error);
        Assert.Contains("not found", error);
    }

    [Fact]
    public void A_device_file_on_disk_is_loaded_and_resolved_by_path()
    {
        string path = Path.Combine(Path.GetTempPath(), $"hwstack-device-{Guid.NewGuid():N}.json");
        DeviceProfile custom = DevicePresets.Hdd7200 with { Name = "my-disk", Hdd = DevicePresets.Hdd7200.Hdd! with { Rpm = 5400 } };
        System.IO.File.WriteAllText(path, DeviceProfileJson.Serialize(custom));
        try
        {
            Assert.True(DeviceProfileJson.TryLoad(path, out DeviceProfile? loaded, out string error), error);
            Assert.Equal(custom, loaded);
            Assert.True(DeviceProfileJson.TryResolve(path, out DeviceProfile? resolved, out error), error);
            Assert.Equal(5400, MediaModels.Create(resolved!).NominalRotationRate);
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }

    [Fact]
    public void Presets_resolve_by_name_and_anything_else_is_explained()
    {
        Assert.True(DeviceProfileJson.TryResolve("ssd-sata", out DeviceProfile? profile, out _));
        Assert.Same(DevicePresets.SsdSata, profile);
        Assert.False(DeviceProfileJson.TryResolve("floppy", out _, out string error));
        Assert.Contains("hdd-7200", error);
        Assert.Contains("floppy", error);
    }

    [Fact]
    public void A_minimal_ram_file_takes_the_defaults()
    {
        const string json = """{ "name": "tiny", "kind": "ram", "capacityBytes": 67108864 }""";
        Assert.True(DeviceProfileJson.TryParse(json, File, out DeviceProfile? profile, out string error), error);
        IMediaModel ram = MediaModels.Create(profile!);
        Assert.Equal(131072, ram.CapacitySectors);
        Assert.Equal(5, ram.Access(5, MediaOperation.Read, 0, 8));
    }

    [Fact]
    public void Every_json_example_in_the_device_models_guide_loads()
    {
        string directory = AppContext.BaseDirectory;
        while (!System.IO.File.Exists(Path.Combine(directory, "Hardware.sln"))) directory = Path.GetDirectoryName(directory)!;
        string guide = System.IO.File.ReadAllText(Path.Combine(directory, "docs", "device-models.md"));

        string[] blocks = guide.Split("```json")[1..].Select(block => block[..block.IndexOf("```", StringComparison.Ordinal)]).ToArray();
        Assert.Equal(3, blocks.Length);
        foreach (string json in blocks)
            Assert.True(DeviceProfileJson.TryParse(json, "device-models.md", out _, out string error), error);
    }

    private static JsonObject HddJson() => JsonNode.Parse(DeviceProfileJson.Serialize(DevicePresets.Hdd7200 with { Name = "my-disk" }))!.AsObject();

    private static string ParseError(JsonObject json)
    {
        Assert.False(DeviceProfileJson.TryParse(json.ToJsonString(), File, out DeviceProfile? profile, out string error));
        Assert.Null(profile);
        return error;
    }
}
