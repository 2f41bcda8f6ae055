namespace AeGen;

/// <summary>What a trainer's checkpoint holds of its optimizer besides the model: the rule, the steps taken, and the history the next steps use.</summary>
/// <param name="Description">The optimizer's rule and hyperparameters, as <see cref="Optimizer"/> describes itself.</param>
/// <param name="Steps">Steps taken.</param>
/// <param name="Scalars">Numbers of the state besides its buffers (Adam's running powers of β₁ and β₂).</param>
/// <param name="Buffers">The per-parameter buffers by name; the first parameter-count elements of each are the state's.</param>
internal sealed record OptimizerSnapshot<T>(string Description, long Steps, double[] Scalars, (string Name, T[] Values)[] Buffers);
