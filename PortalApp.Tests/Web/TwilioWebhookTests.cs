using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PortalApp.Data;
using PortalApp.Features.Channels;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Web;

/// <summary>The whole app sending through the loopback Twilio, and Twilio's signed delivery reports coming back.</summary>
public sealed class TwilioAppFixture : IAsyncLifetime
{
    public const string PublicBaseUrl = "https://portal.clinic.example";

    public LoopbackTwilio Twilio { get; private set; } = null!;
    public PortalAppFactory Factory { get; private set; } = null!;
    public HttpClient App { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Twilio = await LoopbackTwilio.StartAsync();
        Factory = new PortalAppFactory().With("Clinic:PublicBaseUrl", PublicBaseUrl);
        foreach (var (key, value) in Twilio.Settings)
            Factory.With(key, value);
        App = Factory.CreateClient();
        Twilio.CallbacksTo(App, PublicBaseUrl);
    }

    /// <summary>A text queued as a feature queues it, sent by the app's own background dispatcher.</summary>
    public async Task<(long Id, string Sid)> SendTextAsync(string to = "+14165550123", string body = "Reminder: Thu 5 Mar 10:00, Room 1.")
    {
        var sent = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var events = Factory.Services.GetRequiredService<OutboundMessageEvents>();
        void OnChanged(OutboundMessageChanged change)
        {
            if (change.Status == OutboundMessageStatus.Sent)
                sent.TrySetResult(change.MessageId);
        }
        events.Changed += OnChanged;
        try
        {
            var outbound = Factory.Services.GetRequiredService<OutboundMessages>();
            long id;
            await using (var db = await Factory.DbAsync())
            {
                var row = outbound.EnqueueText(db, new OutgoingText(MessageChannel.Sms, to, body, "reminder", ClientLanguage.English, RecipientName: "Emma Smith"));
                await db.SaveChangesAsync();
                id = row.Id;
            }
            outbound.Wake();
            while (await sent.Task.WaitAsync(TimeSpan.FromSeconds(15)) != id)
                sent = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            return (id, (await RowAsync(id)).ProviderMessageId!);
        }
        finally
        {
            events.Changed -= OnChanged;
        }
    }

    public async Task<OutboundMessage> RowAsync(long id)
    {
        await using var db = await Factory.DbAsync();
        return await db.OutboundMessages.AsNoTracking().SingleAsync(m => m.Id == id);
    }

    public async ValueTask DisposeAsync()
    {
        App.Dispose();
        await Factory.DisposeAsync();
        await Twilio.DisposeAsync();
    }
}

public sealed class TwilioWebhookTests(TwilioAppFixture app) : IClassFixture<TwilioAppFixture>
{
    private const string StatusUrl = TwilioAppFixture.PublicBaseUrl + WebhookPaths.Status;

    private static Dictionary<string, string> Delivered(string sid) => new()
    {
        ["MessageSid"] = sid, ["SmsSid"] = sid, ["MessageStatus"] = "delivered", ["SmsStatus"] = "delivered",
        ["AccountSid"] = LoopbackTwilio.AccountSid, ["To"] = "+14165550123", ["From"] = LoopbackTwilio.FromNumber, ["ApiVersion"] = "2010-04-01",
    };

    [Fact]
    public async Task A_text_goes_to_twilio_and_its_signed_delivered_report_marks_it_delivered()
    {
        var (id, sid) = await app.SendTextAsync();

        var response = await app.Twilio.SendStatusCallbackAsync(sid, "delivered");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var row = await app.RowAsync(id);
        Assert.Equal(OutboundMessageStatus.Delivered, row.Status);
        Assert.NotNull(row.DeliveredAtUtc);
    }

    [Fact]
    public async Task An_undelivered_report_with_twilio_s_error_code_marks_the_text_failed_with_the_reason()
    {
        var (id, sid) = await app.SendTextAsync();

        Assert.Equal(HttpStatusCode.OK, (await app.Twilio.SendStatusCallbackAsync(sid, "undelivered", "30005")).StatusCode);

        var row = await app.RowAsync(id);
        Assert.Equal((OutboundMessageStatus.Failed, "The number does not exist or is no longer in service (30005)."), (row.Status, row.StatusDetail));
    }

    public static TheoryData<string> Forgeries => ["a made-up signature", "no signature", "signed for the address the request came to", "signed with another token", "signed for other fields"];

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task A_report_without_twilio_s_signature_for_the_public_address_is_refused_and_changes_nothing(string forgery)
    {
        var (id, sid) = await app.SendTextAsync();
        var form = Delivered(sid);
        var signature = forgery switch
        {
            "a made-up signature" => "bm90IGEgc2lnbmF0dXJl",
            "no signature" => "",
            "signed for the address the request came to" => TwilioSignature.Sign(LoopbackTwilio.AuthToken, "http://localhost" + WebhookPaths.Status, form),
            "signed with another token" => TwilioSignature.Sign("someone-else-s-token", StatusUrl, form),
            _ => TwilioSignature.Sign(LoopbackTwilio.AuthToken, StatusUrl, new Dictionary<string, string>(form) { ["MessageStatus"] = "sent" }),
        };

        var response = await app.Twilio.PostSignedAsync(StatusUrl, form, signature);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var row = await app.RowAsync(id);
        Assert.Equal((OutboundMessageStatus.Sent, null), (row.Status, row.DeliveredAtUtc));
    }

    [Fact]
    public async Task A_report_larger_than_16_KB_is_refused_even_when_signed()
    {
        var (id, sid) = await app.SendTextAsync();
        var form = Delivered(sid);
        form["Padding"] = new string('p', 17 * 1024);

        var response = await app.Twilio.PostSignedAsync(StatusUrl, form);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(OutboundMessageStatus.Sent, (await app.RowAsync(id)).Status);
    }

    [Fact]
    public async Task A_signed_report_for_a_message_the_clinic_never_sent_is_answered_and_ignored()
    {
        var response = await app.Twilio.PostSignedAsync(StatusUrl, Delivered("SMffffffffffffffffffffffffffffffff"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_logs_hold_neither_the_auth_token_nor_the_patient_s_number_nor_the_text()
    {
        var (_, sid) = await app.SendTextAsync(to: "+14165550177", body: "Private words 8811 for the patient only.");
        await app.Twilio.PostSignedAsync(StatusUrl, Delivered(sid), "forged");
        await app.Twilio.SendStatusCallbackAsync(sid, "delivered");

        var logs = app.Factory.ReadLogs();

        Assert.Contains("TextDispatcher: Sent \"Sms\" message", logs);
        Assert.Contains("Refused a webhook to /webhooks/twilio/status without a valid Twilio signature", logs);
        Assert.DoesNotContain(LoopbackTwilio.AuthToken, logs);
        Assert.DoesNotContain(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{LoopbackTwilio.AccountSid}:{LoopbackTwilio.AuthToken}")), logs);
        Assert.DoesNotContain("4165550177", logs);
        Assert.DoesNotContain("Private words 8811", logs);
    }
}

/// <summary>The webhooks are anonymous: a flood from one address is cut off before its signatures are even checked.</summary>
public sealed class TwilioWebhookRateLimitTests : IAsyncLifetime
{
    private readonly PortalAppFactory _factory = new PortalAppFactory().With("RateLimits:WebhooksPerMinute", "3");

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    [Fact]
    public async Task Posts_beyond_the_limit_per_minute_get_429()
    {
        var client = _factory.CreateClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            var response = await client.PostAsync(WebhookPaths.Status, new FormUrlEncodedContent(new Dictionary<string, string> { ["MessageSid"] = "SM1", ["MessageStatus"] = "delivered" }));
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.TooManyRequests], statuses);
    }
}
