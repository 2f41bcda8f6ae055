// Rewrites the generated tables of BENCHMARKS.md and README.md from the console output of a full benchmark run, so a
// new run needs no hand-copying of numbers. The prose around the tables stays the author's: the tool prints the
// figures it quotes (peak, training speedup, the ratios against the targets) for checking it.
//
//   cd Benchmarks && dotnet run -c Release -- --filter '*EngineBenchmarks*' '*FmaPeak*' '*GeneratorBenchmarks*' \
//       '*TrainingBenchmarks*' --launchCount 1 --warmupCount 3 --iterationCount 10 > /tmp/run.log
//   cd .. && dotnet run tools/BenchmarkReport.cs -- /tmp/run.log
//
// A table is the text between the lines <!-- name --> and <!-- /name --> of the two files. With a second argument, a
// directory, the rewritten files go there instead (CI does that with its dry run, so the tool cannot rot).
using System;
using System.Collections.Generic;
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

List<Dictionary<string, string>> results = Summaries(File.ReadAllLines(args[0]));

string[] workloads = ["2x2 m5", "8x3 m64", "64x16 m256", "784x64 m128"];
string[] engines = ["AeGen", "Loops", "TensorPrimitives", "MathNet", "TorchSharp"];
Dictionary<string, string> Row(string method, string key, string value) =>
    results.FirstOrDefault(r => r["Method"] == method && r.GetValueOrDefault(key) == value)
    ?? throw new InvalidDataException($"The log has no result for {method} with {key} = {value}: was the run complete?");
Dictionary<string, string> Engine(string workload, string category, string engine) =>
    Row($"{category}_{engine}", "Workload", workload);

double peak = Number(Row("TenChainsOfFma", "Threads", "1")["GFLOP/s"]);
double peakTwo = Number(Row("TenChainsOfFma", "Threads", "2")["GFLOP/s"]);
double Ratio(string workload, string category, string engine) => Number(Engine(workload, category, engine)["Ratio"]);
double Fraction(string workload, string category) => 100 * Number(Engine(workload, category, "AeGen")["GFLOP/s"]) / peak;

var table = new StringBuilder();
table.AppendLine("| workload | category | engine | mean | ratio | GFLOP/s | % of peak | allocated |");
table.AppendLine("|---|---|---|---:|---:|---:|---:|---:|");
foreach (string category in new[] { "Forward", "TrainStep" })
{
    foreach (string workload in workloads)
    {
        foreach (string engine in engines)
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
    Dictionary<string, string> r = Row("TenChainsOfFma", "Threads", threads);
    fma.AppendLine($"| {threads} | {r["Mean"]} | {r["GFLOP/s"]} |");
}

var generator = new StringBuilder("| shape | mean |\n|---|---:|\n");
foreach (string shape in new[] { "1024, 256", "64, 16", "8, 3" })
{
    generator.AppendLine($"| {shape} | {Row("RunGeneratorsAndUpdateCompilation", "Shape", shape)["Mean"]} |");
}

var training = new StringBuilder("| threads | mean | allocated (per `Fit`) |\n|---|---:|---:|\n");
foreach (string threads in new[] { "1", "2" })
{
    Dictionary<string, string> r = Row("FourEpochsOfBatch1024", "Threads", threads);
    training.AppendLine($"| {threads} | {r["Mean"]} | {r["Allocated"]} |");
}

(string Shape, string Workload, string Target)[] shapes =
[
    ("2×2, m = 5", "2x2 m5", "≥ 1,000× and ≥ 5×"),
    ("8×3, m = 64", "8x3 m64", "(no target)"),
    ("64×16, m = 256", "64x16 m256", "≥ 3×, ≥ 3×, ≥ 50%"),
    ("784×64, m = 128", "784x64 m128", "parity, ≥ 4×, ≥ 45%"),
];
var targets = new StringBuilder("| shape | vs TorchSharp (TrainStep / Forward) | vs Loops (TrainStep / Forward) | TrainStep, fraction of FMA peak | target |\n|---|---|---|---|---|\n");
foreach ((string shape, string workload, string target) in shapes)
{
    string fraction = workload == "2x2 m5" ? "—" : $"{Fraction(workload, "TrainStep"):F0}%";
    targets.AppendLine($"| {shape} | {Times(Ratio(workload, "TrainStep", "TorchSharp"))} / {Times(Ratio(workload, "Forward", "TorchSharp"))} | " +
        $"{Times(Ratio(workload, "TrainStep", "Loops"))} / {Times(Ratio(workload, "Forward", "Loops"))} | {fraction} | {target} |");
}

var headline = new StringBuilder("| workload (n×k, batch m) | TorchSharp | plain loops | TensorPrimitives | MathNet | AeGen | AeGen allocated |\n|---|---:|---:|---:|---:|---:|---:|\n");
bool first = true;
foreach ((string shape, string workload, string category) in new[]
{
    ("2×2, m = 5", "2x2 m5", "TrainStep"), ("2×2, m = 5", "2x2 m5", "Forward"), ("8×3, m = 64", "8x3 m64", "TrainStep"),
    ("64×16, m = 256", "64x16 m256", "TrainStep"), ("64×16, m = 256", "64x16 m256", "Forward"),
    ("784×64, m = 128", "784x64 m128", "TrainStep"), ("784×64, m = 128", "784x64 m128", "Forward"),
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

Replace("BENCHMARKS.md", ("results", table), ("fma", fma), ("generator", generator), ("training", training), ("targets", targets));
Replace("README.md", ("headline", headline));

double one = Milliseconds(Row("FourEpochsOfBatch1024", "Threads", "1")["Mean"]);
double two = Milliseconds(Row("FourEpochsOfBatch1024", "Threads", "2")["Mean"]);
Console.WriteLine($"FMA peak {peak:F1} GFLOP/s on one thread; the second thread added {100 * (peakTwo / peak - 1):F0}% of a core.");
Console.WriteLine($"Training on two threads: {one:F3} / {two:F3} ms = {one / two:F2}×.");
foreach ((string shape, string workload, _) in shapes)
{
    Console.WriteLine($"{shape}: Forward {Engine(workload, "Forward", "AeGen")["Mean"]} ({Times(Ratio(workload, "Forward", "TorchSharp"))} TorchSharp), " +
        $"TrainStep {Engine(workload, "TrainStep", "AeGen")["Mean"]} ({Times(Ratio(workload, "TrainStep", "TorchSharp"))} TorchSharp, " +
        $"{Fraction(workload, "TrainStep"):F0}% of peak)");
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

void Replace(string file, params (string Name, StringBuilder Text)[] tables)
{
    string text = File.ReadAllText(Path.Combine(root, file));
    foreach ((string name, StringBuilder content) in tables)
    {
        string open = $"<!-- {name} -->\n", close = $"<!-- /{name} -->";
        int start = text.IndexOf(open, StringComparison.Ordinal);
        int end = text.IndexOf(close, StringComparison.Ordinal);
        if (start < 0 || end < start)
        {
            throw new InvalidDataException($"{file} has no '<!-- {name} -->' … '<!-- /{name} -->' block.");
        }

        text = text[..(start + open.Length)] + content + text[end..];
    }

    string path = Path.Combine(output, file);
    File.WriteAllText(path, text);
    Console.WriteLine($"rewrote {string.Join(", ", tables.Select(t => t.Name))} in {path}");
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
