using System.ComponentModel;

namespace AeGen.Internals;

/// <summary>
/// A model's shape, as a type: the generated lane kernels pass theirs to <see cref="LaneKernels{T, TShape}"/>, and since
/// it is a struct, the JIT compiles the layers once for each shape, with its sizes and offsets as constants.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface ILaneShape
{
    /// <summary>n, the values in a sample.</summary>
    static abstract int Inputs { get; }

    /// <summary>k, the units of the bottleneck.</summary>
    static abstract int Hidden { get; }
}

