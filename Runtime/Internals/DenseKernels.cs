using System.ComponentModel;
using System.Numerics;
using System.Runtime.Intrinsics;
using AeGen.Kernels;

namespace AeGen.Internals;

/// <summary>
/// The forward and backward pass of a larger model (more than 200 parameters), called by its generated members
/// with the shape as constants: matrix products over register tiles, in the widest vector the JIT accelerates here,
/// cut up as this machine's kernel plan says. Arguments are checked by the caller.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed unsafe class DenseKernels<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ParameterLayout _layout;
    private KernelPlan? _plan;
    private int _planGeneration;

    /// <summary>The kernels of an <paramref name="inputs"/>-input, <paramref name="hidden"/>-hidden model.</summary>
    public DenseKernels(int inputs, int hidden) => _layout = new ParameterLayout(inputs, hidden);

    /// <summary>How this shape's products are cut up on this machine; planned on first use.</summary>
    internal KernelPlan Plan(ref T parameters)
    {
        int generation = KernelPlanner.Generation;
        if (_plan is not KernelPlan plan || _planGeneration != generation)
        {
            plan = KernelPlanner.PlanFor(_layout, ref parameters);
            (_plan, _planGeneration) = (plan, generation);
        }

        return plan;
    }

    /// <summary>X̂ for the m rows at <paramref name="x"/>.</summary>
    public void Forward(ref T parameters, ref T x, ref T xhat, int m)
    {
        KernelPlan plan = Plan(ref parameters);
        fixed (T* p = &parameters, px = &x, pxhat = &xhat)
        {
            if (Vector512.IsHardwareAccelerated)
            {
                DenseNetwork<Simd512<T>, T, Vector512<T>>.Forward(_layout, plan, null, p, px, pxhat, m);
            }
            else if (Vector256.IsHardwareAccelerated)
            {
                DenseNetwork<Simd256<T>, T, Vector256<T>>.Forward(_layout, plan, null, p, px, pxhat, m);
            }
            else
            {
                DenseNetwork<Simd128<T>, T, Vector128<T>>.Forward(_layout, plan, null, p, px, pxhat, m);
            }
        }
    }

    /// <summary>H1 for the m rows at <paramref name="x"/>.</summary>
    public void Encode(ref T parameters, ref T x, ref T code, int m)
    {
        KernelPlan plan = Plan(ref parameters);
        fixed (T* p = &parameters, px = &x, pcode = &code)
        {
            if (Vector512.IsHardwareAccelerated)
            {
                DenseNetwork<Simd512<T>, T, Vector512<T>>.Encode(_layout, plan, p, px, pcode, m);
            }
            else if (Vector256.IsHardwareAccelerated)
            {
                DenseNetwork<Simd256<T>, T, Vector256<T>>.Encode(_layout, plan, p, px, pcode, m);
            }
            else
            {
                DenseNetwork<Simd128<T>, T, Vector128<T>>.Encode(_layout, plan, p, px, pcode, m);
            }
        }
    }

    /// <summary>X̂ for the m codes at <paramref name="code"/>.</summary>
    public void Decode(ref T parameters, ref T code, ref T xhat, int m)
    {
        KernelPlan plan = Plan(ref parameters);
        fixed (T* p = &parameters, pcode = &code, pxhat = &xhat)
        {
            if (Vector512.IsHardwareAccelerated)
            {
                DenseNetwork<Simd512<T>, T, Vector512<T>>.Decode(_layout, plan, p, pcode, pxhat, m);
            }
            else if (Vector256.IsHardwareAccelerated)
            {
                DenseNetwork<Simd256<T>, T, Vector256<T>>.Decode(_layout, plan, p, pcode, pxhat, m);
            }
            else
            {
                DenseNetwork<Simd128<T>, T, Vector128<T>>.Decode(_layout, plan, p, pcode, pxhat, m);
            }
        }
    }

    /// <summary>S over the m rows at <paramref name="x"/>.</summary>
    public T Cost(ref T parameters, ref T x, int m)
    {
        KernelPlan plan = Plan(ref parameters);
        fixed (T* p = &parameters, px = &x)
        {
            double cost = Vector512.IsHardwareAccelerated ? DenseNetwork<Simd512<T>, T, Vector512<T>>.Cost(_layout, plan, p, px, m)
                : Vector256.IsHardwareAccelerated ? DenseNetwork<Simd256<T>, T, Vector256<T>>.Cost(_layout, plan, p, px, m)
                : DenseNetwork<Simd128<T>, T, Vector128<T>>.Cost(_layout, plan, p, px, m);
            return T.CreateTruncating(cost);
        }
    }

    /// <summary>
    /// Writes dS/dθ for the m rows at <paramref name="x"/>, scored against the m rows at <paramref name="target"/> (x
    /// itself, but for a denoising autoencoder), and returns S, the large products shared by up to
    /// <paramref name="maxDegreeOfParallelism"/> threads (−1: one per core); the result is the same for any count.
    /// </summary>
    public T Backward(ref T parameters, ref T x, ref T target, ref T gradient, int m, int maxDegreeOfParallelism = 1)
    {
        KernelPlan plan = Plan(ref parameters);
        Team? team = Team.For(maxDegreeOfParallelism);
        fixed (T* p = &parameters, px = &x, pt = &target, pgradient = &gradient)
        {
            double cost = Vector512.IsHardwareAccelerated ? DenseNetwork<Simd512<T>, T, Vector512<T>>.Backward(_layout, plan, team, p, px, pt, pgradient, m)
                : Vector256.IsHardwareAccelerated ? DenseNetwork<Simd256<T>, T, Vector256<T>>.Backward(_layout, plan, team, p, px, pt, pgradient, m)
                : DenseNetwork<Simd128<T>, T, Vector128<T>>.Backward(_layout, plan, team, p, px, pt, pgradient, m);
            return T.CreateTruncating(cost);
        }
    }
}
