using Microsoft.EntityFrameworkCore;
using PortalApp.Auditing;
using PortalApp.Data;
using PortalApp.Features.Bulk;
using PortalApp.Features.Bulk.Unsubscribe;
using PortalApp.Features.ClientCards;
using PortalApp.Features.Clinic;
using PortalApp.Tests.Features.Bulk.Unsubscribe;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.ClientCards;

/// <summary>The card's promotional consent: what it says, and who may record what, checked on the server.</summary>
[Trait("Providers", "Both")]
public sealed class PromotionalConsentServiceTests : IAsyncLifetime
{
    private static readonly TimeZoneInfo Toronto = TimeZoneInfo.FindSystemTimeZoneById("America/Toronto");

    private ServiceTestHost _host = null!;
    private Client _emma = null!;

    private PromotionalConsentService Consent => _host.Scoped<PromotionalConsentService>();
    private DateTime Now => _host.Time.GetUtcNow().UtcDateTime;

    public async ValueTask InitializeAsync()
    {
        _host = await ServiceTestHost.StartAsync();
        _emma = await _host.AddClientAsync();
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private async Task<PromotionalStatusView> StatusAsync() => (await Consent.GetAsync(_emma.Id))!;

    private Task<Client> EmmaAsync() => UnsubscribeTestData.ClientAsync(_host.DbAsync, _emma.Id);

    private async Task VisitAsync(DateTime atUtc, AppointmentStatus status = AppointmentStatus.Completed)
    {
        var appointment = await _host.AddAppointmentAsync(_emma.Id, atUtc);
        await using var db = await _host.DbAsync();
        await db.Appointments.Where(a => a.Id == appointment.Id).ExecuteUpdateAsync(s => s.SetProperty(a => a.Status, status));
    }

    private async Task<List<AuditEvent>> AuditAsync()
    {
        await using var db = await _host.DbAsync();
        return await db.AuditEvents.AsNoTracking().Where(e => e.ClientId == _emma.Id
            && (e.Action == AuditActions.PromotionalConsent || e.Action == AuditActions.PromotionalUnsubscribe)).OrderBy(e => e.Id).ToListAsync();
    }

    /// <summary>Whether the bulk audience would send Emma a promotional email now.</summary>
    private async Task<bool> InPromotionalAudienceAsync()
    {
        var audience = new BulkAudienceService(_host.Get<IDbContextFactory<PortalDbContext>>(), _host.Get<ClinicSettingsService>(), _host.Time);
        return (await audience.BuildAsync(new BulkAudienceFilter(BulkAudienceKind.HandPicked, ClientIds: [_emma.Id]), BulkChannel.Email, BulkPurpose.Promotional))
            .Included.Count == 1;
    }

    [Fact]
    public async Task Without_consent_or_a_visit_the_card_says_so_and_the_audience_agrees()
    {
        await VisitAsync(Now.AddDays(5), AppointmentStatus.Booked); // booked, not yet a visit

        var status = await StatusAsync();

        Assert.Equal("No consent: none recorded, and no visit yet.", status.ConsentText(Toronto));
        Assert.Equal("Not unsubscribed.", status.UnsubscribeText(Toronto));
        Assert.False(status.HasConsent);
        Assert.False(await InPromotionalAudienceAsync());
    }

    [Fact]
    public async Task A_visit_in_the_last_two_years_is_implied_consent_until_two_years_after_it()
    {
        await VisitAsync(new DateTime(2025, 6, 2, 14, 0, 0, DateTimeKind.Utc));

        var status = await StatusAsync();

        Assert.Equal("Implied consent until 2 Jun 2027: two years after the last visit, on 2 Jun 2025.", status.ConsentText(Toronto));
        Assert.True(status.HasConsent);
        Assert.True(await InPromotionalAudienceAsync());
    }

    [Fact]
    public async Task A_visit_more_than_two_years_ago_says_when_its_implied_consent_ended()
    {
        await VisitAsync(new DateTime(2023, 11, 20, 15, 0, 0, DateTimeKind.Utc));

        var status = await StatusAsync();

        Assert.Equal("No consent: the implied consent of the last visit (20 Nov 2023) ended on 20 Nov 2025.", status.ConsentText(Toronto));
        Assert.False(await InPromotionalAudienceAsync());
    }

    [Theory]
    [InlineData("FrontDesk")]
    [InlineData("Admin")]
    public async Task Front_desk_and_admins_record_consent_with_how_it_was_given_audited_without_the_words(string role)
    {
        var actor = role == "Admin" ? Staff.Admin : Staff.FrontDesk;

        var result = await Consent.RecordConsentAsync(_emma.Id, "  Signed the consent form\n at the desk ", _emma.Version, actor);

        var saved = Assert.IsType<PromotionalSaveResult.Saved>(result);
        Assert.Equal("Consent recorded.", saved.Message);
        Assert.Equal("Express consent, recorded Wed 4 Mar 2026, 10:00 AM: Signed the consent form at the desk.", saved.Status.ConsentText(Toronto));
        var emma = await EmmaAsync();
        Assert.Equal((Now, "Signed the consent form at the desk", saved.Status.Version), (emma.PromotionalConsentAtUtc, emma.PromotionalConsentSource, emma.Version));
        var audit = Assert.Single(await AuditAsync());
        Assert.Equal((AuditActions.PromotionalConsent, actor.UserId, "Express consent recorded"), (audit.Action, audit.StaffUserId, audit.Details));
        Assert.True(await InPromotionalAudienceAsync());
    }

    [Fact]
    public async Task A_practitioner_is_refused_with_a_message_and_nothing_is_saved()
    {
        var consent = await Consent.RecordConsentAsync(_emma.Id, "Signed the form", _emma.Version, Staff.Practitioner);
        var unsubscribe = await Consent.RecordUnsubscribeAsync(_emma.Id, "Asked on the phone", _emma.Version, Staff.Practitioner);
        var clear = await Consent.ClearConsentAsync(_emma.Id, _emma.Version, Staff.Practitioner);

        Assert.All([consent, unsubscribe, clear], r => Assert.Equal(new PromotionalSaveResult.Refused(PromotionalConsentService.NotAllowed), r));
        Assert.Equal("Only front desk staff and admins can record promotional consent or an unsubscribe.", PromotionalConsentService.NotAllowed);
        var emma = await EmmaAsync();
        Assert.Equal((null, null, _emma.Version), (emma.PromotionalConsentAtUtc, emma.PromotionalOptOutAtUtc, emma.Version));
        Assert.Empty(await AuditAsync());
    }

    [Fact]
    public async Task A_stale_copy_is_refused_after_the_patient_unsubscribed_and_the_unsubscribe_stands()
    {
        var shown = await StatusAsync();
        var (_, token) = await UnsubscribeTestData.SentToAsync(_host.DbAsync, _emma.Id, Now.AddDays(-1));
        await _host.Scoped<UnsubscribeService>().UnsubscribeAsync(token, UnsubscribeVia.OneClick);

        var result = await Consent.RecordConsentAsync(_emma.Id, "Signed the form", shown.Version, Staff.FrontDesk);

        Assert.Equal(new PromotionalSaveResult.Conflict(PromotionalConsentService.ConflictMessage), result);
        var emma = await EmmaAsync();
        Assert.Equal((null, Now), (emma.PromotionalConsentAtUtc, emma.PromotionalOptOutAtUtc));
        Assert.DoesNotContain(await AuditAsync(), e => e.Action == AuditActions.PromotionalConsent);
    }

    public static TheoryData<string?, string> BadHow => new()
    {
        { null, "Say how consent was given, for example “Signed the consent form at the desk”." },
        { " \n\t ", "Say how consent was given, for example “Signed the consent form at the desk”." },
        { new string('a', 201), "Keep it to 200 characters: this is 201." },
        { new string('a', 100_000), "Keep it to 200 characters: this is 100,000." },
    };

    [Theory]
    [MemberData(nameof(BadHow))]
    public async Task How_consent_was_given_is_required_and_bounded(string? how, string message)
    {
        Assert.Equal(new PromotionalSaveResult.Invalid(message), await Consent.RecordConsentAsync(_emma.Id, how, _emma.Version, Staff.FrontDesk));
        Assert.Null((await EmmaAsync()).PromotionalConsentAtUtc);
    }

    [Fact]
    public async Task How_the_patient_asked_to_unsubscribe_is_required_too()
    {
        Assert.Equal(new PromotionalSaveResult.Invalid("Say how the patient asked, for example “Asked on the phone”."),
            await Consent.RecordUnsubscribeAsync(_emma.Id, "", _emma.Version, Staff.FrontDesk));
    }

    [Fact]
    public async Task Clearing_a_recorded_consent_removes_it_and_is_audited_and_with_none_recorded_there_is_nothing_to_clear()
    {
        var recorded = Assert.IsType<PromotionalSaveResult.Saved>(await Consent.RecordConsentAsync(_emma.Id, "Signed the form", _emma.Version, Staff.FrontDesk));

        var cleared = Assert.IsType<PromotionalSaveResult.Saved>(await Consent.ClearConsentAsync(_emma.Id, recorded.Status.Version, Staff.Admin));
        var again = await Consent.ClearConsentAsync(_emma.Id, cleared.Status.Version, Staff.Admin);

        Assert.Equal(("Recorded consent cleared.", "No consent: none recorded, and no visit yet."), (cleared.Message, cleared.Status.ConsentText(Toronto)));
        Assert.Equal(new PromotionalSaveResult.Refused("No consent is recorded for this client, so there is nothing to clear."), again);
        var emma = await EmmaAsync();
        Assert.Equal((null, null), (emma.PromotionalConsentAtUtc, emma.PromotionalConsentSource));
        Assert.Equal(["Express consent recorded", "Recorded consent cleared"], (await AuditAsync()).Select(e => e.Details));
    }

    [Fact]
    public async Task An_unsubscribe_recorded_by_the_front_desk_is_honoured_at_once_audited_and_not_recorded_twice()
    {
        await VisitAsync(Now.AddDays(-30));

        var saved = Assert.IsType<PromotionalSaveResult.Saved>(await Consent.RecordUnsubscribeAsync(_emma.Id, "Asked on the phone", _emma.Version, Staff.FrontDesk));
        var again = await Consent.RecordUnsubscribeAsync(_emma.Id, "Asked again", saved.Status.Version, Staff.FrontDesk);

        Assert.Equal("Unsubscribed Wed 4 Mar 2026, 10:00 AM: Asked on the phone. No promotional messages go to this client.", saved.Status.UnsubscribeText(Toronto));
        Assert.Equal(new PromotionalSaveResult.Refused("This client already unsubscribed on 4 Mar 2026."), again);
        Assert.Equal((Now, "Asked on the phone"), ((await EmmaAsync()).PromotionalOptOutAtUtc, (await EmmaAsync()).PromotionalOptOutVia));
        var audit = Assert.Single(await AuditAsync());
        Assert.Equal((AuditActions.PromotionalUnsubscribe, Staff.FrontDesk.UserId, "Recorded by staff"), (audit.Action, audit.StaffUserId, audit.Details));
        Assert.False(await InPromotionalAudienceAsync());
    }

    [Fact]
    public async Task Consent_recorded_after_an_unsubscribe_ends_the_unsubscribe_and_says_so()
    {
        var unsubscribed = Assert.IsType<PromotionalSaveResult.Saved>(await Consent.RecordUnsubscribeAsync(_emma.Id, "Asked on the phone", _emma.Version, Staff.FrontDesk));
        _host.Time.Advance(TimeSpan.FromDays(40));

        var saved = Assert.IsType<PromotionalSaveResult.Saved>(await Consent.RecordConsentAsync(_emma.Id, "Signed the newsletter form", unsubscribed.Status.Version, Staff.FrontDesk));

        Assert.Equal("Consent recorded. The earlier unsubscribe no longer applies: promotional messages can reach this client.", saved.Message);
        Assert.Equal("Not unsubscribed.", saved.Status.UnsubscribeText(Toronto));
        Assert.Equal("Express consent recorded; the unsubscribe of 4 Mar 2026 ends", (await AuditAsync()).Last().Details);
        Assert.True(await InPromotionalAudienceAsync());
    }

    [Fact]
    public async Task A_card_merged_into_another_is_refused()
    {
        var other = await _host.AddClientAsync("Emma", "Smyth", email: "emma.old@example.com");
        await using (var db = await _host.DbAsync())
            await db.Clients.Where(c => c.Id == other.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.MergedIntoClientId, _emma.Id));

        var result = await Consent.RecordConsentAsync(other.Id, "Signed the form", other.Version, Staff.FrontDesk);

        Assert.Equal(new PromotionalSaveResult.Refused(PortalApp.Features.Clients.ClientMessages.MergedAway), result);
    }
}
