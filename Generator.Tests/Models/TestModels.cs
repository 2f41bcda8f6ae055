namespace AeGen.Tests.Models;

// Shapes checked numerically. Models with at most 200 parameters get unrolled kernels (one batch row per SIMD
// lane), larger ones the runtime's dense matrix-product kernels; the comments say which path each shape exercises.

/// <summary>The seed's network: n = 2, k = 2 (unrolled).</summary>
[Autoencoder(2, 2, Precision = Precision.Double)]
public partial class Seed2x2;

[Autoencoder(1, 1, Precision = Precision.Double)]
public partial class D1x1;

[Autoencoder(3, 2, Precision = Precision.Double)]
public partial class D3x2;

[Autoencoder(8, 3, Precision = Precision.Double)]
public partial class D8x3;

/// <summary>Dense, with a layer narrower than one vector (k = 3).</summary>
[Autoencoder(16, 3, Precision = Precision.Double)]
public partial class D16x3;

/// <summary>Overcomplete: k &gt; n (dense).</summary>
[Autoencoder(16, 20, Precision = Precision.Double)]
public partial class D16x20;

[Autoencoder(64, 16, Precision = Precision.Double)]
public partial class D64x16;

/// <summary>Dense, n = 100 leaves a tail after whole vectors.</summary>
[Autoencoder(100, 10, Precision = Precision.Double)]
public partial class D100x10;

/// <summary>Dense, tails in both layers for float (130 = 16·8 + 2, 20 = 2·8 + 4).</summary>
[Autoencoder(130, 20, Precision = Precision.Double)]
public partial class D130x20;

[Autoencoder(1024, 256, Precision = Precision.Double)]
public partial class D1024x256;

[Autoencoder(2, 2)]
public partial class F2x2;

[Autoencoder(8, 3)]
public partial class F8x3;

/// <summary>The telemetry shape of the template's example: 12 columns, 4 hidden units (268 parameters, dense).</summary>
[Autoencoder(12, 4)]
public partial class F12x4;

/// <summary>Packed rows (five per 512-bit vector) with a row width of 3, whose repeated parameter rows are permuted.</summary>
[Autoencoder(3, 2)]
public partial class F3x2;

/// <summary>Packed rows, four per 512-bit vector: the fewest the packed kernels take.</summary>
[Autoencoder(4, 4)]
public partial class F4x4;

[Autoencoder(16, 3)]
public partial class F16x3;

[Autoencoder(64, 16)]
public partial class F64x16;

[Autoencoder(130, 20)]
public partial class F130x20;

[Autoencoder(1024, 256)]
public partial class F1024x256;

/// <summary>The largest unrolled shape with n = 1 (ParameterCount = 3k + 3 = 198).</summary>
[Autoencoder(1, 65)]
public partial class F1x65;

/// <summary>The largest shape the generator accepts.</summary>
[Autoencoder(2048, 2048)]
public partial class F2048x2048;

[Autoencoder(2048, 2048, Precision = Precision.Double)]
public partial class D2048x2048;

public static partial class Outer
{
    /// <summary>Nested in a partial type, in a namespace: generation must follow the nesting.</summary>
    [Autoencoder(4, 2)]
    public partial class Nested;
}

/// <summary>The unrolled shape with the most arithmetic per row (ParameterCount = 199).</summary>
[Autoencoder(8, 7)]
public partial class F8x7;
