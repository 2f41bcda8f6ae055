using System;

namespace AeGen.Detector;

/// <summary>
/// Calls back on the reporting thread. <see cref="Progress{T}"/> would post to the thread pool, so the live display
/// could lag behind training or run after it has finished.
/// </summary>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
