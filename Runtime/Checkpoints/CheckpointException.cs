using System;

namespace AeGen;

/// <summary>
/// A checkpoint file cannot be loaded into this model: it is truncated, corrupted, not safetensors, or written for another
/// shape or precision. The message says what is wrong; the model it was loaded into is unchanged.
/// </summary>
public sealed class CheckpointException : Exception
{
    /// <summary>Creates the exception with a message saying what is wrong.</summary>
    public CheckpointException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error that revealed the problem.</summary>
    public CheckpointException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public CheckpointException()
        : base("The checkpoint is not a valid AeGen safetensors file for this model.")
    {
    }
}
