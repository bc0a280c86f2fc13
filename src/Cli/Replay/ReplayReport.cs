using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hardware.Cli.Workloads;
using Hardware.Cli.Workloads.Fio;

namespace Hardware.Cli.Replay;

/// <summary>
/// A replay reported as <c>hwstack run</c> reports: fio's text with a closing replay line, or fio's JSON whose
/// "hwstack" object also holds mode, depth, speed, ios, trace_span_seconds, peak_in_flight and behind_schedule_max_ns.
/// </summary>
public static class ReplayReport
{
    public static string Text(ReplayResult result)
    {
        ReplayOptions options = result.Options;
        string depth = options.Mode == ReplayMode.Closed ? $"depth {options.Depth}"
            : options.Depth > 0 ? $"at most {options.Depth} in flight" : "no depth cap";
        return FioTextWriter.Write(result.Workload) + string.Create(CultureInfo.InvariantCulture,
            $"replay: {result.Ios} I/Os of {options.Name}, {Mode(options.Mode)} loop, {depth}, speed {options.Speed:G}: trace span {result.TraceSpanNs / 1e9:F3} s, peak {result.PeakInFlight} in flight, behind schedule at most {result.BehindScheduleMaxNs / 1e3:F1} us{Environment.NewLine}");
    }

    public static string Json(ReplayResult result, MachineSpec machine)
    {
        JsonNode document = JsonNode.Parse(FioJsonWriter.Write(result.Workload, machine))!;
        JsonObject hwstack = document["hwstack"]!.AsObject();
        hwstack["mode"] = Mode(result.Options.Mode);
        hwstack["depth"] = result.Options.Depth;
        hwstack["speed"] = result.Options.Speed;
        hwstack["ios"] = result.Ios;
        hwstack["trace_span_seconds"] = result.TraceSpanNs / 1e9;
        hwstack["peak_in_flight"] = result.PeakInFlight;
        hwstack["behind_schedule_max_ns"] = result.BehindScheduleMaxNs;
        return document.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    public static string Mode(ReplayMode mode) => mode == ReplayMode.Closed ? "closed" : "open";
}
