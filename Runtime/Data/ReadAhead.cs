using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;

namespace AeGen;

/// <summary>
/// Reads the next blocks of a stream of blocks on a thread of its own while the caller works on the current one, so
/// that parsing a file and scoring or training on it overlap. Three buffers go round (the caller's, one ready and one
/// being filled), each growing to the largest block it is given; an error of the reader reaches the caller after every
/// block before it, in order.
/// </summary>
internal static class ReadAhead
{
    /// <param name="source">The blocks, enumerated once, on the reader's thread.</param>
    /// <param name="blockLength">The values in a block, if known (0 otherwise): the buffers' first size.</param>
    public static IEnumerable<ReadOnlyMemory<T>> Blocks<T>(IEnumerable<ReadOnlyMemory<T>> source, int blockLength) =>
        source is ReadingAhead<T> ? source : Run(source, blockLength);

    private static IEnumerable<ReadOnlyMemory<T>> Run<T>(IEnumerable<ReadOnlyMemory<T>> source, int blockLength)
    {
        using var ready = new BlockingCollection<Item<T>>(boundedCapacity: 1);
        using var free = new BlockingCollection<T[]>();
        for (int i = 0; i < 3; i++)
        {
            free.Add(new T[blockLength]);
        }

        using var stop = new CancellationTokenSource();
        Task reader = Task.Factory.StartNew(() => Fill(source, ready, free, stop.Token), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            T[]? current = null;
            while (true)
            {
                Item<T> item = ready.Take();
                // Asking for the next block means the caller is done with the one before.
                if (current is not null)
                {
                    free.Add(current);
                    current = null;
                }

                if (item.Error is not null)
                {
                    ExceptionDispatchInfo.Throw(item.Error);
                }

                if (item.Buffer is null)
                {
                    yield break;
                }

                current = item.Buffer;
                yield return new ReadOnlyMemory<T>(item.Buffer, 0, item.Length);
            }
        }
        finally
        {
            // The caller may stop early: the reader is told to stop, and waited for, before the buffers go.
            stop.Cancel();
            try
            {
                reader.Wait();
            }
            catch (AggregateException)
            {
                // Its error, if any, was handed on above or is of no interest once the caller stopped.
            }
        }
    }

    private static void Fill<T>(IEnumerable<ReadOnlyMemory<T>> source, BlockingCollection<Item<T>> ready, BlockingCollection<T[]> free, CancellationToken stop)
    {
        try
        {
            foreach (ReadOnlyMemory<T> block in source)
            {
                T[] buffer = free.Take(stop);
                if (buffer.Length < block.Length)
                {
                    buffer = new T[block.Length];
                }

                block.Span.CopyTo(buffer);
                ready.Add(new Item<T>(buffer, block.Length, null), stop);
            }

            ready.Add(default, stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception error)
        {
            try
            {
                ready.Add(new Item<T>(null, 0, error), stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
        }
    }

    /// <summary>A block read (its buffer and length), the end (no buffer), or the reader's error.</summary>
    private readonly record struct Item<T>(T[]? Buffer, int Length, Exception? Error);
}

/// <summary>
/// Blocks that are already read ahead on threads of their own (as <see cref="CsvRows.ReadBlocks{T}(string, CsvOptions?, int)"/>
/// gives them), which <see cref="ReadAhead.Blocks"/> hands on as they are rather than copying them once more.
/// </summary>
internal sealed class ReadingAhead<T>(Func<IEnumerable<ReadOnlyMemory<T>>> start) : IEnumerable<ReadOnlyMemory<T>>
{
    public IEnumerator<ReadOnlyMemory<T>> GetEnumerator() => start().GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
