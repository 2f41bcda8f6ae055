using System;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AeGen.Benchmarks.Engines;

/// <summary>
/// libtorch through TorchSharp: the network as tensors with autograd, trained with torch.optim.Adam, on one thread.
/// </summary>
public sealed class TorchSharpEngine : Engine
{
    private Parameter _w1 = null!, _b1 = null!, _w2 = null!, _b2 = null!, _w3 = null!, _b3 = null!;
    private TorchSharp.Modules.Adam _optimizer = null!;

    public TorchSharpEngine(int inputs, int hidden, int rows)
        : base(inputs, hidden, rows)
    {
        torch.set_num_threads(1);
    }

    public override string Name => "TorchSharp";

    public override void Load(ReadOnlySpan<float> parameters)
    {
        DisposeParameters();
        _w1 = Parameter(parameters.Slice(Layout.W1, Inputs * Hidden), Inputs, Hidden);
        _b1 = Parameter(parameters.Slice(Layout.B1, Hidden), Hidden);
        _w2 = Parameter(parameters.Slice(Layout.W2, Hidden * Inputs), Hidden, Inputs);
        _b2 = Parameter(parameters.Slice(Layout.B2, Inputs), Inputs);
        _w3 = Parameter(parameters.Slice(Layout.W3, Inputs * Inputs), Inputs, Inputs);
        _b3 = Parameter(parameters.Slice(Layout.B3, Inputs), Inputs);
        _optimizer = torch.optim.Adam([_w1, _b1, _w2, _b2, _w3, _b3], lr: LearningRate, beta1: Beta1, beta2: Beta2, eps: Epsilon);
    }

    public override void Forward(float[] x, float[] xhat)
    {
        using DisposeScope scope = NewDisposeScope();
        using var noGrad = torch.no_grad();
        Tensor output = Run(torch.tensor(x, [x.Length / Inputs, Inputs]));
        output.data<float>().CopyTo(xhat, 0);
    }

    public override float Gradient(float[] x, float[] gradient)
    {
        using DisposeScope scope = NewDisposeScope();
        _optimizer.zero_grad();
        Tensor cost = Cost(x);
        cost.backward();
        Copy(_w1.grad!, gradient, Layout.W1);
        Copy(_b1.grad!, gradient, Layout.B1);
        Copy(_w2.grad!, gradient, Layout.W2);
        Copy(_b2.grad!, gradient, Layout.B2);
        Copy(_w3.grad!, gradient, Layout.W3);
        Copy(_b3.grad!, gradient, Layout.B3);
        return cost.item<float>();
    }

    public override float TrainStep(float[] x)
    {
        using DisposeScope scope = NewDisposeScope();
        _optimizer.zero_grad();
        Tensor cost = Cost(x);
        cost.backward();
        _optimizer.step();
        return cost.item<float>();
    }

    public override void Dispose()
    {
        DisposeParameters();
        base.Dispose();
    }

    private Tensor Cost(float[] x)
    {
        int m = x.Length / Inputs;
        Tensor input = torch.tensor(x, [m, Inputs]);
        Tensor error = input - Run(input);
        return error.pow(2).sum() / (2.0 * m);
    }

    private Tensor Run(Tensor x)
    {
        Tensor h1 = torch.sigmoid(x.matmul(_w1) + _b1);
        Tensor h2 = torch.sigmoid(h1.matmul(_w2) + _b2);
        return h2.matmul(_w3) + _b3;
    }

    private static Parameter Parameter(ReadOnlySpan<float> values, params long[] shape) =>
        torch.nn.Parameter(torch.tensor(values.ToArray(), shape), requires_grad: true);

    private static void Copy(Tensor source, float[] target, int offset) =>
        source.contiguous().data<float>().CopyTo(target, offset);

    private void DisposeParameters()
    {
        _optimizer?.Dispose();
        foreach (Tensor? t in new[] { _w1, _b1, _w2, _b2, _w3, _b3 })
        {
            t?.Dispose();
        }
    }
}
