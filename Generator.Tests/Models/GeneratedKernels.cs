using System;
using System.Linq;

namespace AeGen.Tests.Models;

/// <summary>Finds the file-local class that holds an unrolled model's kernels, by the name the generator gives it.</summary>
internal static class GeneratedKernels
{
    /// <summary>The kernel class of <paramref name="model"/>, or null for a dense model, which has none.</summary>
    public static Type? Of(Type model)
    {
        // The compiler gives a file-local type a metadata name that ends in "__" and the name it was declared with.
        string name = model.Name + "Kernels";
        Type[] found = [.. model.Assembly.GetTypes().Where(t => t.Namespace == "AeGen.Generated" && (t.Name == name || t.Name.EndsWith("__" + name, StringComparison.Ordinal)))];
        return found.Length switch
        {
            0 => null,
            1 => found[0],
            _ => throw new InvalidOperationException($"{found.Length} kernel classes are named {name}: {string.Join(", ", found.Select(t => t.Name))}."),
        };
    }
}
