using System;
using System.IO;
using System.Runtime.InteropServices;

namespace AeGen;

/// <summary>
/// Replaces a file so that a crash at any moment leaves either the old file or the complete new one: the bytes go to a
/// temporary file in the same directory, are flushed to the disk, the temporary file is renamed over the target, and
/// the directory itself is flushed so that the rename survives a power cut too.
/// </summary>
/// <remarks>
/// The temporary file's name is fixed for each target (<see cref="TemporaryPath"/>), so a process killed while saving
/// leaves at most one such file, which the next save to the same target reuses. It is held with an exclusive lock from
/// creation to rename, so two saves to one target at the same moment cannot interleave: the second fails at once.
/// </remarks>
internal static partial class AtomicFile
{
    /// <summary>Writes <paramref name="contents"/> to <paramref name="path"/>; every error names <paramref name="path"/>.</summary>
    public static void Write(string path, ReadOnlySpan<byte> contents)
    {
        string fullPath = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(fullPath) ?? throw new ArgumentException($"path must name a file, but '{path}' is a root directory.", nameof(path));
        if (Directory.Exists(fullPath))
        {
            throw new IOException($"Cannot save to '{path}': it is a folder. Give a file name inside it, such as '{Path.Combine(path, "model.safetensors")}'.");
        }

        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"Cannot save to '{path}': the folder '{directory}' does not exist. Create it first (Directory.CreateDirectory) or save somewhere else.");
        }

        string temporary = TemporaryPath(fullPath);
        FileStream stream;
        try
        {
            // Windows refuses to rename a file open without delete sharing; on Unix any sharing but None is a shared lock.
            stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, OperatingSystem.IsWindows() ? FileShare.Delete : FileShare.None);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"Cannot save to '{path}': its temporary file '{temporary}' cannot be created, or another save to the same file holds it ({e.Message}).", e);
        }

        try
        {
            using (stream)
            {
                stream.Write(contents);
                stream.Flush(flushToDisk: true);

                // Renamed while still locked, so no other save can truncate it in between; same directory, so atomic.
                File.Move(temporary, fullPath, overwrite: true);
            }

            FlushDirectory(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The temporary is this call's own (it held the lock); if the rename happened, there is nothing to delete.
            File.Delete(temporary);
            throw new IOException($"Cannot save to '{path}': {e.Message}", e);
        }
    }

    /// <summary>The temporary file a save to <paramref name="fullPath"/> writes first: hidden, beside the target.</summary>
    internal static string TemporaryPath(string fullPath) =>
        Path.Combine(Path.GetDirectoryName(fullPath)!, "." + Path.GetFileName(fullPath) + ".saving");

    /// <summary>
    /// Makes a rename inside <paramref name="directory"/> durable: POSIX file systems keep a directory's entries in the
    /// directory's own data, which a file's fsync does not write (SQLite and PostgreSQL fsync the directory for this).
    /// NTFS journals renames itself, so on Windows there is nothing to do.
    /// </summary>
    internal static void FlushDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        int descriptor = Posix.Open(directory, 0);
        if (descriptor < 0)
        {
            throw new IOException($"Cannot open the folder '{directory}' to flush it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            // EINVAL: this file system cannot flush a directory (some network and FUSE ones), so there is nothing to wait for.
            if (Posix.Fsync(descriptor) != 0 && Marshal.GetLastPInvokeError() is int error && error != Posix.EINVAL)
            {
                throw new IOException($"Cannot flush the folder '{directory}' to disk (errno {error}).");
            }
        }
        finally
        {
            _ = Posix.Close(descriptor);
        }
    }

    private static partial class Posix
    {
        public const int EINVAL = 22;

        [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
        public static partial int Open(string path, int flags);

        [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
        public static partial int Fsync(int descriptor);

        [LibraryImport("libc", EntryPoint = "close")]
        public static partial int Close(int descriptor);
    }
}
