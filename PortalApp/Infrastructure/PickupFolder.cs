using System.Text.RegularExpressions;

namespace PortalApp.Infrastructure;

/// <summary>
/// A folder a development transport writes messages to (emails as .eml, texts and calls as .json), and the Dev pages
/// that read it back: files appear whole, newest first, and a page opens only a plain name from its own listing.
/// </summary>
public static partial class PickupFolder
{
    /// <summary>Writes a new file through <paramref name="write"/>, then renames it into place, so a listing never shows a half-written file.</summary>
    /// <returns>The file's name.</returns>
    public static async Task<string> WriteAsync(string folder, DateTime utcNow, string extension, Func<string, CancellationToken, Task> write, CancellationToken ct)
    {
        Directory.CreateDirectory(folder);
        var name = $"{utcNow:yyyyMMdd-HHmmss-fff}-{Guid.NewGuid():N}{extension}";
        var temp = Path.Combine(folder, name + ".tmp");
        try
        {
            await write(temp, ct);
            File.Move(temp, Path.Combine(folder, name));
            return name;
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>The newest <paramref name="max"/> files with this extension (names start with the time written).</summary>
    public static IReadOnlyList<FileInfo> Newest(string folder, string extension, int max) =>
        Directory.Exists(folder)
            ? new DirectoryInfo(folder).GetFiles("*" + extension).OrderByDescending(f => f.Name, StringComparer.Ordinal).Take(max).ToList()
            : [];

    /// <summary>The file's full path when <paramref name="fileName"/> is a plain name of ours with this extension that exists; never a path that could leave the folder.</summary>
    public static string? Find(string folder, string fileName, string extension)
    {
        if (!IsPlainName(fileName) || !fileName.EndsWith(extension, StringComparison.Ordinal))
            return null;
        var path = Path.Combine(folder, fileName);
        return File.Exists(path) ? path : null;
    }

    private static bool IsPlainName(string fileName)
    {
        try
        {
            return PlainName().IsMatch(fileName);
        }
        catch (RegexMatchTimeoutException)
        {
            return false; // not shown rather than guessed at
        }
    }

    [GeneratedRegex(@"\A[0-9A-Za-z\-]+\.[a-z]{3,4}\z", RegexOptions.None, matchTimeoutMilliseconds: RegexTimeout.Milliseconds)]
    private static partial Regex PlainName();
}
