using Xunit;

namespace AeGen.Tests.Generation;

/// <summary>Declarations the generator cannot serve produce no source and no generator failure.</summary>
public class InvalidDeclarationTests
{
    [Theory]
    [InlineData("[Autoencoder(8, 3)] public class Model;")]                          // not partial
    [InlineData("[Autoencoder(8, 3)] public static partial class Model;")]           // static
    [InlineData("[Autoencoder(0, 3)] public partial class Model;")]                  // n not positive
    [InlineData("[Autoencoder(8, -1)] public partial class Model;")]                 // k not positive
    [InlineData("[Autoencoder(4096, 3)] public partial class Model;")]               // above the limit
    [InlineData("[Autoencoder(8)] public partial class Model;")]                     // missing argument
    [InlineData("[Autoencoder(8, N)] public partial class Model { static int N = 3; }")] // not a constant
    [InlineData("[Autoencoder(8, 3, Precision = (Precision)7)] public partial class Model;")]
    [InlineData("public class Outer { [Autoencoder(8, 3)] public partial class Model; }")] // container not partial
    [InlineData("[Autoencoder(8, 3)] public partial class Model; [Autoencoder(8, 3)] public partial class Model;")] // twice
    [InlineData("[Autoencoder(8, 3)] public partial struct Model;")]                 // not a class
    [InlineData("[Autoencoder(8, 3)] public partial class Model { public void Forward() { } }")]      // generated member exists
    [InlineData("[Autoencoder(64, 16)] public partial class Model { private static int _kernels; }")] // the field holding the runtime kernels of larger models
    [InlineData("[Autoencoder(8, 3)] public partial class Model { private int _parameters; }")]      // generated field exists
    [InlineData("[Autoencoder(8, 3)] public partial class Model { public Model(int seed) { } }")]    // generated constructor exists
    [InlineData("[Autoencoder(8, 3)] public partial class Model { public struct Code; }")]           // generated vector type exists
    [InlineData("[Autoencoder(8, 3)] public partial class")]                         // half-typed
    [InlineData("[Autoencoder(8, 3")]                                                 // half-typed
    public void Produces_no_source_and_no_exception(string declaration)
    {
        var (run, _) = GeneratorHarness.Generate("using AeGen;\nnamespace Demo;\n" + declaration + "\n");

        Assert.Null(run.Exception);
        Assert.Empty(run.GeneratedSources);
        Assert.Empty(run.Diagnostics);
    }

    [Theory]
    [InlineData("[Autoencoder(8, 3)] public partial class Model;")]
    [InlineData("[Autoencoder(Size, Size / 2)] public partial class Model { const int Size = 8; }")]
    [InlineData("[AeGen.Autoencoder(8, 3)] partial record Model;")]
    [InlineData("public partial class Outer<T> { public partial struct Inner { [Autoencoder(8, 3)] internal sealed partial class Model; } }")]
    [InlineData("[Autoencoder(8, 3)] public partial class @class;")]
    [InlineData("[Autoencoder(8, 3)] public partial class Model<T> where T : struct;")]
    public void Valid_declarations_generate_code_that_compiles(string declaration)
    {
        var (run, errors) = GeneratorHarness.Generate("using AeGen;\nnamespace Demo;\n" + declaration + "\n");

        Assert.Null(run.Exception);
        Assert.Single(run.GeneratedSources);
        Assert.Empty(errors);
    }

    [Fact]
    public void A_model_in_the_global_namespace_compiles()
    {
        var (run, errors) = GeneratorHarness.Generate("[AeGen.Autoencoder(3, 2)]\npartial class Model;\n");
        Assert.Single(run.GeneratedSources);
        Assert.Empty(errors);
    }
}
