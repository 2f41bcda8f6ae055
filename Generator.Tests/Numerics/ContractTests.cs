using System;
using System.Linq;
using System.Threading.Tasks;
using AeGen.Tests.Models;
using Xunit;

namespace AeGen.Tests.Numerics;

/// <summary>Wrong lengths, concurrency, initialization and layout: the promises around the arithmetic.</summary>
public class ContractTests
{
    private const float Sentinel = -12345f;

    public static TheoryData<string, int, int, int> WrongLengths => new()
    {
        // method, x (or code) length, output length, expected text
        { "Forward", 130, 128, 0 },
        { "Forward", 0, 0, 0 },
        { "Forward", 128, 64, 1 },
        { "Encode", 100, 32, 0 },
        { "Encode", 128, 30, 1 },
        { "Decode", 33, 128, 0 },
        { "Decode", 32, 130, 1 },
        { "Backward", 130, F64x16.ParameterCount, 0 },
        { "Backward", 128, F64x16.ParameterCount - 1, 1 },
        { "Cost", 65, 0, 0 },
    };

    [Theory]
    [MemberData(nameof(WrongLengths))]
    public void A_wrong_length_throws_naming_both_numbers_and_writes_nothing(string method, int inputLength, int outputLength, int wrongArgument)
    {
        var model = new F64x16();
        float[] before = model.Parameters.ToArray();
        float[] input = new float[inputLength];
        float[] output = Enumerable.Repeat(Sentinel, outputLength).ToArray();
        Action call = method switch
        {
            "Forward" => () => model.Forward(input, output),
            "Encode" => () => model.Encode(input, output),
            "Decode" => () => model.Decode(input, output),
            "Backward" => () => model.Backward(input, output),
            _ => () => model.Cost(input),
        };

        ArgumentException error = Assert.Throws<ArgumentException>(call);

        string[] names = method switch
        {
            "Forward" => ["x", "xhat"],
            "Encode" => ["x", "code"],
            "Decode" => ["code", "xhat"],
            "Backward" => ["x", "gradient"],
            _ => ["x"],
        };
        Assert.Equal(names[wrongArgument], error.ParamName);
        int actual = wrongArgument == 0 ? inputLength : outputLength;
        Assert.Contains("its length is " + actual, error.Message, StringComparison.Ordinal);
        Assert.All(output, v => Assert.Equal(Sentinel, v));
        Assert.Equal(before, model.Parameters.ToArray());
    }

    // The wrong lengths are the point of this test (the run-time guards), so the analyzers' warnings are expected.
#pragma warning disable AEG008, AEG009, AEG010
    [Fact]
    public void The_messages_say_what_was_expected()
    {
        var model = new F64x16();
        var rows = Assert.Throws<ArgumentException>(() => model.Forward(new float[130], new float[130]));
        Assert.Contains("whole rows of 64 values", rows.Message, StringComparison.Ordinal);
        var output = Assert.Throws<ArgumentException>(() => model.Forward(new float[128], new float[64]));
        Assert.Contains("2 row(s) of 64 values (length 128)", output.Message, StringComparison.Ordinal);
        var gradient = Assert.Throws<ArgumentException>(() => model.Backward(new float[64], new float[10]));
        Assert.Contains("ParameterCount = " + F64x16.ParameterCount, gradient.Message, StringComparison.Ordinal);
    }
#pragma warning restore AEG008, AEG009, AEG010

    [Fact]
    public void Many_threads_calling_Forward_on_one_model_get_the_single_thread_results()
    {
        var model = new F64x16(seed: 9);
        const int Batches = 64;
        float[][] inputs = Enumerable.Range(0, Batches).Select(b => TestData.Rows<float>(1 + (b % 9), F64x16.Inputs, (ulong)b)).ToArray();
        float[][] expected = inputs.Select(x =>
        {
            var xhat = new float[x.Length];
            model.Forward(x, xhat);
            return xhat;
        }).ToArray();

        var actual = new float[Batches][];
        Parallel.For(0, Batches * 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            int b = i % Batches;
            var xhat = new float[inputs[b].Length];
            model.Forward(inputs[b], xhat);
            Assert.Equal(expected[b], xhat);
            actual[b] = xhat;
        });

        Assert.All(actual, Assert.NotNull);
    }

    [Fact]
    public void A_new_model_starts_from_the_default_seed_deterministically_and_asymmetrically()
    {
        var first = new F64x16();
        var second = new F64x16();
        var seeded = new F64x16(seed: 1);
        Assert.Equal(first.Parameters.ToArray(), second.Parameters.ToArray());
        Assert.NotEqual(first.Parameters.ToArray(), seeded.Parameters.ToArray());
        Assert.Equal(first.Parameters.ToArray(), new F64x16(F64x16.DefaultSeed).Parameters.ToArray());

        // Weights distinct and within the Glorot limit; biases zero.
        float w1Limit = MathF.Sqrt(6f / (64 + 16));
        Assert.Equal(64 * 16, first.W1.ToArray().Distinct().Count());
        Assert.All(first.W1.ToArray(), v => Assert.InRange(Math.Abs(v), 0f, w1Limit));
        Assert.All(first.B1.ToArray(), v => Assert.Equal(0f, v));
        Assert.All(first.B2.ToArray(), v => Assert.Equal(0f, v));
        Assert.All(first.B3.ToArray(), v => Assert.Equal(0f, v));
        Assert.True(first.W2.ToArray().Distinct().Count() > 1000);
        Assert.True(first.W3.ToArray().Distinct().Count() > 4000);

        seeded.Initialize(F64x16.DefaultSeed);
        Assert.Equal(first.Parameters.ToArray(), seeded.Parameters.ToArray());
    }

    [Fact]
    public void Shape_constants_and_views_follow_the_documented_layout()
    {
        var layout = new ParameterLayout(F130x20.Inputs, F130x20.Hidden);
        var model = new F130x20();
        Assert.Equal((130 * 20) + 20 + (20 * 130) + 130 + (130 * 130) + 130, ((IAutoencoder<float>)model).ParameterCount);
        Assert.Equal(F130x20.ParameterCount, layout.Count);
        Assert.Equal(F130x20.B1Offset, layout.B1);
        Assert.Equal(F130x20.W2Offset, layout.W2);
        Assert.Equal(F130x20.B2Offset, layout.B2);
        Assert.Equal(F130x20.W3Offset, layout.W3);
        Assert.Equal(F130x20.B3Offset, layout.B3);

        model.W2[3 * 130 + 7] = 42f;
        Assert.Equal(42f, model.Parameters[F130x20.W2Offset + (3 * 130) + 7]);
        model.B3[129] = 7f;
        Assert.Equal(7f, model.Parameters[F130x20.ParameterCount - 1]);
        Assert.Equal(130 * 130, model.W3.Length);
    }

    [Fact]
    public void Nested_models_generate_inside_their_containing_type()
    {
        var model = new Outer.Nested();
        Assert.Equal(4, Outer.Nested.Inputs);
        Assert.Equal(2, ((IAutoencoder<float>)model).Hidden);
    }
}
