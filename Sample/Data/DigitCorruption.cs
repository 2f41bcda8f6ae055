using System;

namespace AeGen.Sample.Data;

/// <summary>Ways to spoil a digit image (pixels in [0, 1], 8×8 row-major) that an anomaly detector should notice.</summary>
internal enum DigitCorruption
{
    /// <summary>Every pixel gets uniform noise of ±0.5, clipped to [0, 1].</summary>
    Noise,

    /// <summary>The image moves three pixels right and two down; uncovered pixels are blank.</summary>
    Shifted,

    /// <summary>Each pixel p becomes 1 − p: a light digit on a dark ground.</summary>
    Inverted,

    /// <summary>Every pixel is 0.</summary>
    Blank,
}

/// <summary>Applies a <see cref="DigitCorruption"/> to one image.</summary>
internal static class DigitCorruptions
{
    private const int Side = 8;

    public static void Apply(DigitCorruption corruption, ReadOnlySpan<float> image, Span<float> corrupted, Random random)
    {
        switch (corruption)
        {
            case DigitCorruption.Noise:
                for (int i = 0; i < image.Length; i++)
                {
                    corrupted[i] = Math.Clamp(image[i] + (float)(random.NextDouble() - 0.5), 0f, 1f);
                }

                break;
            case DigitCorruption.Shifted:
                const int Right = 3, Down = 2;
                corrupted.Clear();
                for (int row = 0; row + Down < Side; row++)
                {
                    for (int column = 0; column + Right < Side; column++)
                    {
                        corrupted[((row + Down) * Side) + column + Right] = image[(row * Side) + column];
                    }
                }

                break;
            case DigitCorruption.Inverted:
                for (int i = 0; i < image.Length; i++)
                {
                    corrupted[i] = 1f - image[i];
                }

                break;
            case DigitCorruption.Blank:
                corrupted.Clear();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(corruption), corruption, "Unknown corruption.");
        }
    }
}
