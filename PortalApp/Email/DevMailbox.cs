using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using MimeKit;

namespace PortalApp.Email;

public sealed record DevMailboxItem(string FileName, DateTime WrittenAtUtc, string To, string Subject);

public sealed record DevMailboxMessage(string FileName, string From, string To, DateTimeOffset Date, string Subject, string? Html, string? Text, IReadOnlyList<string> Links);

/// <summary>
/// Reads the pickup folder, so a developer can open emails (and follow their links) without a mail server. Only in
/// Development: on a real installation the folder holds patients' emails, which are no page's business.
/// </summary>
public sealed partial class DevMailbox(IOptions<EmailOptions> options, IHostEnvironment environment, PickupFolderEmailTransport pickup)
{
    public bool IsEnabled => environment.IsDevelopment() && options.Value.Transport == EmailTransportKind.Pickup;

    public async Task<IReadOnlyList<DevMailboxItem>> ListAsync(int max, CancellationToken ct = default)
    {
        if (!IsEnabled || !Directory.Exists(pickup.Folder))
            return [];
        var files = new DirectoryInfo(pickup.Folder).GetFiles("*.eml")
            .OrderByDescending(f => f.Name, StringComparer.Ordinal).Take(max);
        var items = new List<DevMailboxItem>();
        foreach (var file in files)
        {
            var headers = await HeaderList.LoadAsync(ParserOptions.Default, file.FullName, ct);
            items.Add(new DevMailboxItem(file.Name, file.LastWriteTimeUtc, headers[HeaderId.To] ?? "", headers[HeaderId.Subject] ?? ""));
        }
        return items;
    }

    public async Task<DevMailboxMessage?> ReadAsync(string fileName, CancellationToken ct = default)
    {
        // Only a plain file name from the listing: never a path that could leave the folder.
        if (!IsEnabled || !IsSafeFileName(fileName))
            return null;
        var path = Path.Combine(pickup.Folder, fileName);
        if (!File.Exists(path))
            return null;
        var message = await MimeMessage.LoadAsync(path, ct);
        var html = message.HtmlBody;
        return new DevMailboxMessage(fileName, message.From.ToString(), message.To.ToString(), message.Date, message.Subject ?? "", html, message.TextBody, LinksIn(html));
    }

    private static bool IsSafeFileName(string fileName)
    {
        try
        {
            return SafeFileName().IsMatch(fileName);
        }
        catch (RegexMatchTimeoutException)
        {
            return false; // not shown rather than guessed at
        }
    }

    private static IReadOnlyList<string> LinksIn(string? html)
    {
        try
        {
            return html is null ? [] : Links().Matches(html).Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value)).Distinct().ToList();
        }
        catch (RegexMatchTimeoutException)
        {
            return []; // the message still shows; only its link list is left out
        }
    }

    [GeneratedRegex(@"\A[0-9A-Za-z\-]+\.eml\z", RegexOptions.None, matchTimeoutMilliseconds: Infrastructure.RegexTimeout.Milliseconds)]
    private static partial Regex SafeFileName();

    [GeneratedRegex("href=\"(https?://[^\"]+)\"", RegexOptions.IgnoreCase, matchTimeoutMilliseconds: Infrastructure.RegexTimeout.Milliseconds)]
    private static partial Regex Links();
}
