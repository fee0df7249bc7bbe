using System.Text.Json;
using Microsoft.Extensions.Options;
using PortalApp.Data;
using PortalApp.Infrastructure;

namespace PortalApp.Features.Channels;

/// <summary>One text or call as the Folder transport writes it, and as the Dev outbox reads it back.</summary>
public sealed record DevOutboxEntry(long MessageId, MessageChannel Channel, string To, string From, string Body, ClientLanguage Language, DateTime TimeUtc);

/// <summary>
/// Writes each text or call as a small JSON file instead of sending it: no provider needed in development. A folder
/// that cannot be written (missing rights, a full disk) is the machine's problem, not the message's: try later.
/// </summary>
public sealed class FolderTextTransport(IOptions<MessagingOptions> options, IHostEnvironment environment, TimeProvider time) : ITextTransport
{
    public const string Extension = ".json";
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    public string Folder => Path.GetFullPath(options.Value.PickupFolder, environment.ContentRootPath);

    public Task<TextSendResult> SendSmsAsync(OutboundMessage m, string body, CancellationToken ct) => WriteAsync(m, body, ct);

    public Task<TextSendResult> StartCallAsync(OutboundMessage m, CancellationToken ct) => WriteAsync(m, m.Body, ct);

    private async Task<TextSendResult> WriteAsync(OutboundMessage m, string body, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var from = options.Value.Twilio.FromNumber is { Length: > 0 } number ? number : "(the clinic)";
        var entry = new DevOutboxEntry(m.Id, m.Channel, m.Recipient, from, body, m.Language, now);
        try
        {
            var name = await PickupFolder.WriteAsync(Folder, now, Extension, async (path, token) =>
            {
                await using var file = File.Create(path);
                await JsonSerializer.SerializeAsync(file, entry, Json, token);
            }, ct);
            return new TextSendResult.Accepted("dev-" + Path.GetFileNameWithoutExtension(name));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new TextSendResult.TryLater($"The texts folder cannot be written ({ex.Message}).");
        }
    }
}
