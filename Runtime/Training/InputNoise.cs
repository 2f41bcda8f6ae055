using System;
using System.Numerics;

namespace AeGen;

/// <summary>
/// How <c>Fit</c> corrupts each mini-batch's rows for a denoising autoencoder: the network reads the corrupted rows and
/// is scored against the clean ones (<see cref="IAutoencoder{T}.Backward(ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})"/>),
/// so that it learns to reconstruct a row from a damaged copy rather than to copy it. The corruption is applied in
/// the units the network sees (after the scaler) and drawn from a generator seeded by
/// <see cref="TrainingOptions.Seed"/> and the step, so the same options give the same parameters on any thread count.
/// </summary>
public sealed record InputNoise
{
    private InputNoise(InputNoiseKind kind, double amount)
    {
        Kind = kind;
        Amount = amount;
    }

    /// <summary>Gaussian noise or masking.</summary>
    public InputNoiseKind Kind { get; }

    /// <summary>The noise's standard deviation σ (<see cref="InputNoiseKind.Gaussian"/>) or the fraction of values set to zero (<see cref="InputNoiseKind.Masking"/>).</summary>
    public double Amount { get; }

    /// <summary>Adds independent Gaussian noise of standard deviation <paramref name="sigma"/> to every value.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sigma"/> is not positive and finite.</exception>
    public static InputNoise Gaussian(double sigma)
    {
        if (!(sigma > 0) || !double.IsFinite(sigma))
        {
            throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "The noise's standard deviation must be positive and finite.");
        }

        return new InputNoise(InputNoiseKind.Gaussian, sigma);
    }

    /// <summary>Sets each value to zero with probability <paramref name="fraction"/>, independently (masking noise).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fraction"/> is not in (0, 1).</exception>
    public static InputNoise Masking(double fraction)
    {
        if (!(fraction > 0 && fraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "The fraction of values masked must be above 0 and below 1.");
        }

        return new InputNoise(InputNoiseKind.Masking, fraction);
    }

    /// <summary>Mixed into the noise seed, so that seed s draws another stream than the shuffle's and the initialization's.</summary>
    private const ulong NoiseStream = 0xBB67AE8584CAA73BUL;

    /// <summary>
    /// The generator of part <paramref name="part"/> (a shard of a mini-batch, or 0 for the whole) of step
    /// <paramref name="step"/> of a training seeded by <paramref name="seed"/>: fixed by the three alone, so the noise
    /// depends neither on the thread count nor on where a resumed training stopped.
    /// </summary>
    internal static SplitMix64 Generator(int seed, long step, int part)
    {
        ulong stepSeed = new SplitMix64((unchecked((ulong)(uint)seed) ^ NoiseStream) + (ulong)step).NextUInt64();
        return new SplitMix64(stepSeed ^ ((ulong)(part + 1) * 0xD1B54A32D192ED03UL));
    }

    /// <summary>Writes the corrupted <paramref name="clean"/> values into <paramref name="noisy"/> (the same length).</summary>
    internal void Corrupt<T>(ReadOnlySpan<T> clean, Span<T> noisy, ref SplitMix64 random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Kind == InputNoiseKind.Masking)
        {
            // A value survives when a uniform draw of 53 bits is at or above the fraction.
            ulong below = (ulong)(Amount * (1UL << 53));
            for (int i = 0; i < clean.Length; i++)
            {
                noisy[i] = (random.NextUInt64() >> 11) < below ? T.Zero : clean[i];
            }

            return;
        }

        // Box–Muller: two uniforms give two independent standard normals.
        for (int i = 0; i < clean.Length; i += 2)
        {
            double radius = Amount * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble()));
            (double sin, double cos) = Math.SinCos(2 * Math.PI * random.NextDouble());
            noisy[i] = clean[i] + T.CreateTruncating(radius * cos);
            if (i + 1 < clean.Length)
            {
                noisy[i + 1] = clean[i + 1] + T.CreateTruncating(radius * sin);
            }
        }
    }
}

/// <summary>The kinds of <see cref="InputNoise"/>.</summary>
public enum InputNoiseKind
{
    /// <summary>Gaussian noise added to every value.</summary>
    Gaussian,

    /// <summary>Values set to zero at random.</summary>
    Masking,
}
