using System.Text.Json.Nodes;
using Hardware.Emulator.Media;

namespace Hardware.Emulator.Tests.Media;

public class DevicePresetsTests
{
    [Fact]
    public void The_three_presets_are_found_by_name()
    {
        Assert.Equal(["hdd-7200", "ssd-sata", "ram"], DevicePresets.All.Select(p => p.Name));
        Assert.True(DevicePresets.TryGet("HDD-7200", out DeviceProfile? hdd));
        Assert.Same(DevicePresets.Hdd7200, hdd);
        Assert.False(DevicePresets.TryGet("hdd-5400", out _));
    }

    [Fact]
    public void Every_preset_is_valid_and_builds_its_model()
    {
        foreach (DeviceProfile preset in DevicePresets.All)
        {
            Assert.True(DeviceProfileValidator.TryValidate(preset, out string error), $"{preset.Name}: {error}");
            Assert.True(MediaModels.TryCreate(preset, out _, out error), $"{preset.Name}: {error}");
        }
        Assert.IsType<HddMedia>(MediaModels.Create(DevicePresets.Hdd7200));
        Assert.IsType<SsdMedia>(MediaModels.Create(DevicePresets.SsdSata));
        Assert.IsType<RamMedia>(MediaModels.Create(DevicePresets.Ram));
    }

    [Fact]
    public void Building_a_model_from_an_invalid_or_mismatched_profile_is_a_caller_bug()
    {
        Assert.Throws<ArgumentException>(() => new SsdMedia(DevicePresets.Hdd7200));
        Assert.Throws<ArgumentException>(() => new RamMedia(DevicePresets.SsdSata));
        Assert.Throws<ArgumentException>(() => MediaModels.Create(DevicePresets.Ram with { Kind = "tape" }));
        Assert.False(MediaModels.TryCreate(DevicePresets.Hdd7200 with { Hdd = null }, out _, out string error));
        Assert.Contains("'hdd'", error);
    }

    [Fact]
    public void Identity_strings_fit_their_IDENTIFY_fields_and_do_not_claim_a_vendor()
    {
        foreach (DeviceProfile preset in DevicePresets.All)
        {
            Assert.InRange(preset.Model.Length, 1, 40);
            Assert.InRange(preset.Serial.Length, 1, 20);
            Assert.InRange(preset.Firmware.Length, 1, 8);
            Assert.StartsWith("HWSTACK", preset.Model);
        }
    }

    [Fact]
    public void Capacities_are_those_of_the_emulated_drives()
    {
        Assert.Equal(500_107_862_016, DevicePresets.Hdd7200.CapacityBytes);
        Assert.Equal(500_107_862_016, DevicePresets.SsdSata.CapacityBytes);
        Assert.Equal(16L << 30, DevicePresets.Ram.CapacityBytes);
        Assert.True(DevicePresets.SsdSata.SupportsTrim && DevicePresets.Ram.SupportsTrim && !DevicePresets.Hdd7200.SupportsTrim);
        Assert.All(DevicePresets.All, p => Assert.Equal(32, p.NcqDepth));
        Assert.InRange(DevicePresets.Hdd7200.CommandOverheadUs, 1, 100);
    }

    [Fact]
    public void The_disk_preset_names_the_drive_and_the_figures_it_is_calibrated_to()
    {
        string description = DevicePresets.Hdd7200.Description;
        foreach (string fact in new[] { "Deskstar 7K500", "HDS725050KLA360", "64.8", "31.0", "8.5 ms", "16 MB", "Derived" })
            Assert.Contains(fact, description);
        Assert.Contains("860 EVO", DevicePresets.SsdSata.Description);
    }

    [Fact]
    public void The_catalog_shows_a_disk_s_rotation_seek_and_transfer_figures()
    {
        DeviceCatalogEntry disk = DeviceCatalog.Describe(DevicePresets.Hdd7200);
        Assert.Equal(7200, disk.Rpm);
        Assert.Equal(7200, disk.NominalRotationRate);
        Assert.Equal(8.5, disk.AvgSeekMs);
        Assert.Equal(1.0, disk.TrackToTrackMs);
        Assert.Equal(14.7, disk.FullStrokeMs);
        Assert.Equal(64.8, disk.SustainedMBps);
        Assert.Equal(16 << 20, disk.CacheBytes);
        Assert.Equal(32, disk.NcqDepth);
        Assert.Equal(4.167, disk.AvgRotationalLatencyMs);
        Assert.True(disk.Cylinders > 100_000);

        JsonArray json = JsonNode.Parse(DeviceCatalog.ToJson(DeviceCatalog.DescribeAll()))!.AsArray();
        JsonObject hdd = json[0]!.AsObject(), ssd = json[1]!.AsObject();
        foreach (string field in new[] { "rpm", "avgSeekMs", "trackToTrackMs", "fullStrokeMs", "sustainedMBps", "cacheBytes", "ncqDepth" })
            Assert.True(hdd.ContainsKey(field), field);
        foreach (string field in new[] { "channels", "diesPerChannel", "readUs", "programUs", "channelMBps" })
            Assert.True(ssd.ContainsKey(field), field);
        Assert.False(ssd.ContainsKey("rpm"));
        Assert.Equal(1, (int)ssd["nominalRotationRate"]!);
        Assert.Equal(0.0, (double)json[2]!["latencyUs"]!);
    }
}
