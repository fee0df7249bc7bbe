using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PortalApp.Features.Messaging;
using PortalApp.Features.Reminders;
using PortalApp.Tests.Features.Reminders;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Portal;

public sealed class PortalRateLimitTests : IAsyncLifetime
{
    private readonly PortalAppFactory _factory = new PortalAppFactory().With("RateLimits:PortalFormsPerMinute", "5");

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    [Fact]
    public async Task A_flood_of_sign_in_attempts_from_one_address_gets_429_with_a_clear_page()
    {
        var browser = StaffClient.Anonymous(_factory);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 7; i++)
        {
            var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["Input.Email"] = "a@example.com", ["Input.Password"] = "x" });
            statuses.Add((await browser.PostAsync("/portal/sign-in", form)).StatusCode);
        }

        Assert.Equal([HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses.Skip(5));
        var blocked = await browser.PostAsync("/portal/sign-in", new FormUrlEncodedContent([]));
        Assert.Matches(@"For your safety, this form is paused\. Please try again in \d+ seconds\.", await blocked.Content.ReadAsStringAsync());
        Assert.InRange(blocked.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 60);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/portal/sign-in")).StatusCode);
    }

    [Fact]
    public async Task A_flood_of_replies_gets_429_and_nothing_past_the_limit_is_saved()
    {
        var (clientId, email) = await PortalForms.RegisteredPatientAsync(_factory);
        int conversationId;
        using (var scope = _factory.Services.CreateScope())
            conversationId = Assert.IsType<MessageSendResult.Sent>(await scope.ServiceProvider.GetRequiredService<StaffMessagingService>()
                .StartAsync(clientId, "Question", "How are you?", true, Staff.FrontDesk)).ConversationId;
        var patient = StaffClient.Anonymous(_factory);
        Assert.Equal(HttpStatusCode.Redirect, (await PortalForms.PatientSignInAsync(patient, email, PortalForms.PatientPassword)).StatusCode);
        var path = $"/portal/messages/{conversationId}";
        var page = await patient.GetStringAsync(path); // reading is free: only posts count

        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < 8; i++)
            responses.Add(await patient.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = PortalForms.Antiforgery(page), ["_handler"] = "reply", ["Input.Body"] = $"Reply {i}",
            })));

        var statuses = responses.Select(r => r.StatusCode).ToList();
        var accepted = statuses.TakeWhile(s => s == HttpStatusCode.Redirect).Count();
        Assert.All(statuses.Skip(accepted), s => Assert.Equal(HttpStatusCode.TooManyRequests, s));
        Assert.InRange(accepted, 1, 4); // the registration and the sign-in used two of the five
        Assert.Matches(@"For your safety, this form is paused\. Please try again in \d+ seconds\.", await responses[^1].Content.ReadAsStringAsync());
        await using var db = await _factory.DbAsync();
        Assert.Equal(accepted, await db.ConversationMessages.CountAsync(m => m.ConversationId == conversationId && m.FromPatient));
    }

    [Fact]
    public async Task A_flood_of_answers_on_a_reminder_link_gets_429_and_reading_it_stays_free()
    {
        var client = await ReminderTestData.AddClientAsync(_factory.DbAsync, "Jane", "Doe", null);
        var appointment = await ReminderTestData.BookAsync(_factory.DbAsync, client.Id, DateTime.UtcNow.AddDays(3));
        var path = ReminderLinks.PathPrefix + await ReminderTestData.IssueLinkAsync(_factory.DbAsync, appointment, DateTime.UtcNow);
        var browser = StaffClient.Anonymous(_factory);
        var page = await browser.GetStringAsync(path);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 7; i++)
            statuses.Add((await browser.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = PortalForms.Antiforgery(page), ["_handler"] = AppointmentLinkPage.ConfirmForm, ["Version"] = "0",
            }))).StatusCode);

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.OK, 5).Concat([HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests]), statuses);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(path)).StatusCode);
    }
}
