using System;
using AeGen.Tests.Generation;
using AeGen.Tests.Models;
using Xunit;

namespace AeGen.Tests.Numerics;

/// <summary>The generated Input and Code vectors: same results as the span overloads, spans without copies, sizes in the type.</summary>
public class TypedVectorTests
{
    private static F64x16.Input Sample(int seed)
    {
        var x = new F64x16.Input();
        Span<float> values = x;
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = MathF.Sin((seed * 31) + i);
        }

        return x;
    }

    [Fact]
    public void Forward_Encode_Decode_and_Cost_match_the_span_overloads_dense_float()
    {
        var model = new F64x16(5);
        F64x16.Input x = Sample(3);
        ReadOnlySpan<float> xs = x;

        model.Forward(in x, out F64x16.Input xhat);
        float[] expected = new float[F64x16.Inputs];
        model.Forward(xs, expected);
        Assert.Equal(expected, xhat.AsSpan().ToArray());

        model.Encode(in x, out F64x16.Code code);
        float[] expectedCode = new float[F64x16.Hidden];
        model.Encode(xs, expectedCode);
        Assert.Equal(expectedCode, code.AsSpan().ToArray());

        model.Decode(in code, out F64x16.Input decoded);
        float[] expectedDecoded = new float[F64x16.Inputs];
        model.Decode(expectedCode, expectedDecoded);
        Assert.Equal(expectedDecoded, decoded.AsSpan().ToArray());

        Assert.Equal(model.Cost(xs), model.Cost(in x));
        Assert.NotEqual(0f, model.Cost(in x));
    }

    [Fact]
    public void Forward_and_Cost_match_the_span_overloads_unrolled_double()
    {
        var model = new D8x3(2);
        var x = new D8x3.Input();
        for (int i = 0; i < D8x3.Inputs; i++)
        {
            x[i] = (i * 0.25) - 1;
        }

        model.Forward(in x, out D8x3.Input xhat);
        double[] expected = new double[D8x3.Inputs];
        model.Forward(x.AsSpan(), expected);
        Assert.Equal(expected, xhat.AsSpan().ToArray());
        Assert.Equal(model.Cost(x.AsSpan()), model.Cost(in x));
    }

    [Fact]
    public void The_same_vector_can_be_input_and_output()
    {
        var model = new F64x16(1);
        F64x16.Input x = Sample(7);
        model.Forward(in x, out F64x16.Input separate);

        model.Forward(in x, out x);

        Assert.Equal(separate.AsSpan().ToArray(), x.AsSpan().ToArray());
    }

    [Fact]
    public void FromSpan_views_the_same_memory()
    {
        float[] buffer = new float[F64x16.Inputs];
        ref F64x16.Input view = ref F64x16.Input.FromSpan(buffer);
        view[5] = 42f;
        Assert.Equal(42f, buffer[5]);

        buffer[6] = -1f;
        Assert.Equal(-1f, F64x16.Input.FromReadOnlySpan(buffer)[6]);

        var code = new F64x16.Code();
        Span<float> span = code.AsSpan();
        span[3] = 9f;
        Assert.Equal(9f, code[3]);
        Assert.Equal(F64x16.Hidden, span.Length);
    }

    [Fact]
    public void FromSpan_of_the_wrong_length_says_what_was_expected()
    {
        var error = Assert.Throws<ArgumentException>(() => F64x16.Code.FromSpan(new float[F64x16.Hidden + 1]));
        Assert.Equal("values", error.ParamName);
        Assert.Contains("length " + F64x16.Hidden, error.Message, StringComparison.Ordinal);
        Assert.Contains("its length is " + (F64x16.Hidden + 1), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_code_of_another_model_does_not_compile()
    {
        const string Models = "using AeGen;\nnamespace Demo;\n[Autoencoder(8, 3)] public partial class A;\n[Autoencoder(8, 4)] public partial class B;\n";
        const string Wrong = "public static class Use { public static void Run(A a, B b, A.Input x) { a.Encode(in x, out A.Code code); b.Decode(in code, out B.Input y); } }\n";
        const string Right = "public static class Use { public static void Run(A a, B b, A.Input x) { a.Encode(in x, out A.Code code); a.Decode(in code, out A.Input y); } }\n";

        var (_, wrongErrors) = GeneratorHarness.Generate(Models + Wrong);
        var (_, rightErrors) = GeneratorHarness.Generate(Models + Right);

        // The compiler finds no Decode taking an A.Code (it reports the argument against the closest overload).
        int call = (Models + Wrong).IndexOf("b.Decode(", StringComparison.Ordinal);
        int end = (Models + Wrong).IndexOf(';', call);
        Assert.NotEmpty(wrongErrors);
        Assert.All(wrongErrors, e => Assert.InRange(e.Location.SourceSpan.Start, call, end));
        Assert.Empty(rightErrors);
    }
}
