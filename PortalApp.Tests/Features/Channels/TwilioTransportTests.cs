using System.Net;
using PortalApp.Data;
using PortalApp.Features.Channels;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Channels;

/// <summary>Texts and calls through Twilio's REST API, over real HTTP to a server on 127.0.0.1 that plays Twilio.</summary>
[Trait("Providers", "Both")]
public sealed class TwilioTransportTests : IAsyncLifetime
{
    private LoopbackTwilio _twilio = null!;
    private ServiceTestHost _host = null!;

    public async ValueTask InitializeAsync()
    {
        _twilio = await LoopbackTwilio.StartAsync();
        _host = await ServiceTestHost.StartAsync(Settings());
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        await _twilio.DisposeAsync();
    }

    private Dictionary<string, string?> Settings(params (string Key, string Value)[] more)
    {
        var settings = _twilio.Settings;
        foreach (var (key, value) in more)
            settings[key] = value;
        return settings;
    }

    private DateTime Now => _host.Time.GetUtcNow().UtcDateTime;

    [Fact]
    public async Task A_text_is_posted_to_messages_json_with_the_clinic_s_number_its_link_and_the_status_callback_and_is_sent()
    {
        var id = await _host.EnqueueTextAsync(body: TextTestData.ReminderWithLink, secret: "token-4711");

        Assert.Equal(1, await _host.RunTextsAsync());

        var request = Assert.Single(_twilio.Requests);
        Assert.Equal(("Messages", true, 201), (request.Resource, request.Authenticated, request.StatusCode));
        Assert.Equal(TextTestData.Patient, request.Form["To"]);
        Assert.Equal(LoopbackTwilio.FromNumber, request.Form["From"]);
        Assert.EndsWith("Confirm or cancel: https://portal.clinic.example/appointment/token-4711", request.Form["Body"]);
        Assert.Equal("https://portal.clinic.example/webhooks/twilio/status", request.Form["StatusCallback"]);
        var row = await _host.MessageAsync(id);
        Assert.Equal((OutboundMessageStatus.Sent, request.Sid, 1, Now), (row.Status, row.ProviderMessageId, row.Attempts, row.SentAtUtc));
        Assert.Null(row.ProtectedSecret); // the link now lives only on the patient's phone
        Assert.DoesNotContain("token-4711", row.Body);
        Assert.Null(row.ClaimedBy);
    }

    [Fact]
    public async Task A_call_is_posted_to_calls_json_with_the_voice_url_and_a_status_callback_for_its_end()
    {
        var id = await _host.EnqueueTextAsync(channel: MessageChannel.Voice, body: "This is Test Clinic reminding you of your appointment.");

        await _host.RunTextsAsync();

        var request = Assert.Single(_twilio.Requests);
        Assert.Equal(("Calls", 201), (request.Resource, request.StatusCode));
        Assert.StartsWith("CA", request.Sid);
        Assert.Equal(TextTestData.Patient, request.Form["To"]);
        Assert.Equal(LoopbackTwilio.FromNumber, request.Form["From"]);
        Assert.Equal($"https://portal.clinic.example/webhooks/twilio/voice/{id}", request.Form["Url"]);
        Assert.Equal("POST", request.Form["Method"]);
        Assert.Equal("https://portal.clinic.example/webhooks/twilio/status", request.Form["StatusCallback"]);
        Assert.Equal("completed", request.Form["StatusCallbackEvent"]);
        Assert.Equal((OutboundMessageStatus.Sent, request.Sid), ((await _host.MessageAsync(id)).Status, (await _host.MessageAsync(id)).ProviderMessageId));
    }

    [Fact]
    public async Task A_429_and_a_503_from_twilio_are_retried_with_backoff_and_the_text_then_goes_once()
    {
        _twilio.FailNext(1, HttpStatusCode.TooManyRequests);
        _twilio.FailNext(1, HttpStatusCode.ServiceUnavailable);
        var id = await _host.EnqueueTextAsync();

        await _host.RunTextsAsync();

        Assert.Equal([429, 503, 201], _twilio.Requests.Select(r => r.StatusCode));
        var row = await _host.MessageAsync(id);
        Assert.Equal((OutboundMessageStatus.Sent, 1), (row.Status, row.Attempts));
        Assert.Equal(_twilio.Requests[^1].Sid, row.ProviderMessageId);
    }

    [Fact]
    public async Task Twilio_s_retry_after_is_waited_for_before_trying_again()
    {
        _twilio.FailNext(1, HttpStatusCode.TooManyRequests, retryAfterSeconds: 1);
        await _host.EnqueueTextAsync();

        await _host.RunTextsAsync();

        var requests = _twilio.Requests;
        Assert.Equal(2, requests.Count);
        // The configured backoff is 10 ms here: only Retry-After explains a second's wait.
        Assert.True(requests[1].ReceivedAt - requests[0].ReceivedAt >= TimeSpan.FromMilliseconds(950),
            $"The retry came {(requests[1].ReceivedAt - requests[0].ReceivedAt).TotalMilliseconds} ms after the 429.");
    }

    [Fact]
    public async Task A_retry_after_longer_than_half_a_minute_is_not_waited_for_and_the_text_goes_back_to_the_queue()
    {
        // The default timeout (30 s, so 10 s a try): with 5 s, a try was once cut after 1.7 s under both test passes
        // before the loopback had even read the request. Waiting out the 120 s would still show, as no "HTTP 429" below.
        var host = _host;
        _twilio.FailNext(1, HttpStatusCode.TooManyRequests, retryAfterSeconds: 120);
        var id = await host.EnqueueTextAsync();

        await host.RunTextsAsync();

        Assert.Single(_twilio.Requests);
        var row = await host.MessageAsync(id);
        Assert.Equal((OutboundMessageStatus.Queued, 1), (row.Status, row.Attempts));
        Assert.Contains("HTTP 429", row.StatusDetail);
        Assert.True(row.NextAttemptAtUtc > host.Time.GetUtcNow().UtcDateTime);
    }

    [Fact]
    public async Task A_text_twilio_has_but_does_not_answer_in_time_is_recorded_uncertain_and_never_sent_again()
    {
        // Each try gets a third of the timeout, 1 s here; Twilio has the text and answers only after that. A second try
        // would be a second text to the patient.
        await using var host = await ServiceTestHost.StartAsync(Settings(("Messaging:Twilio:TimeoutSeconds", "3")));
        var answerLate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _twilio.BeforeAnswer = _ => _twilio.Requests.Count == 1 ? answerLate.Task : Task.CompletedTask;
        var id = await host.EnqueueTextAsync(body: TextTestData.ReminderWithLink, secret: "token-4711");
        var next = await host.EnqueueTextAsync(to: "+14165550177");

        try
        {
            await host.RunTextsAsync();
        }
        finally
        {
            answerLate.SetResult();
        }
        // The next one is not handed to a Twilio that hangs: it waits, as after a 5xx.
        var waiting = await host.MessageAsync(next);
        Assert.Equal((OutboundMessageStatus.Queued, 0), (waiting.Status, waiting.Attempts));
        Assert.True(waiting.NextAttemptAtUtc > host.Time.GetUtcNow().UtcDateTime, "The next text should wait.");
        Assert.Equal("Waiting: the provider did not answer the message before this one in time.", waiting.StatusDetail);
        host.Time.Advance(TimeSpan.FromDays(1));
        await host.RunTextsAsync();

        Assert.Equal([TextTestData.Patient, "+14165550177"], _twilio.Requests.Select(r => r.Form["To"]));
        var row = await host.MessageAsync(id);
        Assert.Equal((OutboundMessageStatus.Uncertain, 1, null, null), (row.Status, row.Attempts, row.ProtectedSecret, row.ClaimedBy));
        Assert.Equal("Twilio did not answer in time: it may or may not have gone, so it was not sent again.", row.StatusDetail);
        Assert.Equal(OutboundMessageStatus.Sent, (await host.MessageAsync(next)).Status);
    }

    [Fact]
    public async Task A_5xx_that_outlasts_the_retries_leaves_the_text_queued_for_a_later_attempt()
    {
        _twilio.FailNext(10, HttpStatusCode.ServiceUnavailable);
        var id = await _host.EnqueueTextAsync();

        await _host.RunTextsAsync();

        Assert.Equal(4, _twilio.Requests.Count); // the first try and three retries
        var row = await _host.MessageAsync(id);
        Assert.Equal((OutboundMessageStatus.Queued, 1), (row.Status, row.Attempts));
        Assert.Equal("Twilio was unavailable (HTTP 503); it will be tried again later.", row.StatusDetail);
        // Outbox:RetryBaseDelaySeconds (30 s) with ±20% jitter: the email outbox's rule.
        Assert.InRange(row.NextAttemptAtUtc - Now, TimeSpan.FromSeconds(24), TimeSpan.FromSeconds(36));
        Assert.Null(row.ProviderMessageId);
    }

    [Theory]
    [InlineData(MessageChannel.Sms, LoopbackTwilio.InvalidNumber, "The number is not a valid phone number (21211).")]
    [InlineData(MessageChannel.Sms, LoopbackTwilio.UnroutableNumber, "Twilio cannot send texts to this number (unroutable) (21612).")]
    [InlineData(MessageChannel.Sms, LoopbackTwilio.BlockedNumber, "The recipient replied STOP to the clinic's number: Twilio sends them nothing until they reply START (21610).")]
    [InlineData(MessageChannel.Sms, LoopbackTwilio.NotMobileNumber, "The number is not a mobile number and cannot receive texts (21614).")]
    [InlineData(MessageChannel.Sms, LoopbackTwilio.NoPermissionNumber, "Texts to this country or region are not enabled on the clinic's Twilio account (21408).")]
    [InlineData(MessageChannel.Voice, LoopbackTwilio.InvalidNumber, "The number is not a valid phone number (21217).")]
    [InlineData(MessageChannel.Voice, LoopbackTwilio.BlockedNumber, "Twilio blocks calls to this number (21216).")]
    public async Task A_number_twilio_refuses_fails_at_once_with_its_reason_and_is_never_tried_again(MessageChannel channel, string number, string reason)
    {
        var id = await _host.EnqueueTextAsync(to: number, channel: channel, body: TextTestData.ReminderWithLink, secret: "token-4711");

        await _host.RunTextsAsync();
        _host.Time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(0, await _host.RunTextsAsync());

        Assert.Equal(400, Assert.Single(_twilio.Requests).StatusCode);
        var row = await _host.MessageAsync(id);
        Assert.Equal((OutboundMessageStatus.Failed, reason, 1), (row.Status, row.StatusDetail, row.Attempts));
        Assert.Null(row.ProtectedSecret);
    }

    [Fact]
    public async Task Wrong_credentials_are_not_a_crash_the_text_waits_with_a_reason_that_names_the_settings()
    {
        await using var host = await ServiceTestHost.StartAsync(Settings(("Messaging:Twilio:AuthToken", "not-the-token")));
        var id = await host.EnqueueTextAsync();

        Assert.Equal(1, await host.RunTextsAsync());

        Assert.Equal(401, Assert.Single(_twilio.Requests).StatusCode); // not retried by the handler: it would not help
        var row = await host.MessageAsync(id);
        Assert.Equal((OutboundMessageStatus.Queued, 1), (row.Status, row.Attempts));
        Assert.Equal("Twilio refused the clinic's credentials (HTTP 401): check Messaging:Twilio:AccountSid and Messaging:Twilio:AuthToken.", row.StatusDetail);
    }

    [Fact]
    public async Task A_sending_number_twilio_does_not_know_keeps_texts_waiting_for_the_fix_instead_of_failing_them()
    {
        await using var host = await ServiceTestHost.StartAsync(Settings(("Messaging:Twilio:FromNumber", "+14165550199")));
        var id = await host.EnqueueTextAsync();

        await host.RunTextsAsync();

        var row = await host.MessageAsync(id);
        Assert.Equal(OutboundMessageStatus.Queued, row.Status);
        Assert.StartsWith("Messaging:Twilio:FromNumber is not a number of this Twilio account that can send texts (21606).", row.StatusDetail);
    }

    [Fact]
    public async Task An_answer_that_never_ends_is_read_no_further_than_64_KB()
    {
        _twilio.AnswerNextEndlessly(HttpStatusCode.BadRequest);
        var id = await _host.EnqueueTextAsync();

        await _host.RunTextsAsync().WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);

        var row = await _host.MessageAsync(id);
        Assert.Equal((OutboundMessageStatus.Failed, "Twilio refused it (HTTP 400)."), (row.Status, row.StatusDetail));
    }

    [Fact]
    public async Task Twilio_s_own_long_message_is_cut_to_fit_the_status_detail()
    {
        _twilio.AnswerNext(HttpStatusCode.BadRequest, $$"""{"code":21999,"message":"{{new string('w', 3000)}}","status":400}""");
        var id = await _host.EnqueueTextAsync();

        await _host.RunTextsAsync();

        var row = await _host.MessageAsync(id);
        Assert.Equal(OutboundMessageStatus.Failed, row.Status);
        Assert.StartsWith("Twilio refused it: www", row.StatusDetail);
        Assert.Equal(OutboundMessage.MaxDetailLength, row.StatusDetail!.Length);
    }

    [Fact]
    public async Task A_text_twilio_took_without_a_readable_answer_is_sent_not_sent_again()
    {
        _twilio.AnswerNext(HttpStatusCode.Created, "<html>not what Twilio sends</html>", "text/html");
        var id = await _host.EnqueueTextAsync();

        await _host.RunTextsAsync();
        _host.Time.Advance(TimeSpan.FromDays(1));
        await _host.RunTextsAsync();

        Assert.Single(_twilio.Requests);
        var row = await _host.MessageAsync(id);
        Assert.Equal((OutboundMessageStatus.Sent, null), (row.Status, row.ProviderMessageId));
        Assert.Contains("no delivery report will match it", row.StatusDetail);
    }
}
