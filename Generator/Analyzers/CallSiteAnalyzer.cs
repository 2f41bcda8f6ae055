using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using AeGen.Generator.Diagnostics;
using AeGen.Generator.Model;
using AeGen.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AeGen.Generator.Analyzers;

/// <summary>
/// Checks calls to a generated model's Forward, Encode, Decode, Cost and Backward whose buffer lengths are known at
/// compile time (AEG008 to AEG010), and parameters of one model handed to a model of another shape (AEG011).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CallSiteAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.RowsMismatch,
        DiagnosticDescriptors.OutputMismatch,
        DiagnosticDescriptors.GradientLength,
        DiagnosticDescriptors.ForeignParameters);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(static start =>
        {
            INamedTypeSymbol? attribute = start.Compilation.GetTypeByMetadataName(SpecParser.AttributeMetadataName);
            if (attribute is null)
            {
                return;
            }

            start.RegisterOperationAction(operation => Analyze(operation, attribute), OperationKind.Invocation);
        });
    }

    /// <summary>The shape of a model type, or null if it is not a valid <c>[Autoencoder]</c> class.</summary>
    private static Shape? ShapeOf(ITypeSymbol? type, INamedTypeSymbol attributeType)
    {
        if (type is not INamedTypeSymbol named)
        {
            return null;
        }

        AttributeData? attribute = named.GetAttributes().FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, attributeType));
        return attribute is not null && DeclarationRules.TryReadShape(attribute, out int n, out int k, out _)
            ? new Shape(named.Name, n, k)
            : null;
    }

    private static void Analyze(OperationAnalysisContext context, INamedTypeSymbol attributeType)
    {
        var invocation = (IInvocationOperation)context.Operation;
        IMethodSymbol method = invocation.TargetMethod;

        if (method.Name is "CopyTo" or "TryCopyTo" && invocation.Instance is not null && invocation.Arguments.Length == 1)
        {
            AnalyzeParameterCopy(context, invocation, attributeType);
            return;
        }

        if (method.IsStatic || ShapeOf(method.ContainingType, attributeType) is not Shape shape)
        {
            return;
        }

        IArgumentOperation? Argument(int ordinal) => invocation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == ordinal);
        bool spans = method.Parameters.All(p => p.Type is INamedTypeSymbol { Name: "Span" or "ReadOnlySpan" });
        if (!spans)
        {
            return;
        }

        switch (method.Name)
        {
            case "Forward" when method.Parameters.Length == 2:
                CheckRowsAndOutput(context, shape, method.Name, Argument(0), shape.Inputs, Argument(1), shape.Inputs);
                break;
            case "Encode" when method.Parameters.Length == 2:
                CheckRowsAndOutput(context, shape, method.Name, Argument(0), shape.Inputs, Argument(1), shape.Hidden);
                break;
            case "Decode" when method.Parameters.Length == 2:
                CheckRowsAndOutput(context, shape, method.Name, Argument(0), shape.Hidden, Argument(1), shape.Inputs);
                break;
            case "Cost" when method.Parameters.Length == 1:
                CheckRowsAndOutput(context, shape, method.Name, Argument(0), shape.Inputs, null, 0);
                break;
            case "Backward" when method.Parameters.Length == 2:
                CheckRowsAndOutput(context, shape, method.Name, Argument(0), shape.Inputs, null, 0);
                CheckGradient(context, shape, Argument(1), attributeType);
                break;
            case "Backward" when method.Parameters.Length == 3:
                // The denoising overload: the target rows must match the input rows as an output would.
                CheckRowsAndOutput(context, shape, method.Name, Argument(0), shape.Inputs, Argument(1), shape.Inputs);
                CheckGradient(context, shape, Argument(2), attributeType);
                break;
        }
    }

    private static void CheckRowsAndOutput(
        OperationAnalysisContext context, Shape shape, string method, IArgumentOperation? input, int inputWidth, IArgumentOperation? output, int outputWidth)
    {
        if (input?.Parameter is null)
        {
            return;
        }

        int? inputLength = KnownLength.Of(input.Value, context.CancellationToken);
        if (inputLength is int length && (length == 0 || length % inputWidth != 0))
        {
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.RowsMismatch, input.Syntax.GetLocation(), input.Parameter.Name, Text(inputWidth), shape.Name, method, Text(length)));
            return;
        }

        if (inputLength is not int rowsLength || output?.Parameter is null || KnownLength.Of(output.Value, context.CancellationToken) is not int outputLength)
        {
            return;
        }

        int rows = rowsLength / inputWidth;
        if (outputLength != rows * outputWidth)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.OutputMismatch,
                output.Syntax.GetLocation(),
                output.Parameter.Name,
                Text(rows * outputWidth),
                Text(rows),
                Text(outputWidth),
                input.Parameter.Name,
                shape.Name,
                method,
                Text(outputLength)));
        }
    }

    private static void CheckGradient(OperationAnalysisContext context, Shape shape, IArgumentOperation? gradient, INamedTypeSymbol attributeType)
    {
        if (gradient?.Parameter is null)
        {
            return;
        }

        if (ParametersOf(gradient.Value, attributeType) is Shape owner)
        {
            if (owner.ParameterCount != shape.ParameterCount)
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.ForeignParameters, gradient.Syntax.GetLocation(),
                    gradient.Parameter.Name, Text(owner.ParameterCount), owner.Name, shape.Name, Text(shape.ParameterCount)));
            }

            return;
        }

        if (KnownLength.Of(gradient.Value, context.CancellationToken) is int length && length != shape.ParameterCount)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.GradientLength, gradient.Syntax.GetLocation(),
                gradient.Parameter.Name, shape.Name, Text(shape.ParameterCount), Text(length)));
        }
    }

    /// <summary><c>a.Parameters.CopyTo(b.Parameters)</c> between models whose parameter counts differ.</summary>
    private static void AnalyzeParameterCopy(OperationAnalysisContext context, IInvocationOperation invocation, INamedTypeSymbol attributeType)
    {
        if (ParametersOf(invocation.Instance, attributeType) is not Shape source
            || ParametersOf(invocation.Arguments[0].Value, attributeType) is not Shape destination
            || source.ParameterCount == destination.ParameterCount)
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.ForeignParameters, invocation.Arguments[0].Syntax.GetLocation(),
            invocation.Instance!.Syntax.ToString(), Text(source.ParameterCount), source.Name, destination.Name, Text(destination.ParameterCount)));
    }

    /// <summary>The model whose <c>Parameters</c> property <paramref name="operation"/> reads, if it does.</summary>
    private static Shape? ParametersOf(IOperation? operation, INamedTypeSymbol attributeType) =>
        KnownLength.Unwrap(operation) is IPropertyReferenceOperation { Property.Name: "Parameters" } property
            ? ShapeOf(property.Property.ContainingType, attributeType)
            : null;

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private sealed class Shape(string name, int inputs, int hidden)
    {
        public string Name { get; } = name;

        public int Inputs { get; } = inputs;

        public int Hidden { get; } = hidden;

        public int ParameterCount => AutoencoderSpec.CountParameters(Inputs, Hidden);
    }
}
