using System;
using System.IO;
using System.Linq;
using AeGen.Generator.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace AeGen.Tests.Analyzers;

/// <summary>Every rule the analyzers report has a release entry, a help link and a section under that link.</summary>
public class DescriptorTableTests
{
    private static readonly DiagnosticDescriptor[] Descriptors =
        new DiagnosticAnalyzer[] { new DeclarationAnalyzer(), new CallSiteAnalyzer() }
            .SelectMany(a => a.SupportedDiagnostics)
            .ToArray();

    private static string RepositoryFile(string relativePath)
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, relativePath);
            if (File.Exists(candidate))
            {
                return File.ReadAllText(candidate);
            }
        }

        throw new FileNotFoundException("Not found above the test output directory: " + relativePath);
    }

    [Fact]
    public void Ids_are_unique_and_prefixed()
    {
        Assert.Equal(11, Descriptors.Length);
        Assert.Equal(Descriptors.Length, Descriptors.Select(d => d.Id).Distinct().Count());
        Assert.All(Descriptors, d => Assert.Matches("^AEG[0-9]{3}$", d.Id));
    }

    [Fact]
    public void Every_rule_is_tracked_and_documented_at_its_help_link()
    {
        string releases = RepositoryFile(Path.Combine("Generator", "AnalyzerReleases.Unshipped.md"));
        string docs = RepositoryFile(Path.Combine("docs", "diagnostics.md"));
        foreach (DiagnosticDescriptor descriptor in Descriptors)
        {
            Assert.Contains(descriptor.Id + " | " + descriptor.Category + " | " + descriptor.DefaultSeverity, releases, StringComparison.Ordinal);
            Assert.EndsWith("docs/diagnostics.md#" + descriptor.Id.ToLowerInvariant(), descriptor.HelpLinkUri, StringComparison.Ordinal);
            Assert.Contains("\n### " + descriptor.Id + "\n", docs, StringComparison.Ordinal);
            Assert.Contains("| [" + descriptor.Id + "](#" + descriptor.Id.ToLowerInvariant() + ") | " + descriptor.DefaultSeverity + " |", docs, StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(descriptor.Description.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
    }
}
