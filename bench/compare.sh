#!/usr/bin/env bash
# Reruns the quick check and prints each benchmark's mean and allocation against bench/baseline.json.
#   bench/compare.sh                 the quick check (see README): --quick --job short over every suite
#   bench/compare.sh '*Cache*'       only the benchmarks a filter names
#   bench/compare.sh --record [...]  runs as above and merges the figures into the baseline instead
# A ratio above 1 is slower than the baseline. Figures on a busy machine are noise: check `uptime` first.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
baseline="$root/bench/baseline.json"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
record=0
if [ "${1:-}" = "--record" ]; then
    record=1
    shift
fi
filters=("$@")
[ ${#filters[@]} -eq 0 ] && filters=('*')
# BenchmarkDotNet finds the project from the working directory: run from the root, artifacts in the scratch folder.
cd "$root"
dotnet run -c Release --project bench -- --quick --job short --exporters json --artifacts "$out/artifacts" --filter "${filters[@]}" >"$out/run.log" 2>&1 || {
    tail -40 "$out/run.log" >&2
    exit 1
}
python3 - "$record" "$baseline" "$out"/artifacts/results/*-report-full-compressed.json <<'PY'
import json, sys

def load(paths):
    found = {}
    for path in paths:
        with open(path) as f:
            for b in json.load(f)["Benchmarks"]:
                stats = b.get("Statistics") or {}
                memory = b.get("Memory") or {}
                # Parameters sorted by name: BenchmarkDotNet's order follows declaration and attribute kind.
                parameters = "&".join(sorted(b["Parameters"].split("&"))) if b.get("Parameters") else ""
                name = b["Type"] + "." + b["Method"] + ("(" + parameters + ")" if parameters else "")
                found[name] = {"mean_ns": stats.get("Mean"), "allocated_bytes": memory.get("BytesAllocatedPerOperation")}
    return found

record, baseline_path = sys.argv[1] == "1", sys.argv[2]
current = load(sys.argv[3:])
try:
    with open(baseline_path) as f:
        document = json.load(f)
except FileNotFoundError:
    document = {"note": "", "benchmarks": {}}
baseline = document["benchmarks"]
if record:
    failed = [name for name, figures in current.items() if figures["mean_ns"] is None]
    if failed:
        sys.exit("not recorded, these failed: " + ", ".join(failed))
    baseline.update(current)
    document["benchmarks"] = dict(sorted(baseline.items()))
    with open(baseline_path, "w") as f:
        json.dump(document, f, indent=1)
        f.write("\n")
    print(f"recorded {len(current)} benchmarks in {baseline_path}")
    sys.exit(0)
print(f"{'benchmark':<90} {'baseline':>12} {'now':>12} {'ratio':>7} {'alloc B':>9}")
for name in sorted(current):
    now = current[name]
    base = baseline.get(name)
    mean = now["mean_ns"]
    alloc = now["allocated_bytes"]
    if mean is None:
        print(f"{name:<90} {'':>12} {'failed':>12}")
        continue
    if base is None or not base.get("mean_ns"):
        print(f"{name:<90} {'(new)':>12} {mean:>10.1f}ns {'':>7} {alloc!s:>9}")
        continue
    ratio = mean / base["mean_ns"]
    flag = "  alloc was " + str(base.get("allocated_bytes")) if alloc != base.get("allocated_bytes") else ""
    print(f"{name:<90} {base['mean_ns']:>10.1f}ns {mean:>10.1f}ns {ratio:>7.2f} {alloc!s:>9}{flag}")
PY
