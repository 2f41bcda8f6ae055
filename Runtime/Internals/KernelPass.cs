using System.ComponentModel;

namespace AeGen.Internals;

/// <summary>
/// The inference pass a generated kernel runs. The kernel is written once, generic over the pass, and tests
/// <c>typeof(TPass) == typeof(…Pass)</c>, which the JIT decides while it reads the kernel for one struct: the code of
/// other passes is never even imported, so each pass gets code of its own from one text, and none of the JIT's
/// limits on locals and inlining is spent on the others.
/// </summary>
#pragma warning disable CA1040 // An empty interface: it names the passes a kernel's type argument may be.
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IKernelPass;
#pragma warning restore CA1040

/// <summary>X → X̂, written.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct ForwardPass : IKernelPass;

/// <summary>X → H1, written.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct EncodePass : IKernelPass;

/// <summary>H1 → X̂, written.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct DecodePass : IKernelPass;

/// <summary>X → S = 1/(2m)·Σ(X − X̂)², returned.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct CostPass : IKernelPass;
