namespace AeGen.Tests;

[Autoencoder(64, 16)]
public partial class Digits64x16;
