using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Hardware.Emulator.Media;

/// <summary>
/// Lets a catalog entry (one object of <c>hwstack devices --json</c>, see <see cref="DeviceCatalogEntry"/>) serve as
/// a device file. The catalog is flat - <c>rpm</c> sits beside <c>name</c>, the outer sustained rate is
/// <c>sustainedMBps</c> - so the kind's fields are moved into the profile's section and renamed, then the file is read
/// like any other. Derived figures (cylinders, media rates, ...) may be left out; those present must equal what
/// the figures derive, so an edit to one is an error rather than something silently ignored.
/// </summary>
internal static class DeviceCatalogForm
{
    private static readonly Dictionary<string, Dictionary<string, string>> KindFields = new()
    {
        ["hdd"] = new()
        {
            ["rpm"] = "rpm", ["avgSeekMs"] = "avgSeekMs", ["trackToTrackMs"] = "trackToTrackMs", ["fullStrokeMs"] = "fullStrokeMs",
            ["writeSettleMs"] = "writeSettleMs", ["sustainedMBps"] = "sustainedOuterMBps", ["sustainedInnerMBps"] = "sustainedInnerMBps",
            ["headSwitchMs"] = "headSwitchMs", ["heads"] = "heads", ["zones"] = "zones",
        },
        ["ssd"] = new()
        {
            ["channels"] = "channels", ["diesPerChannel"] = "diesPerChannel", ["pageBytes"] = "pageBytes", ["readUs"] = "readUs",
            ["programUs"] = "programUs", ["channelMBps"] = "channelMBps", ["controllerReadUs"] = "controllerReadUs",
            ["controllerWriteUs"] = "controllerWriteUs", ["preconditioned"] = "preconditioned",
        },
        ["ram"] = new() { ["latencyUs"] = "latencyUs", ["bandwidthMBps"] = "bandwidthMBps" },
    };

    private static readonly HashSet<string> Derived =
    [
        "nominalRotationRate", "mediaRateOuterMBps", "mediaRateInnerMBps", "avgRotationalLatencyMs", "cylinders",
        "sectorsPerTrackOuter", "sectorsPerTrackInner", "seekCurveBoundary",
    ];

    private static readonly JsonNodeOptions NodeOptions = new() { PropertyNameCaseInsensitive = false };

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Whether the text is a JSON object with a catalog-only field at its top level.</summary>
    public static bool IsCatalogForm(string json)
    {
        try
        {
            return JsonNode.Parse(json, NodeOptions, DocumentOptions) is JsonObject root
                && root.Any(p => Derived.Contains(p.Key) || KindFields.Values.Any(fields => fields.ContainsKey(p.Key)));
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The profile form of a catalog entry, and the derived figures it states.</summary>
    public static bool TryToProfile(string json, out string profileJson, out Dictionary<string, JsonNode?> derived, out string error)
    {
        profileJson = "";
        derived = [];
        var root = (JsonObject)JsonNode.Parse(json, NodeOptions, DocumentOptions)!;
        string? kind = root["kind"] is JsonValue value && value.TryGetValue(out string? text) ? text : null;
        if (kind is null || !KindFields.TryGetValue(kind, out Dictionary<string, string>? fields))
        {
            error = $"field 'kind' = {root["kind"]?.ToJsonString() ?? "(missing)"} is not a known kind (expected {string.Join(", ", KindFields.Keys)})";
            return false;
        }
        if (root.ContainsKey(kind))
        {
            error = $"the catalog form (flat fields like '{root.First(p => Derived.Contains(p.Key) || fields.ContainsKey(p.Key)).Key}') " +
                $"cannot also have a '{kind}' section";
            return false;
        }
        var profile = new JsonObject();
        var section = new JsonObject();
        foreach ((string name, JsonNode? node) in root.ToArray())
        {
            root.Remove(name);
            if (fields.TryGetValue(name, out string? target))
                section[target] = node;
            else if (Derived.Contains(name))
                derived[name] = node;
            else if (KindFields.FirstOrDefault(k => k.Value.ContainsKey(name)).Key is { } otherKind)
            {
                error = $"field '{name}' belongs to kind {otherKind}, not {kind}";
                return false;
            }
            else
                profile[name] = node;
        }
        if (section.Count > 0)
            profile[kind] = section;
        profileJson = profile.ToJsonString();
        error = "";
        return true;
    }

    /// <summary>The kind of a profile form <see cref="TryToProfile"/> made (it checked the kind).</summary>
    public static string KindOf(string profileJson) => JsonNode.Parse(profileJson)!["kind"]!.GetValue<string>();

    /// <summary>Error text of the profile reader with the catalog's field names ('hdd.sustainedOuterMBps' is 'sustainedMBps').</summary>
    public static string CatalogNames(string error, string kind)
    {
        if (!KindFields.TryGetValue(kind, out Dictionary<string, string>? fields))
            return error;
        foreach ((string flat, string target) in fields)
            error = error.Replace($"'{kind}.{target}'", $"'{flat}'", StringComparison.Ordinal);
        return error;
    }

    /// <summary>Every derived figure the entry states equals the one the profile's model gives.</summary>
    public static bool TryCheckDerived(DeviceProfile profile, Dictionary<string, JsonNode?> derived, out string error)
    {
        error = "";
        if (derived.Count == 0)
            return true;
        var actual = (JsonObject)JsonNode.Parse(DeviceCatalog.ToJson([DeviceCatalog.Describe(profile)]))!.AsArray()[0]!;
        foreach ((string name, JsonNode? stated) in derived)
        {
            JsonNode? expected = actual[name];
            if (expected is null)
            {
                error = $"field '{name}' does not apply to kind {profile.Kind}";
                return false;
            }
            if (stated is not JsonValue statedValue || !statedValue.TryGetValue(out double number)
                || number != expected.GetValue<double>())
            {
                error = $"field '{name}' = {stated?.ToJsonString() ?? "null"} is derived, and these figures give " +
                    $"{expected.GetValue<double>().ToString(CultureInfo.InvariantCulture)}; leave it out or match it";
                return false;
            }
        }
        return true;
    }
}
