namespace Hardware.Emulator.Media;

/// <summary>Builds the media model a profile's kind names: "hdd", "ssd" or "ram".</summary>
public static class MediaModels
{
    public static IReadOnlyList<string> Kinds { get; } = ["hdd", "ssd", "ram"];

    /// <summary>The model for a valid profile (presets, or files accepted by <see cref="DeviceProfileJson"/>).</summary>
    public static IMediaModel Create(DeviceProfile profile) =>
        TryCreate(profile, out IMediaModel? model, out string error)
            ? model!
            : throw new ArgumentException($"device profile '{profile.Name}' is not valid: {error}", nameof(profile));

    public static bool TryCreate(DeviceProfile profile, out IMediaModel? model, out string error)
    {
        model = null;
        if (!DeviceProfileValidator.TryValidate(profile, out error)) return false;
        switch (profile.Kind)
        {
            case "hdd":
                bool built = HddMedia.TryCreate(profile, out HddMedia? hdd, out error);
                model = hdd;
                return built;
            case "ssd":
                model = new SsdMedia(profile);
                return true;
            default:
                model = new RamMedia(profile);
                return true;
        }
    }

    internal static void RequireValid(DeviceProfile profile, string kind)
    {
        if (!DeviceProfileValidator.TryValidate(profile, out string error))
            throw new ArgumentException($"device profile '{profile.Name}' is not valid: {error}", nameof(profile));
        if (profile.Kind != kind)
            throw new ArgumentException($"device profile '{profile.Name}' is of kind '{profile.Kind}', not '{kind}'", nameof(profile));
    }
}
