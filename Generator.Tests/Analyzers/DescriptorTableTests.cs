using System;
using System.IO;
using System.Linq;
using AeGen.Generator.Analyzers;
using AeGen.Generator.Diagnostics;
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
    public void Help_links_come_from_the_one_repository_address_in_the_build_properties()
    {
        // The generator was built from Directory.Build.props: its address is the one the assembly carries.
        string props = RepositoryFile("Directory.Build.props");
        System.Text.RegularExpressions.Match declared = System.Text.RegularExpressions.Regex.Match(props, "<AeGenRepositoryUrl>([^<]*)</AeGenRepositoryUrl>");
        Assert.True(declared.Success, "Directory.Build.props declares no AeGenRepositoryUrl");
        Assert.Equal(declared.Groups[1].Value, DiagnosticDescriptors.RepositoryUrl);

        // No address: no link, rather than a wrong one. With one: the rule's section of docs/diagnostics.md.
        Assert.Equal("", DiagnosticDescriptors.HelpLink("", "AEG001"));
        Assert.Equal("https://example.org/owner/aegen/blob/main/docs/diagnostics.md#aeg004", DiagnosticDescriptors.HelpLink("https://example.org/owner/aegen/", "AEG004"));
        Assert.All(Descriptors, d => Assert.Equal(DiagnosticDescriptors.HelpLink(declared.Groups[1].Value, d.Id), d.HelpLinkUri));
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
            Assert.Equal(DiagnosticDescriptors.HelpLink(DiagnosticDescriptors.RepositoryUrl, descriptor.Id), descriptor.HelpLinkUri);
            Assert.Contains("\n### " + descriptor.Id + "\n", docs, StringComparison.Ordinal);
            Assert.Contains("| [" + descriptor.Id + "](#" + descriptor.Id.ToLowerInvariant() + ") | " + descriptor.DefaultSeverity + " |", docs, StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(descriptor.Description.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
    }
}
