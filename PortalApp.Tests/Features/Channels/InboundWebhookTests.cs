using System.Net;
using System.Xml.Linq;
using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Features.Channels;
using PortalApp.Tests.Features.Reminders;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Channels;

/// <summary>
/// The provider's webhooks over real HTTP, signed as Twilio signs them (HMAC-SHA1 of the clinic's public URL and the
/// fields, with the auth token): texts in, and the reminder call's script and keys.
/// </summary>
public sealed class InboundWebhookTests(RemindersAppFixture app) : IClassFixture<RemindersAppFixture>
{
    private const string ClinicNumber = "+14165550199";

    /// <param name="address">Where the request goes (and its Host): the app itself unless a test says otherwise.</param>
    private async Task<HttpResponseMessage> PostSignedAsync(string path, Dictionary<string, string> form, string? signature = null, string? address = null,
        bool chunked = false)
    {
        var url = WebhookPaths.Absolute(await app.PublicBaseUrlAsync(), path);
        HttpContent content = new FormUrlEncodedContent(form);
        if (chunked)
        {
            content = new StreamContent(await content.ReadAsStreamAsync());
            content.Headers.ContentType = new("application/x-www-form-urlencoded");
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, address ?? path) { Content = content };
        request.Headers.TransferEncodingChunked = chunked;
        request.Headers.Add(TwilioSignature.Header, signature ?? TwilioSignature.Sign(RemindersAppFixture.AuthToken, url, form));
        return await StaffClient.Anonymous(app.Factory).SendAsync(request);
    }

    private static Dictionary<string, string> Text(string from, string body, string? sid = null) => new()
    {
        ["MessageSid"] = sid ?? "SM" + Guid.NewGuid().ToString("N"), ["AccountSid"] = "AC" + new string('0', 32), ["From"] = from, ["To"] = ClinicNumber,
        ["Body"] = body, ["NumMedia"] = "0",
    };

    private static Dictionary<string, string> Key(string digits, string? callSid = null) => new()
    {
        ["CallSid"] = callSid ?? "CA" + Guid.NewGuid().ToString("N"), ["AccountSid"] = "AC" + new string('0', 32), ["Digits"] = digits,
        ["From"] = ClinicNumber, ["To"] = "+14165552999",
    };

    private static async Task<XElement> TwimlAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/xml", response.Content.Headers.ContentType!.MediaType);
        return XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!;
    }

    private async Task<(Client Client, Appointment Appointment, OutboundMessage Sent)> RemindedAsync(MessageChannel channel, ClientLanguage language = ClientLanguage.English)
    {
        var mobile = ReminderTestData.NewMobile();
        var client = await ReminderTestData.AddClientAsync(app.Factory.DbAsync, "Jane", "Doe", mobile, language);
        var appointment = await ReminderTestData.BookAsync(app.Factory.DbAsync, client.Id, app.NineOClock(2));
        return (client, appointment, await ReminderTestData.AddSentAsync(app.Factory.DbAsync, appointment, channel, mobile, app.Now.AddHours(-1), language));
    }

    private async Task<int> InboundCountAsync()
    {
        await using var db = await app.Factory.DbAsync();
        return await db.InboundMessages.CountAsync();
    }

    private async Task<Appointment> ReadAsync(int id)
    {
        await using var db = await app.Factory.DbAsync();
        return await db.Appointments.AsNoTracking().SingleAsync(a => a.Id == id);
    }

    [Fact]
    public async Task A_signed_C_confirms_and_is_answered_with_one_short_message_and_a_retry_is_recorded_once_and_answered_the_same()
    {
        var (_, appointment, sms) = await RemindedAsync(MessageChannel.Sms);
        var text = Text(sms.Recipient, "c", sid: "SM" + Guid.NewGuid().ToString("N"));
        var before = await InboundCountAsync();

        var first = await PostSignedAsync(WebhookPaths.InboundSms, text);
        var firstBody = await first.Content.ReadAsStringAsync();
        var retried = await PostSignedAsync(WebhookPaths.InboundSms, text);

        var twiml = await TwimlAsync(first);
        Assert.Equal("Response", twiml.Name.LocalName);
        var message = Assert.Single(twiml.Elements("Message"));
        Assert.Matches(@"^Thank you: your appointment on \w+ \d+ March at \d+:00 AM is confirmed\.$", message.Value);
        Assert.Equal(firstBody, await retried.Content.ReadAsStringAsync());
        Assert.Equal(before + 1, await InboundCountAsync());
        Assert.Equal("text reply", (await ReadAsync(appointment.Id)).ConfirmedVia);
    }

    [Fact]
    public async Task Stop_is_answered_with_an_empty_response_and_the_card_shows_the_opt_out()
    {
        var (client, _, sms) = await RemindedAsync(MessageChannel.Sms);

        var twiml = await TwimlAsync(await PostSignedAsync(WebhookPaths.InboundSms, Text(sms.Recipient, "STOP")));

        Assert.Empty(twiml.Elements());
        await using var db = await app.Factory.DbAsync();
        Assert.Equal(app.Now, (await db.Clients.AsNoTracking().SingleAsync(c => c.Id == client.Id)).SmsOptOutAtUtc);
    }

    public static TheoryData<string, string?> Forgeries => new()
    {
        { "missing", "" },
        { "made up", "bm90IGEgc2lnbmF0dXJl" },
        { "another key", null },
        { "the request's own host", null },
    };

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task A_text_without_a_valid_signature_is_refused_with_403_and_nothing_is_recorded(string forgery, string? signature)
    {
        var (client, appointment, sms) = await RemindedAsync(MessageChannel.Sms);
        var before = await InboundCountAsync();
        var form = Text(sms.Recipient, forgery == "another key" ? "STOP" : "C");
        var url = WebhookPaths.Absolute(await app.PublicBaseUrlAsync(), WebhookPaths.InboundSms);
        // Signed for the address the request reached, not the clinic's public one: whoever sends a request chooses its Host.
        var ownHost = "http://webhooks.attacker.example" + WebhookPaths.InboundSms;
        signature = forgery switch
        {
            "another key" => TwilioSignature.Sign("some-other-account-token", url, form),
            "the request's own host" => TwilioSignature.Sign(RemindersAppFixture.AuthToken, ownHost, form),
            _ => signature,
        };

        var response = await PostSignedAsync(WebhookPaths.InboundSms, form, signature, address: forgery == "the request's own host" ? ownHost : null);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
        Assert.Equal(before, await InboundCountAsync());
        Assert.Null((await ReadAsync(appointment.Id)).ConfirmedAtUtc);
        await using var db = await app.Factory.DbAsync();
        Assert.Null((await db.Clients.AsNoTracking().SingleAsync(c => c.Id == client.Id)).SmsOptOutAtUtc);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_signed_request_over_16_kilobytes_is_refused_and_nothing_is_recorded(bool chunked)
    {
        var (_, appointment, sms) = await RemindedAsync(MessageChannel.Sms);
        var before = await InboundCountAsync();
        var form = Text(sms.Recipient, "C");
        form["Padding"] = new string('x', InboundWebhooks.MaxRequestBytes);

        var response = await PostSignedAsync(WebhookPaths.InboundSms, form, chunked: chunked);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(before, await InboundCountAsync());
        Assert.Null((await ReadAsync(appointment.Id)).ConfirmedAtUtc);
    }

    [Theory]
    [InlineData(ClientLanguage.English, "en-CA", "Press 1 to confirm, 2 to cancel.")]
    [InlineData(ClientLanguage.French, "fr-CA", "Appuyez sur 1 pour confirmer, sur 2 pour annuler.")]
    public async Task The_call_says_the_reminder_and_asks_for_a_key_in_the_clients_language_twice_then_hangs_up(ClientLanguage language, string voice, string question)
    {
        var (_, _, call) = await RemindedAsync(MessageChannel.Voice, language);
        var path = WebhookPaths.Voice(call.Id);

        var twiml = await TwimlAsync(await PostSignedAsync(path, new() { ["CallSid"] = call.ProviderMessageId!, ["CallStatus"] = "in-progress" }));

        var gathers = twiml.Elements("Gather").ToList();
        Assert.Equal(2, gathers.Count);
        var gatherUrl = WebhookPaths.Absolute(await app.PublicBaseUrlAsync(), WebhookPaths.Gather(call.Id));
        Assert.All(gathers, g => Assert.Equal(("1", gatherUrl, "POST"), ((string?)g.Attribute("numDigits"), (string?)g.Attribute("action"), (string?)g.Attribute("method"))));
        Assert.All(gathers, g => Assert.Equal([call.Body, question], g.Elements("Say").Select(s => s.Value)));
        Assert.All(twiml.Descendants("Say"), s => Assert.Equal(voice, (string?)s.Attribute("language")));
        Assert.Equal("Hangup", twiml.Elements().Last().Name.LocalName);
    }

    [Fact]
    public async Task The_call_script_is_only_for_calls_and_only_when_signed()
    {
        var (_, _, sms) = await RemindedAsync(MessageChannel.Sms);
        var (_, _, call) = await RemindedAsync(MessageChannel.Voice);

        var notACall = await PostSignedAsync(WebhookPaths.Voice(sms.Id), new() { ["CallSid"] = "CA1" });
        var unsigned = await PostSignedAsync(WebhookPaths.Voice(call.Id), new() { ["CallSid"] = "CA1" }, signature: "");
        using var get = new HttpRequestMessage(HttpMethod.Get, WebhookPaths.Voice(call.Id));
        get.Headers.Add(TwilioSignature.Header, TwilioSignature.Sign(RemindersAppFixture.AuthToken,
            WebhookPaths.Absolute(await app.PublicBaseUrlAsync(), WebhookPaths.Voice(call.Id)), new Dictionary<string, string>()));
        var fetched = await StaffClient.Anonymous(app.Factory).SendAsync(get);

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.Forbidden), (notACall.StatusCode, unsigned.StatusCode));
        Assert.Equal(2, (await TwimlAsync(fetched)).Elements("Gather").Count());
    }

    [Fact]
    public async Task Key_1_confirms_and_says_so_in_french_for_a_french_client()
    {
        var (_, appointment, call) = await RemindedAsync(MessageChannel.Voice, ClientLanguage.French);

        var twiml = await TwimlAsync(await PostSignedAsync(WebhookPaths.Gather(call.Id), Key("1")));

        var say = Assert.Single(twiml.Elements("Say"));
        Assert.Equal("fr-CA", (string?)say.Attribute("language"));
        Assert.Matches(@"^Merci : votre rendez-vous du \w+ \d+ mars à \d+ h 00 est confirmé\. Au revoir\.$", say.Value);
        Assert.Equal("Hangup", twiml.Elements().Last().Name.LocalName);
        Assert.Equal("voice call", (await ReadAsync(appointment.Id)).ConfirmedVia);
    }

    [Fact]
    public async Task Key_2_cancels_and_says_so()
    {
        var (_, appointment, call) = await RemindedAsync(MessageChannel.Voice);

        var twiml = await TwimlAsync(await PostSignedAsync(WebhookPaths.Gather(call.Id), Key("2")));

        Assert.Contains("is cancelled. To book another, please call Maple Grove Family Health at (416) 555-0100. Goodbye.", Assert.Single(twiml.Elements("Say")).Value);
        Assert.Equal(("Cancelled by the patient (voice call)", AppointmentStatus.Cancelled),
            ((await ReadAsync(appointment.Id)).CancelReason, (await ReadAsync(appointment.Id)).Status));
    }

    [Fact]
    public async Task A_wrong_key_gets_sorry_and_one_more_chance_then_the_call_ends_with_nothing_recorded()
    {
        var (_, appointment, call) = await RemindedAsync(MessageChannel.Voice);
        var before = await InboundCountAsync();
        var callSid = "CA" + Guid.NewGuid().ToString("N");

        var first = await TwimlAsync(await PostSignedAsync(WebhookPaths.Gather(call.Id), Key("9", callSid)));
        var again = await TwimlAsync(await PostSignedAsync(WebhookPaths.Gather(call.Id) + VoiceScript.AgainQuery, Key("#", callSid)));

        Assert.Equal("Sorry, that key is not one of the choices.", first.Elements("Say").First().Value);
        var retry = Assert.Single(first.Elements("Gather"));
        Assert.EndsWith(WebhookPaths.Gather(call.Id) + VoiceScript.AgainQuery, (string?)retry.Attribute("action"));
        Assert.Equal("To confirm or cancel, please call Maple Grove Family Health at (416) 555-0100. Goodbye.", Assert.Single(again.Elements("Say")).Value);
        Assert.Empty(again.Elements("Gather"));
        Assert.Equal(before, await InboundCountAsync());
        Assert.Equal((AppointmentStatus.Booked, null), ((await ReadAsync(appointment.Id)).Status, (await ReadAsync(appointment.Id)).ConfirmedAtUtc));
    }

    [Fact]
    public async Task A_key_without_a_valid_signature_is_refused_and_changes_nothing()
    {
        var (_, appointment, call) = await RemindedAsync(MessageChannel.Voice);
        var before = await InboundCountAsync();

        var response = await PostSignedAsync(WebhookPaths.Gather(call.Id), Key("2"), signature: TwilioSignature.Sign("wrong", "https://x.example/", Key("2")));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(AppointmentStatus.Booked, (await ReadAsync(appointment.Id)).Status);
        Assert.Equal(before, await InboundCountAsync());
    }
}
