using System;

namespace AeGen.Detector;

/// <summary>
/// The compiled model the commands train, score and explain: how to make a fresh one, and the file that declares it
/// (messages name it, since a model of another shape means editing that declaration and rebuilding).
/// </summary>
internal sealed class DetectorModel
{
    private readonly Func<IAutoencoder<float>> create;

    /// <param name="create">Makes a fresh model, for example <c>() => new TelemetryModel()</c>.</param>
    /// <param name="declaredIn">The file holding its <c>[Autoencoder(n, k)]</c> declaration, as the user sees it.</param>
    public DetectorModel(Func<IAutoencoder<float>> create, string declaredIn)
    {
        this.create = create;
        DeclaredIn = declaredIn;
        IAutoencoder<float> sample = create();
        Inputs = sample.Inputs;
        Hidden = sample.Hidden;
    }

    public string DeclaredIn { get; }

    /// <summary>n, the values per row.</summary>
    public int Inputs { get; }

    /// <summary>k, the hidden units.</summary>
    public int Hidden { get; }

    /// <summary>"12×4", for progress and pictures.</summary>
    public string Shape => $"{Inputs}×{Hidden}";

    /// <summary>"[Autoencoder(12, 4)]", as it is declared.</summary>
    public string Declaration => $"[Autoencoder({Inputs}, {Hidden})]";

    public IAutoencoder<float> Create() => create();
}
