namespace AeGen.Sample.Models;

/// <summary>The sample's main model: 8×8 digit images (64 pixels) squeezed through 16 hidden units.</summary>
[Autoencoder(64, 16)]
internal sealed partial class DigitsAutoencoder;
