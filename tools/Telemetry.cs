// A telemetry data set for trying a detector made by `dotnet new aegen-detector`, and the check of how well it did.
// Twelve columns of very different scales (CPU percent, memory in MB, I/O per second, latency in ms, an error rate, …)
// driven by one hidden load with a daily cycle, so that normal rows lie near a curve in 12 dimensions; the anomalies
// are of five kinds, each a way real servers go wrong: a latency spike, a CPU runaway that the traffic does not
// explain, a dead temperature sensor, a memory leak, and traffic that drops while the machine stays busy.
//
//   dotnet run tools/Telemetry.cs -- make FOLDER        writes normal.csv (16,000 clean rows), incoming.csv (4,000 rows,
//                                                      5% anomalies) and mixed.csv (16,000 rows, 3% anomalies: training
//                                                      data that is not clean), the last two with -labels.csv files
//                                                      (row, anomalous, kind)
//   dotnet run tools/Telemetry.cs -- check SCORES LABELS MINIMUM
//                                                      precision and recall of a score command's row,score,anomalous
//                                                      file against the labels; fails below MINIMUM (0.9 for 90%)
using System;
using System.Globalization;
using System.IO;
using System.Linq;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
if (args is ["make", string folder])
{
    Directory.CreateDirectory(folder);
    var random = new Random(20261201);
    Write(Path.Combine(folder, "normal.csv"), null, 16_000, 0, random);
    Write(Path.Combine(folder, "incoming.csv"), Path.Combine(folder, "incoming-labels.csv"), 4_000, 0.05, random);
    Write(Path.Combine(folder, "mixed.csv"), Path.Combine(folder, "mixed-labels.csv"), 16_000, 0.03, random);
    Console.WriteLine($"telemetry: normal.csv, incoming.csv and mixed.csv, with incoming-labels.csv and mixed-labels.csv, in {Path.GetFullPath(folder)}");
    return 0;
}

if (args is ["check", string scores, string labels, string minimum])
{
    bool[] flagged = File.ReadLines(scores).Skip(1).Select(line => line.Split(',')[2] == "1").ToArray();
    bool[] truth = File.ReadLines(labels).Skip(1).Select(line => line.Split(',')[1] == "1").ToArray();
    if (flagged.Length != truth.Length)
    {
        Console.Error.WriteLine($"telemetry check: {scores} has {flagged.Length} rows, {labels} {truth.Length}.");
        return 1;
    }

    int tp = flagged.Zip(truth).Count(p => p.First && p.Second);
    int fp = flagged.Zip(truth).Count(p => p.First && !p.Second);
    int fn = flagged.Zip(truth).Count(p => !p.First && p.Second);
    double precision = tp + fp == 0 ? 0 : (double)tp / (tp + fp), recall = (double)tp / (tp + fn);
    double bar = double.Parse(minimum, CultureInfo.InvariantCulture);
    bool met = precision >= bar && recall >= bar;
    Console.WriteLine($"telemetry check: precision {precision:P1}, recall {recall:P1} ({tp} anomalies caught, {fp} false alarms, {fn} missed); {(met ? "meets" : "MISSES")} {bar:P0}");
    return met ? 0 : 1;
}

Console.Error.WriteLine("usage: dotnet run tools/Telemetry.cs -- make FOLDER | check SCORES LABELS MINIMUM");
return 2;

// Rows one minute apart; a share of them anomalous, each of a kind drawn at random. Labels: row (from 0), anomalous, kind.
static void Write(string path, string? labelsPath, int rows, double anomalous, Random random)
{
    string[] names = ["cpu_pct", "mem_mb", "disk_iops", "net_in_kbps", "net_out_kbps", "latency_ms", "error_rate", "threads", "gc_pause_ms", "queue_depth", "temp_c", "requests_per_s"];
    using var writer = new StreamWriter(path);
    using StreamWriter? labels = labelsPath is null ? null : new StreamWriter(labelsPath);
    writer.WriteLine(string.Join(',', names));
    labels?.WriteLine("row,anomalous,kind");
    double memory = 0.4;
    for (int r = 0; r < rows; r++)
    {
        double load = Math.Clamp(0.5 + (0.35 * Math.Sin(2 * Math.PI * r / 1440)) + Gauss(random, 0.06), 0.03, 1);
        memory = Math.Clamp(memory + Gauss(random, 0.01) + ((0.4 - memory) * 0.05), 0.2, 0.7);
        double[] v =
        [
            (100 * Math.Pow(load, 0.9)) + Gauss(random, 2),
            4000 + (10000 * memory) + Gauss(random, 150),
            300 + (4000 * load * load) + Gauss(random, 80),
            (20000 * load) + Gauss(random, 600),
            (35000 * load) + Gauss(random, 900),
            8 + (40 * load * load * load) + Math.Abs(Gauss(random, 1.5)),
            0.001 + (0.004 * load * load) + Math.Abs(Gauss(random, 0.0004)),
            60 + (300 * load) + Gauss(random, 6),
            2 + (15 * memory * load) + Math.Abs(Gauss(random, 0.5)),
            (50 * Math.Pow(load, 4)) + Math.Abs(Gauss(random, 1)),
            42 + (30 * load) + Gauss(random, 0.8),
            (1500 * load) + Gauss(random, 40),
        ];
        string kind = "normal";
        if (random.NextDouble() < anomalous)
        {
            switch (random.Next(5))
            {
                case 0: // latency spike: a slow dependency
                    kind = "latency-spike";
                    v[5] = (v[5] * 3) + 60;
                    v[6] *= 4;
                    v[9] += 30;
                    break;
                case 1: // a runaway process: CPU and threads high, traffic as it was
                    kind = "cpu-runaway";
                    v[0] = 97 + Gauss(random, 1);
                    v[7] += 150;
                    break;
                case 2: // a dead sensor
                    kind = "dead-sensor";
                    v[10] = 0;
                    break;
                case 3: // a memory leak: memory at its limit, long collections
                    kind = "memory-leak";
                    v[1] = 15800 + Gauss(random, 50);
                    v[8] = (v[8] * 3) + 20;
                    break;
                default: // traffic gone while the machine stays busy
                    kind = "traffic-drop";
                    v[3] *= 0.05;
                    v[4] *= 0.05;
                    v[11] *= 0.05;
                    break;
            }
        }

        writer.WriteLine(string.Join(',', v.Select(x => x.ToString("G6", CultureInfo.InvariantCulture))));
        labels?.WriteLine($"{r},{(kind == "normal" ? 0 : 1)},{kind}");
    }
}

static double Gauss(Random random, double sigma) =>
    sigma * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
