using System.Linq;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace AeGen.Benchmarks;

/// <summary>BenchmarkDotNet's defaults plus the GFLOP/s each engine reaches on its workload.</summary>
public static class FlopsConfig
{
    public static IConfig Create() => DefaultConfig.Instance.AddColumn(new GflopsColumn());

    private sealed class GflopsColumn : IColumn
    {
        public string Id => "GFLOPS";

        public string ColumnName => "GFLOP/s";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => 0;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => "Floating-point operations per second: 2m(2nk + n²) for Forward, 6mn² + 10mnk for TrainStep, 2 per lane of each FMA for the peak";

        public bool IsAvailable(Summary summary) => true;

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            double? median = summary[benchmarkCase]?.ResultStatistics?.Median;
            if (median is not null && benchmarkCase.Descriptor.Type == typeof(FmaPeakBenchmark))
            {
                int threads = (int)benchmarkCase.Parameters.Items.First(p => p.Name == nameof(FmaPeakBenchmark.Threads)).Value;
                return (FmaPeakBenchmark.Flops(threads) / median.Value).ToString("F2", System.Globalization.CultureInfo.InvariantCulture);
            }

            string? workload = benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == "Workload")?.Value as string;
            if (median is null || workload is null)
            {
                return "-";
            }

            Workload w = Workload.Named(workload);
            double flops = benchmarkCase.Descriptor.Categories.Contains("Forward") ? w.ForwardFlops : w.TrainStepFlops;
            return (flops / median.Value).ToString("F2", System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
