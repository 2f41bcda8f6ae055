// A fresh project that knows AeGen only through its NuGet package: the generator must run from
// analyzers/dotnet/cs and the runtime must come from lib/net10.0.
using System;
using AeGen;

var model = new PackagedModel();
var x = new float[4 * PackagedModel.Inputs];
for (int i = 0; i < x.Length; i++)
{
    x[i] = (i % 7) / 7f;
}

var gradient = new float[PackagedModel.ParameterCount];
float first = model.Backward(x, gradient);
float cost = first;
for (int step = 0; step < 100; step++)
{
    Span<float> parameters = model.Parameters;
    for (int i = 0; i < parameters.Length; i++)
    {
        parameters[i] -= 0.5f * gradient[i];
    }

    cost = model.Backward(x, gradient);
}

Console.WriteLine($"consumer: {PackagedModel.Inputs}x{PackagedModel.Hidden} model from the package, cost {first:F5} -> {cost:F5}");
return cost < first ? 0 : 1;

[Autoencoder(12, 4)]
internal sealed partial class PackagedModel;
