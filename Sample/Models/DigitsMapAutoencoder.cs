namespace AeGen.Sample.Models;

/// <summary>A second model with two hidden units, so that its code of each digit is a point on a plane.</summary>
[Autoencoder(64, 2)]
internal sealed partial class DigitsMapAutoencoder;
