using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Reflection;
using System.Threading.Tasks;
using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

// usage: AeGen.TestRunner <namespace or class> [...] [!<namespace or class> ...] [!~<text> ...]
// Runs every [Fact] and every case of every [Theory] of the test classes in those namespaces (and below), except
// those named after a '!' and the cases whose full name (class, method and arguments) contains a text after '!~',
// one at a time, and ends with one line "N passed, N failed" after the eight slowest cases. The tests use nothing of xunit but facts, theories with inline
// and member data, constructors, IDisposable and ITestOutputHelper, which is all this runner provides.
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: AeGen.TestRunner <namespace> [<namespace> ...], such as AeGen.Tests.Numerics");
    return 2;
}

Assembly tests = typeof(AeGen.Tests.Numerics.GradientTests).Assembly;
string[] included = args.Where(a => !a.StartsWith('!')).ToArray();
string[] excluded = args.Where(a => a.StartsWith('!') && !a.StartsWith("!~", StringComparison.Ordinal)).Select(a => a[1..]).ToArray();
string[] excludedCases = args.Where(a => a.StartsWith("!~", StringComparison.Ordinal)).Select(a => a[2..]).ToArray();
bool Named(Type t, string[] names) => names.Any(n => t.FullName == n || t.FullName!.StartsWith(n + ".", StringComparison.Ordinal));
int passed = 0, failed = 0, skipped = 0;
var clock = Stopwatch.StartNew();
var durations = new List<(double Seconds, string Name)>();
foreach (Type type in tests.GetTypes().Where(t => t.IsClass && !t.IsAbstract && t.IsPublic && Named(t, included) && !Named(t, excluded)).OrderBy(t => t.FullName, StringComparer.Ordinal))
{
    foreach (MethodInfo method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance).OrderBy(m => m.Name, StringComparer.Ordinal))
    {
        FactAttribute? fact = method.GetCustomAttribute<FactAttribute>();
        if (fact is null)
        {
            continue;
        }

        if (fact.Skip is not null)
        {
            skipped++;
            continue;
        }

        IEnumerable<object?[]> cases = fact is TheoryAttribute
            ? method.GetCustomAttributes<DataAttribute>().SelectMany(d => d.GetData(method))
            : [[]];
        foreach (object?[] arguments in cases)
        {
            string name = $"{type.FullName}.{method.Name}({string.Join(", ", arguments.Select(a => a?.ToString()))})";
            if (excludedCases.Any(text => name.Contains(text, StringComparison.Ordinal)))
            {
                continue;
            }

            long start = Stopwatch.GetTimestamp();
            try
            {
                Run(type, method, arguments);
                passed++;
            }
            catch (Exception e)
            {
                failed++;
                Exception cause = e is TargetInvocationException { InnerException: Exception inner } ? inner : e;
                Console.WriteLine($"  Failed {name}: {cause.GetType().Name}: {cause.Message}");
            }

            durations.Add((Stopwatch.GetElapsedTime(start).TotalSeconds, name));
        }
    }
}

// The slowest cases, for whoever has to keep an emulated run short.
foreach ((double seconds, string name) in durations.OrderByDescending(d => d.Seconds).Take(8))
{
    Console.WriteLine($"  slowest: {seconds,6:F1} s {name}");
}

Console.WriteLine($"{RuntimeDescription()}, {clock.Elapsed.TotalSeconds:F0} s");
Console.WriteLine(skipped > 0 ? $"{passed} passed, {failed} failed, {skipped} skipped" : $"{passed} passed, {failed} failed");
return failed == 0 ? 0 : 1;

static void Run(Type type, MethodInfo method, object?[] arguments)
{
    ConstructorInfo constructor = type.GetConstructors().OrderBy(c => c.GetParameters().Length).First();
    object instance = constructor.Invoke(constructor.GetParameters().Length == 0 ? [] : [new ConsoleOutput()]);
    try
    {
        object? result = method.Invoke(instance, arguments);
        if (result is Task task)
        {
            task.GetAwaiter().GetResult();
        }
    }
    finally
    {
        (instance as IDisposable)?.Dispose();
    }
}

static string RuntimeDescription() =>
    $"{System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture}, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, " +
    $"Vector128 {System.Runtime.Intrinsics.Vector128.IsHardwareAccelerated}, Vector256 {System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated}";

/// <summary>Test output goes to the console.</summary>
internal sealed class ConsoleOutput : ITestOutputHelper
{
    public void WriteLine(string message) => Console.WriteLine("    " + message);

    public void WriteLine(string format, params object[] args) => Console.WriteLine("    " + string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args));
}
