using System.Reflection;
using Microsoft.CodeAnalysis;

namespace AeGen.Generator.Diagnostics;

/// <summary>Every diagnostic AeGen reports. IDs are tracked in <c>AnalyzerReleases.Unshipped.md</c>; help pages are anchors in <c>docs/diagnostics.md</c>.</summary>
internal static class DiagnosticDescriptors
{
    private const string Declaration = "AeGen.Declaration";
    private const string Usage = "AeGen.Usage";

    /// <summary>
    /// The project's public address, from the <c>AeGenRepositoryUrl</c> MSBuild property in Directory.Build.props (the
    /// same property gives the package its RepositoryUrl). Empty while the project has no public home.
    /// </summary>
    internal static readonly string RepositoryUrl = ReadRepositoryUrl();

    public static readonly DiagnosticDescriptor NotPartial = Create(
        "AEG001", Declaration, DiagnosticSeverity.Error,
        "Autoencoder class is not partial",
        "'{0}' carries [Autoencoder] but is not declared partial, so the generator cannot add the network to it",
        "The generator writes the network into a second part of the class, which C# only allows for partial classes.");

    public static readonly DiagnosticDescriptor InvalidShape = Create(
        "AEG002", Declaration, DiagnosticSeverity.Error,
        "Autoencoder shape is not a supported constant",
        "{0} of '{1}' must be a constant between 1 and {2}, but is {3}",
        "n (inputs) and k (hidden units) must be compile-time constants from 1 up to the largest shape the generator supports; 2048 is the largest shape the tests compile and check.");

    public static readonly DiagnosticDescriptor StaticClass = Create(
        "AEG003", Declaration, DiagnosticSeverity.Error,
        "Autoencoder class is static",
        "'{0}' is static, but a model holds its parameters in instances; remove 'static'",
        "A model is an object owning its parameters, so its class cannot be static.");

    public static readonly DiagnosticDescriptor ContainerNotPartial = Create(
        "AEG004", Declaration, DiagnosticSeverity.Error,
        "Autoencoder class is nested in a type that is not partial",
        "'{0}' is nested in '{1}', which is not declared partial, so the generator cannot reopen it",
        "To add members to a nested class the generator redeclares every containing type, which C# only allows when each of them is partial.");

    public static readonly DiagnosticDescriptor MemberConflict = Create(
        "AEG005", Declaration, DiagnosticSeverity.Error,
        "Autoencoder class already declares a generated member",
        "'{0}' already declares '{1}', which the generator emits; rename or remove it",
        "The generator writes a fixed set of members into the class; one that already exists would clash with it, so nothing is generated until it is renamed.");

    public static readonly DiagnosticDescriptor NoCompression = Create(
        "AEG006", Declaration, DiagnosticSeverity.Warning,
        "Autoencoder bottleneck does not compress",
        "'{0}' has k = {1} hidden units for n = {2} inputs; with k ≥ n the network can learn the identity instead of a compressed code",
        "An autoencoder learns useful features only when the bottleneck is narrower than the input.");

    public static readonly DiagnosticDescriptor InvalidPrecision = Create(
        "AEG007", Declaration, DiagnosticSeverity.Error,
        "Autoencoder precision is not Single or Double",
        "Precision of '{0}' must be Precision.Single or Precision.Double, but is {1}",
        "The generator writes float or double code only.");

    public static readonly DiagnosticDescriptor RowsMismatch = Create(
        "AEG008", Usage, DiagnosticSeverity.Warning,
        "Argument is not whole rows of the model's width",
        "'{0}' must hold one or more whole rows of {1} values for {2}.{3}, but has {4}",
        "The generated methods take m rows of Inputs (or Hidden) values; a length known at compile time that is not a positive multiple of the width always throws.");

    public static readonly DiagnosticDescriptor OutputMismatch = Create(
        "AEG009", Usage, DiagnosticSeverity.Warning,
        "Output does not match the rows of the input",
        "'{0}' must hold {1} values ({2} row(s) of {3}) to match '{4}' in {5}.{6}, but has {7}",
        "The output of Forward, Encode and Decode, and the target of the denoising Backward, hold one row for each row of the input.");

    public static readonly DiagnosticDescriptor GradientLength = Create(
        "AEG010", Usage, DiagnosticSeverity.Warning,
        "Gradient buffer is not ParameterCount long",
        "'{0}' must have {1}.ParameterCount = {2} values, but has {3}",
        "Backward writes one derivative for each parameter.");

    public static readonly DiagnosticDescriptor ForeignParameters = Create(
        "AEG011", Usage, DiagnosticSeverity.Warning,
        "Parameters of a model of another shape",
        "'{0}' holds the {1} parameters of {2}, but {3} expects {4}",
        "Parameters and gradients are laid out for one shape; a model of another shape cannot use them.");

    /// <summary>The rule's section in docs/diagnostics.md at <paramref name="repositoryUrl"/>; empty when there is no address.</summary>
    internal static string HelpLink(string repositoryUrl, string id) =>
        repositoryUrl.Length == 0 ? "" : repositoryUrl.TrimEnd('/') + "/blob/main/docs/diagnostics.md#" + id.ToLowerInvariant();

    private static string ReadRepositoryUrl()
    {
        foreach (object attribute in typeof(DiagnosticDescriptors).Assembly.GetCustomAttributes(typeof(AssemblyMetadataAttribute), inherit: false))
        {
            if (attribute is AssemblyMetadataAttribute { Key: "AeGenRepositoryUrl" } metadata)
            {
                return metadata.Value ?? "";
            }
        }

        return "";
    }

    private static DiagnosticDescriptor Create(string id, string category, DiagnosticSeverity severity, string title, string message, string description) =>
        new(id, title, message, category, severity, isEnabledByDefault: true, description, HelpLink(RepositoryUrl, id));
}
