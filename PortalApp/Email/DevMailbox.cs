using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using MimeKit;
using PortalApp.Infrastructure;

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
        if (!IsEnabled)
            return [];
        var files = PickupFolder.Newest(pickup.Folder, ".eml", max);
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
        if (!IsEnabled || PickupFolder.Find(pickup.Folder, fileName, ".eml") is not { } path)
            return null;
        var message = await MimeMessage.LoadAsync(path, ct);
        var html = message.HtmlBody;
        return new DevMailboxMessage(fileName, message.From.ToString(), message.To.ToString(), message.Date, message.Subject ?? "", html, message.TextBody, LinksIn(html));
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

    [GeneratedRegex("href=\"(https?://[^\"]+)\"", RegexOptions.IgnoreCase, matchTimeoutMilliseconds: Infrastructure.RegexTimeout.Milliseconds)]
    private static partial Regex Links();
}
