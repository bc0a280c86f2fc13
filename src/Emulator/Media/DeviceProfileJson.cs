using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hardware.Emulator.Media;

/// <summary>
/// Device files: a <see cref="DeviceProfile"/> as JSON with camelCase field names (what <see cref="Serialize"/>
/// writes). Loading checks, in order: the file, the JSON syntax, the kind, required fields, unknown fields and
/// types, value ranges, and finally that a model can be built; every error names the file and the field.
/// </summary>
public static class DeviceProfileJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private static readonly string[] RequiredTop = ["name", "kind", "capacityBytes"];

    private static readonly Dictionary<string, string[]> RequiredPerKind = new()
    {
        ["hdd"] = ["rpm", "avgSeekMs", "trackToTrackMs", "fullStrokeMs", "sustainedOuterMBps", "sustainedInnerMBps", "headSwitchMs", "heads", "zones"],
        ["ssd"] = ["channels", "diesPerChannel", "pageBytes", "readUs", "programUs", "channelMBps"],
        ["ram"] = [],
    };

    public static string Serialize(DeviceProfile profile) => JsonSerializer.Serialize(profile, Options);

    public static bool TryLoad(string path, out DeviceProfile? profile, out string error)
    {
        profile = null;
        string json;
        try
        {
            if (!File.Exists(path))
            {
                error = $"{path}: device file not found";
                return false;
            }
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = $"{path}: cannot read the device file: {e.Message}";
            return false;
        }
        return TryParse(json, path, out profile, out error);
    }

    /// <summary>Reads a profile, or a catalog entry (what <c>hwstack devices --json</c> prints for one device).</summary>
    public static bool TryParse(string json, string sourceName, out DeviceProfile? profile, out string error)
    {
        profile = null;
        if (DeviceCatalogForm.IsCatalogForm(json))
            return TryParseCatalogEntry(json, sourceName, out profile, out error);
        if (!TryCheckShape(json, out error) || !TryDeserialize(json, out profile, out error)
            || !MediaModels.TryCreate(profile!, out _, out error))
        {
            profile = null;
            error = $"{sourceName}: {error}";
            return false;
        }
        return true;
    }

    private static bool TryParseCatalogEntry(string json, string sourceName, out DeviceProfile? profile, out string error)
    {
        profile = null;
        if (!DeviceCatalogForm.TryToProfile(json, out string profileJson, out var derived, out error))
        {
            error = $"{sourceName}: {error}";
            return false;
        }
        if (!TryParse(profileJson, sourceName, out DeviceProfile? parsed, out error))
        {
            error = DeviceCatalogForm.CatalogNames(error, DeviceCatalogForm.KindOf(profileJson));
            return false;
        }
        if (!DeviceCatalogForm.TryCheckDerived(parsed!, derived, out error))
        {
            error = $"{sourceName}: {error}";
            return false;
        }
        profile = parsed;
        return true;
    }

    /// <summary>A preset name (see <see cref="DevicePresets"/>) or the path of a .json device file.</summary>
    public static bool TryResolve(string nameOrPath, out DeviceProfile? profile, out string error)
    {
        if (DevicePresets.TryGet(nameOrPath, out DeviceProfile? preset))
        {
            profile = preset;
            error = "";
            return true;
        }
        if (nameOrPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || File.Exists(nameOrPath))
            return TryLoad(nameOrPath, out profile, out error);
        profile = null;
        string names = string.Join(", ", DevicePresets.All.Select(p => p.Name));
        error = $"'{nameOrPath}' is neither a device preset ({names}) nor a .json device file";
        return false;
    }

    private static bool TryCheckShape(string json, out string error)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(json, new JsonDocumentOptions
            {
                CommentHandling = JsonCommentHandling.Skip,
                AllowTrailingCommas = true,
            });
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = "a device file holds one JSON object";
                return false;
            }
            if (!TryRequire(root, "", RequiredTop, out error)) return false;
            JsonElement kindElement = root.GetProperty("kind");
            string? kind = kindElement.ValueKind == JsonValueKind.String ? kindElement.GetString() : null;
            if (kind is null || !RequiredPerKind.TryGetValue(kind, out string[]? sectionFields))
            {
                error = $"field 'kind' = {kindElement.GetRawText()} is not a known kind (expected {string.Join(", ", MediaModels.Kinds)})";
                return false;
            }
            if (!root.TryGetProperty(kind, out JsonElement section) || section.ValueKind == JsonValueKind.Null)
            {
                if (sectionFields.Length == 0) return true;
                error = $"section '{kind}' is missing";
                return false;
            }
            if (section.ValueKind != JsonValueKind.Object)
            {
                error = $"section '{kind}' must be an object";
                return false;
            }
            return TryRequire(section, kind + ".", sectionFields, out error);
        }
        catch (JsonException e)
        {
            error = $"not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {FirstSentence(e.Message)}";
            return false;
        }
    }

    private static bool TryRequire(JsonElement element, string prefix, string[] fields, out string error)
    {
        foreach (string field in fields)
        {
            if (!element.TryGetProperty(field, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
            {
                error = $"field '{prefix}{field}' is missing";
                return false;
            }
        }
        error = "";
        return true;
    }

    private static bool TryDeserialize(string json, out DeviceProfile? profile, out string error)
    {
        try
        {
            profile = JsonSerializer.Deserialize<DeviceProfile>(json, Options);
            error = profile is null ? "a device file holds one JSON object" : "";
            return profile is not null;
        }
        catch (JsonException e)
        {
            profile = null;
            string field = (e.Path ?? "$").TrimStart('$').TrimStart('.');
            error = $"field '{field}' is not valid: {e.Message}";
            return false;
        }
    }

    /// <summary>The parser's explanation up to its own position suffix, on one line (it may quote the bad text, newlines and all).</summary>
    private static string FirstSentence(string message)
    {
        int position = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        string text = position < 0 ? message : message[..position];
        return string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim();
    }
}
