namespace AeGen.Detector;

/// <summary>Process exit codes of the sample's commands.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The input does not fit: wrong column count, unreadable CSV or checkpoint, missing file.</summary>
    public const int BadInput = 2;
}
