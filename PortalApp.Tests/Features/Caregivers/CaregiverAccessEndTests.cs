using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PortalApp.Data;
using PortalApp.Features.Caregivers;
using PortalApp.Features.Clients;
using PortalApp.Features.Clinic;
using PortalApp.Features.Messaging;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Caregivers;

/// <summary>However a caregiver's access ends (staff, its end date, an end-dated card), it is gone on the very next request.</summary>
public sealed class CaregiverAccessEndTests : IAsyncLifetime
{
    private const string NorasBirthday = "1979-05-14";
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private PortalAppFactory _factory = null!;

    public ValueTask InitializeAsync()
    {
        _factory = new PortalAppFactory().WithClock(_clock);
        _factory.CreateClient().Dispose();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    private static Task<string> TextAsync(HttpResponseMessage response) => PortalForms.TextAsync(response);

    private T Service<T>() where T : notnull => _factory.Services.CreateScope().ServiceProvider.GetRequiredService<T>();

    private async Task<CaregiverInviteForm> FormAsync(int? caregiverClientId = null, DateOnly? endsOn = null) =>
        CaregiverInvites.Form(await CaregiverInvites.DefaultTemplateAsync(_factory.Services), "Ruth", "Quinn", $"ruth.{Guid.NewGuid():N}@example.com",
            endsOn: endsOn, caregiverClientId: caregiverClientId);

    /// <summary>Nora (a registered patient, with a conversation) and Owen, picked from his own client card: he sees himself and Nora.</summary>
    private async Task<(HttpClient Owen, int NoraId, int OwenId, long AccessId, int Conversation)> OwenCaringForNoraAsync()
    {
        var (noraId, _) = await PortalForms.RegisteredPatientAsync(_factory);
        var owen = await CaregiverInvites.AddClientAsync(_factory, "Owen", "Quinn", new DateOnly(1977, 11, 5));
        var (browser, accessId) = await CaregiverInvites.RegisteredAsync(_factory, noraId, NorasBirthday, await FormAsync(owen.Id));
        var started = await Service<StaffMessagingService>().StartAsync(noraId, "Nora's lab results", "Please see the details.", true, Staff.FrontDesk);
        var conversation = Assert.IsType<MessageSendResult.Sent>(started).ConversationId;
        Assert.Contains("<strong>Viewing: Nora Quinn</strong>", await TextAsync(await browser.GetAsync("/portal")));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"/portal/messages/{conversation}")).StatusCode);
        return (browser, noraId, owen.Id, accessId, conversation);
    }

    private async Task EndDateAsync(int clientId)
    {
        var clients = Service<ClientService>();
        var model = (await clients.GetAsync(clientId))!.ToEditModel();
        model.EndDate = (await Service<ClinicClock>().TodayAsync()).ToDateTime(TimeOnly.MinValue);
        Assert.IsType<ClientSaveResult.Saved>(await clients.UpdateAsync(clientId, model, Staff.FrontDesk));
    }

    private static void AssertSentToSignInBecauseAccessEnded(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/portal/sign-in", response.Headers.Location!.PathAndQuery);
        Assert.EndsWith("reason=ended", response.Headers.Location.Query);
    }

    private static async Task AssertOnlyOwnRecordAsync(HttpClient owen, int conversation)
    {
        var home = await TextAsync(await owen.GetAsync("/portal"));
        Assert.Contains("<h1>Hello Owen</h1>", home);
        Assert.DoesNotContain("Viewing: Nora Quinn", home);
        Assert.DoesNotContain("Nora Quinn —", home); // not in the switcher (only, once, in the notice that her access ended)
        Assert.Equal(HttpStatusCode.NotFound, (await owen.GetAsync($"/portal/messages/{conversation}")).StatusCode);
    }

    [Fact]
    public async Task Ending_access_takes_the_patient_out_of_the_switcher_on_the_next_request()
    {
        var (owen, noraId, _, accessId, conversation) = await OwenCaringForNoraAsync();

        Assert.IsType<Outcome.Done>(await Service<CaregiverAccessService>().EndAccessAsync(noraId, accessId, Staff.FrontDesk));

        var next = await TextAsync(await owen.GetAsync("/portal"));
        Assert.Contains("Your access to Nora Quinn's portal has ended. You are now viewing your own.", next);
        Assert.DoesNotContain("has ended", await TextAsync(await owen.GetAsync("/portal"))); // told once
        await AssertOnlyOwnRecordAsync(owen, conversation);
        var page = await owen.GetStringAsync("/portal");
        var viewNora = await owen.PostAsync("/portal/viewing", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = PortalForms.Antiforgery(page), ["clientId"] = noraId.ToString(CultureInfo.InvariantCulture),
        }));
        Assert.Equal(HttpStatusCode.NotFound, viewNora.StatusCode);
    }

    [Fact]
    public async Task Ending_the_only_access_sends_the_caregiver_to_sign_in_saying_access_ended()
    {
        var (noraId, _) = await PortalForms.RegisteredPatientAsync(_factory);
        var form = await FormAsync();
        var (ruth, accessId) = await CaregiverInvites.RegisteredAsync(_factory, noraId, NorasBirthday, form);
        Assert.Equal(HttpStatusCode.OK, (await ruth.GetAsync("/portal")).StatusCode);

        Assert.IsType<Outcome.Done>(await Service<CaregiverAccessService>().EndAccessAsync(noraId, accessId, Staff.FrontDesk));

        AssertSentToSignInBecauseAccessEnded(await ruth.GetAsync("/portal"));
        var again = await PortalForms.PatientSignInAsync(StaffClient.Anonymous(_factory), form.Email!, PortalForms.PatientPassword);
        Assert.Contains("Your portal access has ended. Contact Maple Grove Family Health.", await TextAsync(again));
    }

    [Fact]
    public async Task The_access_end_date_arriving_ends_it_on_the_next_request()
    {
        // Just before midnight in the clinic, so the end date comes well inside the session's 30 idle minutes.
        var zone = (await _factory.Services.GetRequiredService<ClinicSettingsService>().GetAsync()).TimeZone;
        var local = TimeZoneInfo.ConvertTime(_clock.GetUtcNow(), zone);
        var lateEvening = local.Date.AddHours(23).AddMinutes(45);
        if (lateEvening < local.DateTime)
            lateEvening = lateEvening.AddDays(1);
        _clock.SetUtcNow(TimeZoneInfo.ConvertTimeToUtc(lateEvening, zone));
        var (noraId, _) = await PortalForms.RegisteredPatientAsync(_factory);
        var (ruth, _) = await CaregiverInvites.RegisteredAsync(_factory, noraId, NorasBirthday, await FormAsync(endsOn: DateOnly.FromDateTime(lateEvening).AddDays(1)));
        Assert.Equal(HttpStatusCode.OK, (await ruth.GetAsync("/portal")).StatusCode);

        _clock.Advance(TimeSpan.FromMinutes(20));

        AssertSentToSignInBecauseAccessEnded(await ruth.GetAsync("/portal"));
    }

    [Fact]
    public async Task End_dating_the_patients_card_takes_them_out_on_the_next_request()
    {
        var (owen, noraId, _, _, conversation) = await OwenCaringForNoraAsync();

        await EndDateAsync(noraId);

        await AssertOnlyOwnRecordAsync(owen, conversation);
    }

    [Fact]
    public async Task End_dating_the_caregivers_own_card_ends_all_their_access()
    {
        var (owen, _, owenId, _, _) = await OwenCaringForNoraAsync();

        await EndDateAsync(owenId);

        AssertSentToSignInBecauseAccessEnded(await owen.GetAsync("/portal"));
    }

    [Fact]
    public async Task An_open_page_on_the_patient_learns_that_access_ended_while_the_session_itself_stands()
    {
        var (owen, noraId, owenId, accessId, _) = await OwenCaringForNoraAsync();
        Assert.Equal("{\"active\":true,\"ended\":false,\"patientLost\":false}", await owen.GetStringAsync($"/portal/session?viewing={noraId}"));

        Assert.IsType<Outcome.Done>(await Service<CaregiverAccessService>().EndAccessAsync(noraId, accessId, Staff.FrontDesk));

        Assert.Equal("{\"active\":true,\"ended\":false,\"patientLost\":true}", await owen.GetStringAsync($"/portal/session?viewing={noraId}"));
        Assert.Equal("{\"active\":true,\"ended\":false,\"patientLost\":false}", await owen.GetStringAsync($"/portal/session?viewing={owenId}"));
    }
}
