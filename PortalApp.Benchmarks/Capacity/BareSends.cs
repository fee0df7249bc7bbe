using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace PortalApp.Benchmarks.Capacity;

/// <summary>How long the sends took: each channel from the start of the dispatch, and both (they run at once).</summary>
public sealed record DispatchTimes(double Emails, double Texts, double Total);

/// <summary>
/// The reminder figure's baseline: the very messages the app sent in the warm-up (kept by the sinks), sent again with
/// nothing of the app around them. Emails go through MailKit over one connection to the same SMTP sink; texts are the
/// same form posts (Basic auth, To, From, Body, StatusCallback) one after another through one HttpClient to the same
/// loopback Twilio; the two loops run at once, as the app's two dispatchers do. No database, no outbox, no claims,
/// no templates, no resilience pipeline: what is left is the cost of the sends themselves.
/// </summary>
public sealed class BareSends
{
    private readonly IReadOnlyList<MimeMessage> _emails;
    private readonly IReadOnlyList<Dictionary<string, string>> _texts;

    private BareSends(IReadOnlyList<MimeMessage> emails, IReadOnlyList<Dictionary<string, string>> texts) => (_emails, _texts) = (emails, texts);

    public int Emails => _emails.Count;
    public int Texts => _texts.Count;

    /// <summary>Parsed before any timing: reading the messages back is not sending them.</summary>
    public static BareSends From(IReadOnlyList<string> rawEmails, IReadOnlyList<Dictionary<string, string>> texts)
    {
        var emails = rawEmails.Select(raw =>
        {
            using var stream = new MemoryStream(Encoding.ASCII.GetBytes(raw));
            return MimeMessage.Load(stream);
        }).ToList();
        return new BareSends(emails, texts);
    }

    public async Task<DispatchTimes> RunAsync(int smtpPort, string messagesUrl)
    {
        var clock = Stopwatch.StartNew();
        var emails = Task.Run(async () =>
        {
            using var client = new SmtpClient();
            await client.ConnectAsync("127.0.0.1", smtpPort, SecureSocketOptions.None);
            foreach (var message in _emails)
                await client.SendAsync(message);
            await client.DisconnectAsync(quit: true);
            return clock.Elapsed.TotalSeconds;
        });
        var texts = Task.Run(async () =>
        {
            using var http = new HttpClient();
            foreach (var form in _texts)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, messagesUrl) { Content = new FormUrlEncodedContent(form) };
                request.Headers.Authorization = AuthenticationHeaderValue.Parse(TwilioMessagesSink.BasicAuthorization);
                using var response = await http.SendAsync(request);
                if (response.StatusCode != HttpStatusCode.Created)
                    throw new InvalidOperationException($"The loopback Twilio answered {(int)response.StatusCode} to the baseline.");
                await response.Content.ReadAsByteArrayAsync();
            }
            return clock.Elapsed.TotalSeconds;
        });
        await Task.WhenAll(emails, texts);
        return new DispatchTimes(await emails, await texts, clock.Elapsed.TotalSeconds);
    }
}
