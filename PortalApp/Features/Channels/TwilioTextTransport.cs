using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using PortalApp.Data;
using PortalApp.Features.Clinic;
using Polly;
using Polly.Timeout;

namespace PortalApp.Features.Channels;

/// <summary>
/// Sends texts and starts calls through Twilio's REST API (form posts, Basic auth with the account SID and auth token).
/// Retries of a 429 or a 5xx belong to the HttpClient's resilience handler (<see cref="AddTwilioHttpClient"/>); what
/// outlives them, and every other answer, becomes a <see cref="TextSendResult"/>: never an exception.
/// </summary>
public sealed partial class TwilioTextTransport(
    IHttpClientFactory httpClients, IOptions<MessagingOptions> options, ClinicSettingsService clinic, ILogger<TwilioTextTransport> logger) : ITextTransport
{
    public const string HttpClientName = "twilio";

    /// <summary>Twilio's answers are a couple of kilobytes; more than this is not read, whatever the server sends.</summary>
    public const int MaxResponseBytes = 64 * 1024;

    /// <summary>A Retry-After longer than this is not waited for inside one send: the message goes back to the queue instead.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(30);

    private TwilioSettings Twilio => options.Value.Twilio;

    public async Task<TextSendResult> SendSmsAsync(OutboundMessage m, string body, CancellationToken ct)
    {
        var publicBase = (await clinic.GetAsync(ct)).PublicBaseUrl;
        return await PostAsync("Messages.json", new Dictionary<string, string>
        {
            ["To"] = m.Recipient,
            ["From"] = Twilio.FromNumber,
            ["Body"] = body,
            ["StatusCallback"] = WebhookPaths.Absolute(publicBase, WebhookPaths.Status),
        }, ct);
    }

    public async Task<TextSendResult> StartCallAsync(OutboundMessage m, CancellationToken ct)
    {
        var publicBase = (await clinic.GetAsync(ct)).PublicBaseUrl;
        return await PostAsync("Calls.json", new Dictionary<string, string>
        {
            ["To"] = m.Recipient,
            ["From"] = Twilio.FromNumber,
            ["Url"] = WebhookPaths.Absolute(publicBase, WebhookPaths.Voice(m.Id)),
            ["Method"] = "POST",
            ["StatusCallback"] = WebhookPaths.Absolute(publicBase, WebhookPaths.Status),
            ["StatusCallbackEvent"] = "completed",
            ["StatusCallbackMethod"] = "POST",
        }, ct);
    }

    private async Task<TextSendResult> PostAsync(string resource, Dictionary<string, string> form, CancellationToken ct)
    {
        var twilio = Twilio;
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{twilio.ApiBaseUrl.TrimEnd('/')}/2010-04-01/Accounts/{twilio.AccountSid}/{resource}")
        {
            Content = new FormUrlEncodedContent(form),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{twilio.AccountSid}:{twilio.AuthToken}")));
        HttpResponseMessage response;
        try
        {
            response = await httpClients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        }
        catch (TimeoutRejectedException ex) when (!ct.IsCancellationRequested && IsTryCutOff(ex, twilio))
        {
            logger.LogWarning("Twilio did not answer a send in time; it may have gone, so it is not sent again");
            return new TextSendResult.NoAnswer("Twilio did not answer in time: it may or may not have gone, so it was not sent again.");
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && ex is HttpRequestException or TimeoutRejectedException or TaskCanceledException)
        {
            logger.LogWarning("Twilio could not be reached ({ErrorType}); the message waits", ex.GetType().Name);
            return new TextSendResult.TryLater(ex is HttpRequestException ? $"Twilio could not be reached ({ex.Message})." : "Twilio did not answer in time.");
        }
        using (response)
        {
            var answer = await ReadAnswerAsync(response, ct);
            if (response.IsSuccessStatusCode)
                return new TextSendResult.Accepted(answer?.Sid is { } sid && IsSid(sid) ? sid : "");
            var result = TwilioErrors.Interpret(response.StatusCode, answer?.Code, answer?.Message);
            if (result is TextSendResult.TryLater)
                logger.LogWarning("Twilio answered {StatusCode} (error {TwilioCode}); the message waits", (int)response.StatusCode, answer?.Code);
            return result;
        }
    }

    private sealed record Answer(string? Sid, int? Code, string? Message);

    /// <summary>Reads at most <see cref="MaxResponseBytes"/>; a longer or unreadable answer counts as none.</summary>
    private static async Task<Answer?> ReadAnswerAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(ct);
            var buffer = new byte[MaxResponseBytes + 1];
            var length = 0;
            int read;
            while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), ct)) > 0)
                length += read;
            if (length > MaxResponseBytes)
                return null;
            using var json = JsonDocument.Parse(buffer.AsMemory(0, length));
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return null;
            return new Answer(
                root.TryGetProperty("sid", out var sid) && sid.ValueKind == JsonValueKind.String ? sid.GetString() : null,
                root.TryGetProperty("code", out var code) && code.TryGetInt32(out var c) ? c : null,
                root.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String ? message.GetString() : null);
        }
        catch (Exception ex) when (ex is JsonException or IOException or HttpRequestException)
        {
            return null;
        }
    }

    private static bool IsSid(string sid)
    {
        try
        {
            return Sid().IsMatch(sid);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"\A[A-Z]{2}[0-9a-fA-F]{32}\z", RegexOptions.None, matchTimeoutMilliseconds: Infrastructure.RegexTimeout.Milliseconds)]
    private static partial Regex Sid();

    /// <summary>
    /// The named HttpClient with the framework's resilience handler: a total time limit, up to three retries of a
    /// 429, a 5xx or a dropped connection with exponential backoff and jitter (or the Retry-After Twilio asks for, up
    /// to <see cref="MaxRetryAfter"/>), and a limit per try (a try cut off by it is not tried again: <see cref="IsTryCutOff"/>).
    /// </summary>
    public static void AddTwilioHttpClient(IServiceCollection services)
    {
        services.AddHttpClient(HttpClientName, (sp, client) =>
                // The pipeline's limits come first; this only keeps HttpClient's own 100 s out of the way of a longer setting.
                client.Timeout = TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<MessagingOptions>>().Value.Twilio.TimeoutSeconds + 5))
            .AddResilienceHandler("twilio", (pipeline, context) =>
            {
                var twilio = context.ServiceProvider.GetRequiredService<IOptions<MessagingOptions>>().Value.Twilio;
                // Waits on the provider are real waits on a socket: they follow the wall clock even when the app's
                // clock is another (the tests' fake clock would otherwise stop every retry).
                pipeline.TimeProvider = TimeProvider.System;
                pipeline.AddTimeout(TimeSpan.FromSeconds(twilio.TimeoutSeconds));
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = 3,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = TimeSpan.FromMilliseconds(twilio.RetryDelayMilliseconds),
                    ShouldRetryAfterHeader = true,
                    ShouldHandle = args => ValueTask.FromResult(HttpClientResiliencePredicates.IsTransient(args.Outcome)
                        && !(args.Outcome.Exception is TimeoutRejectedException cut && IsTryCutOff(cut, twilio))
                        && !AsksTooLongAWait(args.Outcome.Result)),
                });
                pipeline.AddTimeout(TryTimeout(twilio));
            });
    }

    private static TimeSpan TryTimeout(TwilioSettings twilio) => TimeSpan.FromSeconds(Math.Max(1, twilio.TimeoutSeconds / 3));

    /// <summary>
    /// A try cut off by its own limit may have reached Twilio and been taken: trying it again, now or later, creates a
    /// second text or call (a reminder went twice to a Twilio that answered slowly). So it is not tried again at all.
    /// The whole send's limit (always longer) mostly cuts a wait between tries, after an answer: that one tries later.
    /// </summary>
    private static bool IsTryCutOff(TimeoutRejectedException timeout, TwilioSettings twilio) => timeout.Timeout == TryTimeout(twilio);

    private static bool AsksTooLongAWait(HttpResponseMessage? response) =>
        response?.Headers.RetryAfter is { } retryAfter
        && (retryAfter.Delta ?? (retryAfter.Date - DateTimeOffset.UtcNow)) > MaxRetryAfter;
}
