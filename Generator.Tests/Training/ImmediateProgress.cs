using System;
using System.Collections.Generic;

namespace AeGen.Tests.Training;

/// <summary>Collects reports on the calling thread (unlike <see cref="Progress{T}"/>, which posts them), with an optional hook.</summary>
internal sealed class ImmediateProgress(Action<EpochReport>? onReport = null) : IProgress<EpochReport>
{
    public List<EpochReport> Reports { get; } = [];

    public void Report(EpochReport value)
    {
        Reports.Add(value);
        onReport?.Invoke(value);
    }
}
