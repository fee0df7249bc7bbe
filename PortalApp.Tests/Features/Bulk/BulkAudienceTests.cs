using PortalApp.Data;
using PortalApp.Features.Bulk;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Bulk;

/// <summary>Who a bulk send reaches and who it leaves out, with the reason staff see. The clock: 4 March 2026, 10:00 Toronto.</summary>
[Trait("Providers", "Both")]
public sealed class BulkAudienceTests : IAsyncLifetime
{
    private ServiceTestHost _host = null!;
    private DateTime Now => _host.Time.GetUtcNow().UtcDateTime;

    public async ValueTask InitializeAsync() => _host = await ServiceTestHost.StartAsync();

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private Task<BulkAudience> BuildAsync(BulkAudienceFilter filter, BulkChannel channel, BulkPurpose purpose = BulkPurpose.Care) =>
        _host.Scoped<BulkAudienceService>().BuildAsync(filter, channel, purpose);

    private static BulkAudienceFilter Picked(params Client[] clients) => new(BulkAudienceKind.HandPicked, ClientIds: clients.Select(c => c.Id).ToList());

    private async Task EditAsync(int clientId, Action<Client> edit)
    {
        await using var db = await _host.DbAsync();
        edit(await db.Clients.FindAsync(clientId) ?? throw new InvalidOperationException());
        await db.SaveChangesAsync();
    }

    private static string? ReasonFor(BulkAudience audience, Client client) => audience.Excluded.SingleOrDefault(m => m.ClientId == client.Id)?.Exclusion;

    [Fact]
    public async Task An_email_audience_leaves_out_each_patient_it_cannot_reach_and_says_why()
    {
        var ada = await _host.AddClientAsync("Ada", "Able", email: "ada@example.com");
        var ben = await _host.AddClientAsync("Ben", "Ended", email: "ben@example.com", endDate: new DateOnly(2026, 3, 1));
        var cat = await _host.AddClientAsync("Cat", "Nomail", email: null);
        var dan = await _host.AddClientAsync("Dan", "Optout", email: "dan@example.com");
        await EditAsync(dan.Id, c => c.EmailOptOutAtUtc = Now.AddDays(-3));
        var eve = await _host.AddClientAsync("Eve", "Shared", email: "ADA@example.com ");

        var audience = await BuildAsync(Picked(ada, ben, cat, dan, eve), BulkChannel.Email);

        Assert.Equal([(ada.Id, "ada@example.com")], audience.Included.Select(m => (m.ClientId!.Value, m.Address!)));
        Assert.Equal(BulkExclusion.EndDated, ReasonFor(audience, ben));
        Assert.Equal(BulkExclusion.NoEmail, ReasonFor(audience, cat));
        Assert.Equal("Opted out of emails", ReasonFor(audience, dan));
        Assert.Equal("Same email address as Ada Able, who gets it", ReasonFor(audience, eve));
        Assert.Equal(4, audience.Excluded.Count);
    }

    [Fact]
    public async Task Texts_need_a_mobile_number_and_no_stop_and_calls_no_opt_out()
    {
        var ada = await _host.AddClientAsync("Ada", "Able");
        var bob = await _host.AddClientAsync("Bob", "Nophone", phone: null);
        var cy = await _host.AddClientAsync("Cy", "Stopped", phone: "(416) 555-0199");
        await EditAsync(cy.Id, c => c.SmsOptOutAtUtc = Now.AddDays(-1));

        var texts = await BuildAsync(Picked(ada, bob, cy), BulkChannel.Sms);
        var calls = await BuildAsync(Picked(ada, bob, cy), BulkChannel.Voice);

        Assert.Equal([ada.Id], texts.Included.Select(m => m.ClientId!.Value));
        Assert.Equal(BulkExclusion.NoMobile, ReasonFor(texts, bob));
        Assert.Equal("Opted out of text messages", ReasonFor(texts, cy));
        Assert.Equal([ada.Id, cy.Id], calls.Included.Select(m => m.ClientId!.Value));
        Assert.Equal("+14165550101", texts.Included.Single().Address);
    }

    [Fact]
    public async Task Promotional_messages_reach_only_patients_with_express_consent_or_a_visit_in_the_last_two_years()
    {
        var express = await _host.AddClientAsync("Ann", "Express", email: "ann@example.com");
        await EditAsync(express.Id, c => (c.PromotionalConsentAtUtc, c.PromotionalConsentSource) = (Now.AddYears(-5), "Signed the consent form"));
        var recent = await _host.AddClientAsync("Rob", "Recent", email: "rob@example.com");
        await Visit(recent, Now.AddMonths(-23));
        var lapsed = await _host.AddClientAsync("Lia", "Lapsed", email: "lia@example.com");
        await Visit(lapsed, Now.AddMonths(-25));
        var booked = await _host.AddClientAsync("Bea", "Bookedonly", email: "bea@example.com");
        await _host.AddAppointmentAsync(booked.Id, Now.AddDays(3));
        var unsubscribed = await _host.AddClientAsync("Uma", "Unsub", email: "uma@example.com");
        await EditAsync(unsubscribed.Id, c => (c.PromotionalConsentAtUtc, c.PromotionalOptOutAtUtc) = (Now.AddYears(-1), new DateTime(2026, 2, 10, 15, 0, 0, DateTimeKind.Utc)));
        var all = Picked(express, recent, lapsed, booked, unsubscribed);

        var promotional = await BuildAsync(all, BulkChannel.Email, BulkPurpose.Promotional);
        var care = await BuildAsync(all, BulkChannel.Email, BulkPurpose.Care);

        Assert.Equal([express.Id, recent.Id], promotional.Included.Select(m => m.ClientId!.Value).Order());
        Assert.Equal(BulkExclusion.NoConsent, ReasonFor(promotional, lapsed));
        Assert.Equal(BulkExclusion.NoConsent, ReasonFor(promotional, booked));
        Assert.Equal("Unsubscribed from promotional messages on 10 Feb 2026", ReasonFor(promotional, unsubscribed));
        Assert.Equal(5, care.Count);
    }

    private async Task Visit(Client client, DateTime atUtc)
    {
        var appointment = await _host.AddAppointmentAsync(client.Id, atUtc);
        await using var db = await _host.DbAsync();
        (await db.Appointments.FindAsync(appointment.Id))!.Status = AppointmentStatus.Completed;
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task An_appointments_audience_lists_each_patient_once_within_the_days_practitioner_and_type_and_never_for_a_cancelled_visit()
    {
        var twice = await _host.AddClientAsync("Tia", "Twice", email: "tia@example.com");
        await _host.AddAppointmentAsync(twice.Id, new DateTime(2026, 3, 10, 14, 0, 0, DateTimeKind.Utc));
        await _host.AddAppointmentAsync(twice.Id, new DateTime(2026, 3, 11, 14, 0, 0, DateTimeKind.Utc));
        var other = await _host.AddClientAsync("Oli", "Otherdoc", email: "oli@example.com");
        await _host.AddAppointmentAsync(other.Id, new DateTime(2026, 3, 10, 15, 0, 0, DateTimeKind.Utc), practitioner: "Dr. Other");
        var cancelled = await _host.AddClientAsync("Cal", "Cancelled", email: "cal@example.com");
        var gone = await _host.AddAppointmentAsync(cancelled.Id, new DateTime(2026, 3, 10, 16, 0, 0, DateTimeKind.Utc));
        await using (var db = await _host.DbAsync())
        {
            (await db.Appointments.FindAsync(gone.Id))!.Status = AppointmentStatus.Cancelled;
            await db.SaveChangesAsync();
        }
        // 12 March 03:30 UTC is 11 March 23:30 in Toronto: inside a range that ends on the 11th.
        var late = await _host.AddClientAsync("Lou", "Late", email: "lou@example.com");
        await _host.AddAppointmentAsync(late.Id, new DateTime(2026, 3, 12, 3, 30, 0, DateTimeKind.Utc));
        var outside = await _host.AddClientAsync("Ola", "Outside", email: "ola@example.com");
        await _host.AddAppointmentAsync(outside.Id, new DateTime(2026, 3, 12, 14, 0, 0, DateTimeKind.Utc));
        var range = new BulkAudienceFilter(BulkAudienceKind.Appointments, new DateOnly(2026, 3, 10), new DateOnly(2026, 3, 11));

        var everyone = await BuildAsync(range, BulkChannel.Email);
        int practitionerId;
        await using (var db = await _host.DbAsync())
            practitionerId = db.Practitioners.Single(p => p.DisplayName == "Dr. Test").Id;
        var withDrTest = await BuildAsync(range with { PractitionerId = practitionerId }, BulkChannel.Email);

        Assert.Equal(["Lou Late", "Oli Otherdoc", "Tia Twice"], everyone.Included.Select(m => m.Name));
        Assert.Equal(["Lou Late", "Tia Twice"], withDrTest.Included.Select(m => m.Name));
    }

    [Fact]
    public async Task Portal_messages_need_someone_to_read_them_and_caregiver_only_accounts_are_listed_as_left_out()
    {
        var own = await _host.AddClientAsync("Pat", "Portal");
        await CaregiverSeed.ActiveAsync(_host, own.Id, "pat.own@example.com", ownClientId: own.Id);
        var child = await _host.AddClientAsync("Kid", "Child");
        await CaregiverSeed.ActiveAsync(_host, child.Id, "parent@example.com", first: "Mo", last: "Parent");
        var none = await _host.AddClientAsync("Nel", "Noaccount");

        var picked = await BuildAsync(Picked(own, child, none), BulkChannel.Portal);
        var accounts = await BuildAsync(new BulkAudienceFilter(BulkAudienceKind.PortalAccounts), BulkChannel.Portal);

        Assert.Equal(new[] { child.Id, own.Id }.Order(), picked.Included.Select(m => m.ClientId!.Value).Order());
        Assert.Equal(BulkExclusion.NoPortalAccount, ReasonFor(picked, none));
        Assert.Equal([own.Id], accounts.Included.Select(m => m.ClientId!.Value));
        Assert.Equal([("Mo Parent", BulkExclusion.CaregiverOnly)], accounts.Excluded.Select(m => (m.Name, m.Exclusion!)));
    }

    [Fact]
    public async Task A_bulk_invite_goes_to_patients_never_invited_or_whose_invite_expired_never_to_an_open_invite_or_an_account()
    {
        var never = await _host.AddClientAsync("Nev", "Never", email: "nev@example.com");
        var open = await _host.AddClientAsync("Opa", "Open", email: "opa@example.com");
        await _host.SendInviteAsync(open.Id);
        var expired = await _host.AddClientAsync("Exa", "Expired", email: "exa@example.com");
        await _host.SendInviteAsync(expired.Id);
        _host.Time.Advance(TimeSpan.FromDays(8));
        var fresh = await _host.AddClientAsync("Fre", "Fresh", email: "fre@example.com");
        await _host.SendInviteAsync(fresh.Id);
        var registered = await _host.AddClientAsync("Reg", "Registered", email: "reg@example.com");
        await CaregiverSeed.ActiveAsync(_host, registered.Id, "reg@example.com", ownClientId: registered.Id);

        var notYet = await BuildAsync(new BulkAudienceFilter(BulkAudienceKind.NotYetInvited), BulkChannel.Invite);
        var lapsed = await BuildAsync(new BulkAudienceFilter(BulkAudienceKind.InviteExpired), BulkChannel.Invite);
        var picked = await BuildAsync(Picked(never, fresh, registered), BulkChannel.Invite);

        Assert.Equal([never.Id], notYet.Included.Select(m => m.ClientId!.Value));
        Assert.Equal(new[] { expired.Id, open.Id }.Order(), lapsed.Included.Select(m => m.ClientId!.Value).Order());
        Assert.Equal([never.Id], picked.Included.Select(m => m.ClientId!.Value));
        Assert.Equal(BulkExclusion.AlreadyInvited, ReasonFor(picked, fresh));
        Assert.Equal(BulkExclusion.AlreadyRegistered, ReasonFor(picked, registered));
    }

    [Theory]
    [InlineData(BulkAudienceKind.Appointments, "Enter the first and the last day of the appointments.")]
    [InlineData(BulkAudienceKind.HandPicked, "Pick at least one patient.")]
    public void A_filter_without_what_it_needs_says_what_is_missing(BulkAudienceKind kind, string problem) =>
        Assert.Equal(problem, new BulkAudienceFilter(kind).Problem());

    [Fact]
    public void Hand_picked_lists_and_day_ranges_are_bounded()
    {
        Assert.Equal("Pick at most 5,000 patients by hand; use a filter for more.",
            new BulkAudienceFilter(BulkAudienceKind.HandPicked, ClientIds: Enumerable.Range(1, 5_001).ToList()).Problem());
        Assert.Equal("Pick at most 366 days of appointments.",
            new BulkAudienceFilter(BulkAudienceKind.Appointments, new DateOnly(2026, 1, 1), new DateOnly(2027, 1, 2)).Problem());
        Assert.Equal("The last day comes before the first day.",
            new BulkAudienceFilter(BulkAudienceKind.Appointments, new DateOnly(2026, 1, 2), new DateOnly(2026, 1, 1)).Problem());
    }
}
