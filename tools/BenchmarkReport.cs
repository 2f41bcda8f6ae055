// Writes a full benchmark run into BENCHMARKS.md and README.md, so a new run needs no hand-copying of numbers. Machines
// differ, so BENCHMARKS.md keeps one section per machine, between <!-- machine: KEY --> and <!-- /machine: KEY -->,
// where KEY is the processor and vector width the run printed first ("machine: ..."); a run rewrites its own
// machine's section (or adds one above <!-- new machine sections go above this line -->), never another's. README's headline table (between
// <!-- headline --> and <!-- /headline -->) is the latest run's, with the machine named. Prose outside those blocks
// stays the author's: the tool prints the figures it quotes, for checking it.
//
//   cd Benchmarks && dotnet run -c Release -- --filter '*EngineBenchmarks*' '*FmaPeak*' '*GeneratorBenchmarks*' \
//       '*TrainingBenchmarks*' '*PlannerBenchmarks*' --launchCount 1 --warmupCount 3 --iterationCount 10 > /tmp/run.log
//   cd .. && dotnet run tools/BenchmarkReport.cs -- /tmp/run.log
//
// With a second argument, a directory, the rewritten files go there instead (CI does that with its dry run, so the
// tool cannot rot).
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

if (args.Length is not (1 or 2) || !File.Exists(args[0]))
{
    Console.Error.WriteLine("usage: dotnet run tools/BenchmarkReport.cs -- <console output of a full benchmark run> [output directory]");
    return 2;
}

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
string root = Directory.GetCurrentDirectory();
if (!File.Exists(Path.Combine(root, "BENCHMARKS.md")))
{
    Console.Error.WriteLine("Run this from the repository root (where BENCHMARKS.md is).");
    return 2;
}

string output = args.Length == 2 ? Directory.CreateDirectory(args[1]).FullName : root;
string[] log = File.ReadAllLines(args[0]);
List<Dictionary<string, string>> results = Summaries(log);

// "machine: AMD EPYC (family 25, model 17) | Vector512 | FMA peak 117.5 GFLOP/s ... | 2 cores | .NET 10.0.12"
string machineLine = log.FirstOrDefault(l => l.StartsWith("machine: ", StringComparison.Ordinal))
    ?? throw new InvalidDataException("The log has no 'machine:' line: was it written by the benchmark program?");
string[] machineFields = machineLine["machine: ".Length..].Split(" | ");
string machine = $"{machineFields[0]}, {machineFields[1]}";
string[] plans = log.Where(l => l.StartsWith("plan: ", StringComparison.Ordinal)).Select(l => l["plan: ".Length..]).ToArray();
string[] environment = log.Where(l => l.StartsWith("BenchmarkDotNet v", StringComparison.Ordinal) || l.Contains(", 1 CPU, ", StringComparison.Ordinal)
    || l.StartsWith(".NET SDK ", StringComparison.Ordinal) || l.StartsWith("  [Host]", StringComparison.Ordinal)).Distinct().ToArray();

string[] workloads = ["2x2 m5", "8x3 m64", "64x16 m256", "784x64 m128", "2048x256 m256"];
string[] engines = ["AeGen", "Loops", "TensorPrimitives", "MathNet", "TorchSharp"];
Dictionary<string, string> Row(string method, params (string Key, string Value)[] match) =>
    results.FirstOrDefault(r => r["Method"] == method && match.All(m => r.GetValueOrDefault(m.Key) == m.Value))
    ?? throw new InvalidDataException($"The log has no result for {method} with {string.Join(", ", match.Select(m => $"{m.Key} = {m.Value}"))}: was the run complete?");
Dictionary<string, string> Engine(string workload, string category, string engine) => Row($"{category}_{engine}", ("Workload", workload));

double peak = Number(Row("TenChainsOfFma", ("Threads", "1"))["GFLOP/s"]);
double peakTwo = Number(Row("TenChainsOfFma", ("Threads", "2"))["GFLOP/s"]);
double Ratio(string workload, string category, string engine) => Number(Engine(workload, category, engine)["Ratio"]);
double Fraction(string workload, string category) => 100 * Number(Engine(workload, category, "AeGen")["GFLOP/s"]) / peak;

var table = new StringBuilder();
table.AppendLine("| workload | category | engine | mean | ratio | GFLOP/s | % of peak | allocated |");
table.AppendLine("|---|---|---|---:|---:|---:|---:|---:|");
foreach (string category in new[] { "Forward", "TrainStep" })
{
    foreach (string workload in workloads)
    {
        // ONNX Runtime runs the exported model for inference only.
        foreach (string engine in category == "Forward" ? [.. engines, "OnnxRuntime"] : engines)
        {
            Dictionary<string, string> r = Engine(workload, category, engine);
            table.AppendLine($"| {workload} | {category} | {engine} | {r["Mean"]} | {r["Ratio"]} | {r["GFLOP/s"]} | " +
                $"{100 * Number(r["GFLOP/s"]) / peak:F0}% | {Allocated(r["Allocated"])} |");
        }
    }
}

var fma = new StringBuilder("| threads | mean | GFLOP/s (all threads) |\n|---|---:|---:|\n");
foreach (string threads in new[] { "1", "2" })
{
    Dictionary<string, string> r = Row("TenChainsOfFma", ("Threads", threads));
    fma.AppendLine($"| {threads} | {r["Mean"]} | {r["GFLOP/s"]} |");
}

var generator = new StringBuilder("| shape | mean |\n|---|---:|\n");
foreach (string shape in new[] { "1024, 256", "64, 16", "8, 3" })
{
    generator.AppendLine($"| {shape} | {Row("RunGeneratorsAndUpdateCompilation", ("Shape", shape))["Mean"]} |");
}

string[] trainings = ["64x16 b1024", "784x64 b256", "2048x256 b256"];
var training = new StringBuilder("| training | one thread | two threads | speedup | allocated per `Fit` |\n|---|---:|---:|---:|---:|\n");
var speedups = new Dictionary<string, double>();
foreach (string name in trainings)
{
    Dictionary<string, string> one = Row("Fit", ("Training", name), ("Threads", "1"));
    Dictionary<string, string> two = Row("Fit", ("Training", name), ("Threads", "2"));
    speedups[name] = Milliseconds(one["Mean"]) / Milliseconds(two["Mean"]);
    training.AppendLine($"| {name} | {one["Mean"]} | {two["Mean"]} | {speedups[name]:F2}× | {Allocated(two["Allocated"])} |");
}

var planner = new StringBuilder("| shape | measuring its plan |\n|---|---:|\n");
foreach (string shape in new[] { "64x16", "784x64", "2048x256" })
{
    planner.AppendLine($"| {shape} | {Row("PlanTheShape", ("Shape", shape))["Mean"]} |");
}

(string Shape, string Workload, string Target)[] shapes =
[
    ("2×2, m = 5", "2x2 m5", "TrainStep ≥ 2,000× TorchSharp, 0 B"),
    ("8×3, m = 64", "8x3 m64", "(no target)"),
    ("64×16, m = 256", "64x16 m256", "TrainStep ≥ 70%, Forward ≥ 80%, TrainStep ≥ 6× TorchSharp"),
    ("784×64, m = 128", "784x64 m128", "≥ 70%, ≥ 85%, TrainStep ≥ 2×"),
    ("2048×256, m = 256", "2048x256 m256", "≥ 65%, ≥ 80%, TrainStep ≥ 1.5×"),
];
var targets = new StringBuilder("| shape | vs TorchSharp (TrainStep / Forward) | vs Loops (TrainStep / Forward) | fraction of FMA peak (TrainStep / Forward) | target |\n|---|---|---|---|---|\n");
foreach ((string shape, string workload, string target) in shapes)
{
    string fraction = workload is "2x2 m5" ? "—" : $"{Fraction(workload, "TrainStep"):F0}% / {Fraction(workload, "Forward"):F0}%";
    targets.AppendLine($"| {shape} | {Times(Ratio(workload, "TrainStep", "TorchSharp"))} / {Times(Ratio(workload, "Forward", "TorchSharp"))} | " +
        $"{Times(Ratio(workload, "TrainStep", "Loops"))} / {Times(Ratio(workload, "Forward", "Loops"))} | {fraction} | {target} |");
}

string date = File.GetLastWriteTimeUtc(args[0]).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
string commit = Git("rev-parse --short HEAD") ?? "unknown";
string dirty = string.IsNullOrWhiteSpace(Git("status --porcelain --untracked-files=no -- Runtime Generator Benchmarks")) ? "" : " plus uncommitted changes";
var section = new StringBuilder();
section.AppendLine($"### {machine}");
section.AppendLine();
section.AppendLine($"Measured {date} at commit {commit}{dirty}. FMA peak {peak:F1} GFLOP/s on one thread ({peakTwo:F1} on two). BenchmarkDotNet's environment:");
section.AppendLine();
section.AppendLine("```");
foreach (string line in environment)
{
    section.AppendLine(line.TrimEnd());
}

section.AppendLine("```");
section.AppendLine();
section.AppendLine("The kernel plans every benchmark process of the run used:");
section.AppendLine();
foreach (string plan in plans)
{
    section.AppendLine($"- {plan}");
}

section.AppendLine();
section.Append(table).AppendLine();
section.AppendLine("FMA peak:").AppendLine().Append(fma).AppendLine();
section.AppendLine("Training (`TrainingBenchmarks`, `Fit` on one and two threads):").AppendLine().Append(training).AppendLine();
section.AppendLine("Planning (`PlannerBenchmarks`, measuring a shape's plan once its kernels are compiled):").AppendLine().Append(planner).AppendLine();
section.AppendLine("The generator (`GeneratorBenchmarks`, one model per compilation):").AppendLine().Append(generator).AppendLine();
section.AppendLine("Against the targets of the kernels issue:").AppendLine().Append(targets);

var headline = new StringBuilder($"Measured {date} on {machine} (FMA peak {peak:F1} GFLOP/s):\n\n");
headline.AppendLine("| workload (n×k, batch m) | TorchSharp | plain loops | TensorPrimitives | MathNet | AeGen | AeGen allocated |\n|---|---:|---:|---:|---:|---:|---:|");
bool first = true;
foreach ((string shape, string workload, string category) in new[]
{
    ("2×2, m = 5", "2x2 m5", "TrainStep"), ("2×2, m = 5", "2x2 m5", "Forward"), ("8×3, m = 64", "8x3 m64", "TrainStep"),
    ("64×16, m = 256", "64x16 m256", "TrainStep"), ("64×16, m = 256", "64x16 m256", "Forward"),
    ("784×64, m = 128", "784x64 m128", "TrainStep"), ("784×64, m = 128", "784x64 m128", "Forward"),
    ("2048×256, m = 256", "2048x256 m256", "TrainStep"), ("2048×256, m = 256", "2048x256 m256", "Forward"),
})
{
    Dictionary<string, string> aegen = Engine(workload, category, "AeGen");
    string speed = workload is "2x2 m5" or "8x3 m64"
        ? Duration(aegen["Mean"])
        : $"{Duration(aegen["Mean"])}, {Number(aegen["GFLOP/s"]):F0} GFLOP/s ({Fraction(workload, category):F0}% of peak)";
    string slower = first ? " slower" : "";
    first = false;
    headline.AppendLine($"| {shape}: {category} | {Times(Ratio(workload, category, "TorchSharp"))}{slower} | " +
        $"{Times(Ratio(workload, category, "Loops"))} | {Times(Ratio(workload, category, "TensorPrimitives"))} | " +
        $"{Times(Ratio(workload, category, "MathNet"))} | {speed} | {Allocated(aegen["Allocated"])} |");
}

WriteMachineSection("BENCHMARKS.md", machine, section.ToString());
ReplaceBlock("README.md", "headline", headline.ToString());

Console.WriteLine($"{machine}: FMA peak {peak:F1} GFLOP/s on one thread; the second thread added {100 * (peakTwo / peak - 1):F0}% of a core.");
foreach (string name in trainings)
{
    Console.WriteLine($"Fit {name} on two threads: {speedups[name]:F2}×.");
}

foreach ((string shape, string workload, _) in shapes)
{
    Console.WriteLine($"{shape}: Forward {Engine(workload, "Forward", "AeGen")["Mean"]} ({Times(Ratio(workload, "Forward", "TorchSharp"))} TorchSharp, " +
        $"{Times(Ratio(workload, "Forward", "OnnxRuntime"))} ONNX Runtime, " +
        $"{Fraction(workload, "Forward"):F0}% of peak), TrainStep {Engine(workload, "TrainStep", "AeGen")["Mean"]} " +
        $"({Times(Ratio(workload, "TrainStep", "TorchSharp"))} TorchSharp, {Fraction(workload, "TrainStep"):F0}% of peak)");
}

return 0;

// Every row of every summary table in the log, keyed by its table's column names.
static List<Dictionary<string, string>> Summaries(string[] lines)
{
    var rows = new List<Dictionary<string, string>>();
    string[]? columns = null;
    foreach (string line in lines)
    {
        if (!line.StartsWith("| ", StringComparison.Ordinal))
        {
            continue; // separator lines start with "|-"
        }

        string[] cells = line.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray();
        if (cells[0] == "Method")
        {
            columns = cells;
        }
        else if (columns is not null && cells.Length == columns.Length)
        {
            rows.Add(columns.Zip(cells).ToDictionary(p => p.First, p => p.Second));
        }
    }

    return rows;
}

// This machine's section of the file: replaced where it is, or added before the end marker of the machines.
void WriteMachineSection(string file, string key, string content)
{
    string text = File.ReadAllText(Path.Combine(root, file));
    string open = $"<!-- machine: {key} -->\n", close = $"<!-- /machine: {key} -->";
    int start = text.IndexOf(open, StringComparison.Ordinal);
    int end = text.IndexOf(close, StringComparison.Ordinal);
    if (start >= 0 && end > start)
    {
        text = text[..(start + open.Length)] + content + text[end..];
    }
    else
    {
        const string Machines = "<!-- new machine sections go above this line -->";
        int at = text.IndexOf(Machines, StringComparison.Ordinal);
        if (at < 0)
        {
            throw new InvalidDataException($"{file} has no section for {key} and no '{Machines}' line to add one before.");
        }

        text = text[..at] + open + content + close + "\n\n" + text[at..];
    }

    Write(file, text, $"the section of {key}");
}

void ReplaceBlock(string file, string name, string content)
{
    string text = File.ReadAllText(Path.Combine(root, file));
    string open = $"<!-- {name} -->\n", close = $"<!-- /{name} -->";
    int start = text.IndexOf(open, StringComparison.Ordinal);
    int end = text.IndexOf(close, StringComparison.Ordinal);
    if (start < 0 || end < start)
    {
        throw new InvalidDataException($"{file} has no '<!-- {name} -->' … '<!-- /{name} -->' block.");
    }

    Write(file, text[..(start + open.Length)] + content + text[end..], name);
}

void Write(string file, string text, string what)
{
    string path = Path.Combine(output, file);
    File.WriteAllText(path, text);
    Console.WriteLine($"rewrote {what} in {path}");
}

string? Git(string arguments)
{
    try
    {
        using var git = Process.Start(new ProcessStartInfo("git", arguments) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root })!;
        string text = git.StandardOutput.ReadToEnd().Trim();
        git.WaitForExit();
        return git.ExitCode == 0 ? text : null;
    }
    catch (System.ComponentModel.Win32Exception)
    {
        return null;
    }
}

static double Number(string cell) => double.Parse(cell.Replace(",", ""), CultureInfo.InvariantCulture);

static string Times(double ratio) => ratio >= 100 ? $"{ratio:N0}×" : $"{ratio:F1}×";

static string Allocated(string cell) => cell == "-" ? "0 B" : cell;

static double Milliseconds(string mean)
{
    string[] parts = mean.Split(' ');
    double scale = parts[1] switch { "ns" => 1e-6, "us" or "μs" => 1e-3, "ms" => 1, "s" => 1e3, _ => throw new InvalidDataException($"unit of '{mean}'") };
    return Number(parts[0]) * scale;
}

// Three significant digits in the largest unit that keeps the number at or above 1.
static string Duration(string mean)
{
    double ms = Milliseconds(mean);
    (double value, string unit) = ms >= 1 ? (ms, "ms") : ms >= 1e-3 ? (ms * 1e3, "µs") : (ms * 1e6, "ns");
    return value >= 100 ? $"{value:F0} {unit}" : value >= 10 ? $"{value:F1} {unit}" : $"{value:F2} {unit}";
}
