namespace AeGen.Detector;

/// <summary>
/// The model's shape is fixed when the program is compiled, so a CSV with another number of columns cannot be used
/// by adjusting the model at run time: the message says both numbers and how to declare a model that fits.
/// </summary>
internal static class ModelShapeCheck
{
    /// <returns>null when the counts agree, otherwise the message for the user.</returns>
    public static string? Describe(string path, int columns, DetectorModel model, bool columnsChosen)
    {
        int inputs = model.Inputs;
        if (columns == inputs)
        {
            return null;
        }

        string what = columnsChosen ? $"{columns} chosen columns" : $"{columns} columns";
        return $"{path} has {what}, but this model takes Inputs = {inputs} values per row. "
            + $"Either pick {inputs} columns with --columns (for example --columns 0-{inputs - 1}), "
            + $"or declare a model of the right shape, [Autoencoder({columns}, k)] on a partial class (as in {model.DeclaredIn}), and rebuild.";
    }
}
