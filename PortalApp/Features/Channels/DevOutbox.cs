using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using PortalApp.Infrastructure;

namespace PortalApp.Features.Channels;

public sealed record DevOutboxItem(string FileName, DevOutboxEntry Entry)
{
    /// <summary>The links in the text (a reminder's confirm-or-cancel link), for a developer to follow.</summary>
    public IReadOnlyList<string> Links => DevOutbox.LinksIn(Entry.Body);
}

/// <summary>
/// Reads the Folder transport's files, so a developer sees the texts and calls the app would have sent. Only in
/// Development, as the Dev mailbox: on a real installation the folder holds patients' messages.
/// </summary>
public sealed partial class DevOutbox(IOptions<MessagingOptions> options, IHostEnvironment environment, FolderTextTransport folder)
{
    /// <summary>Ours are a few hundred bytes; anything far bigger is not ours and is left out rather than read.</summary>
    private const long MaxFileBytes = 64 * 1024;

    public bool IsEnabled => environment.IsDevelopment() && options.Value.Transport == TextTransportKind.Folder;

    public async Task<IReadOnlyList<DevOutboxItem>> ListAsync(int max, CancellationToken ct = default)
    {
        if (!IsEnabled)
            return [];
        var items = new List<DevOutboxItem>();
        foreach (var file in PickupFolder.Newest(folder.Folder, FolderTextTransport.Extension, max))
        {
            if (await ReadEntryAsync(file.FullName, ct) is { } entry)
                items.Add(new DevOutboxItem(file.Name, entry));
        }
        return items;
    }

    public async Task<DevOutboxItem?> ReadAsync(string fileName, CancellationToken ct = default) =>
        IsEnabled && PickupFolder.Find(folder.Folder, fileName, FolderTextTransport.Extension) is { } path && await ReadEntryAsync(path, ct) is { } entry
            ? new DevOutboxItem(fileName, entry)
            : null;

    private static async Task<DevOutboxEntry?> ReadEntryAsync(string path, CancellationToken ct)
    {
        try
        {
            if (new FileInfo(path).Length > MaxFileBytes)
                return null;
            await using var file = File.OpenRead(path);
            return await JsonSerializer.DeserializeAsync<DevOutboxEntry>(file, FolderTextTransport.Json, ct);
        }
        catch (Exception ex) when (ex is IOException or JsonException)
        {
            return null; // gone meanwhile, or not one of ours
        }
    }

    internal static IReadOnlyList<string> LinksIn(string body)
    {
        try
        {
            return Links().Matches(body).Select(m => m.Value.TrimEnd('.', ',', ')')).Distinct().ToList();
        }
        catch (RegexMatchTimeoutException)
        {
            return []; // the text still shows; only its link list is left out
        }
    }

    [GeneratedRegex(@"https?://[^\s<>""]+", RegexOptions.None, matchTimeoutMilliseconds: RegexTimeout.Milliseconds)]
    private static partial Regex Links();
}
