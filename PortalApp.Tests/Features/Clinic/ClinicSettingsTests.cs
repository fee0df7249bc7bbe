using Microsoft.EntityFrameworkCore;
using PortalApp.Auditing;
using PortalApp.Features.Clinic;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Clinic;

[Trait("Providers", "Both")]
public sealed class ClinicSettingsTests : IAsyncLifetime
{
    private ServiceTestHost _host = null!;
    private ClinicSettingsService Settings => _host.Get<ClinicSettingsService>();

    public async ValueTask InitializeAsync() => _host = await ServiceTestHost.StartAsync();

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task The_first_start_takes_the_clinic_from_configuration()
    {
        var clinic = await Settings.GetAsync();

        Assert.Equal(("Test Clinic", "America/Toronto", "https://portal.clinic.example"), (clinic.Name, clinic.TimeZoneId, clinic.PublicBaseUrl));
    }

    [Fact]
    public async Task Saving_updates_what_every_page_reads_and_is_audited()
    {
        await Settings.GetAsync(); // fill the cache first: the save must refresh it
        var model = await Settings.GetForEditAsync();
        model.Name = "Lakeside Physio";
        model.PublicBaseUrl = "https://portal.lakeside.example/";

        Assert.IsType<ClinicSettingsSaveResult.Saved>(await Settings.UpdateAsync(model, Staff.Admin));

        var clinic = await Settings.GetAsync();
        Assert.Equal(("Lakeside Physio", "https://portal.lakeside.example"), (clinic.Name, clinic.PublicBaseUrl));
        await using var db = await _host.DbAsync();
        Assert.True(await db.AuditEvents.AnyAsync(a => a.Action == AuditActions.ClinicSettingsEdit));
    }

    [Theory]
    [InlineData("http://portal.lakeside.example", "Use https")]
    [InlineData("portal.lakeside.example", "Enter the full web address")]
    [InlineData("https://portal.lakeside.example/?x=1", "cannot have a ? or # part")]
    public async Task A_public_address_patients_could_not_safely_use_is_refused(string url, string message)
    {
        var model = await Settings.GetForEditAsync();
        model.PublicBaseUrl = url;

        var result = Assert.IsType<ClinicSettingsSaveResult.Invalid>(await Settings.UpdateAsync(model, Staff.Admin));

        Assert.Contains(message, result.Errors[nameof(ClinicSettingsEditModel.PublicBaseUrl)]);
        Assert.Equal("https://portal.clinic.example", (await Settings.GetAsync()).PublicBaseUrl);
    }

    [Fact]
    public async Task A_megabyte_web_address_is_refused_by_its_length()
    {
        var model = await Settings.GetForEditAsync();
        model.PublicBaseUrl = "https://" + new string('a', 1_000_000) + ".example";

        var result = Assert.IsType<ClinicSettingsSaveResult.Invalid>(await Settings.UpdateAsync(model, Staff.Admin));

        Assert.Equal("The web address can be at most 300 characters.", result.Errors[nameof(ClinicSettingsEditModel.PublicBaseUrl)]);
    }

    [Theory]
    [InlineData("ZZ")]
    [InlineData("Canada")]
    [InlineData("")]
    public async Task A_phone_region_libphonenumber_does_not_know_is_refused(string region)
    {
        var model = await Settings.GetForEditAsync();
        model.PhoneRegion = region;

        var result = Assert.IsType<ClinicSettingsSaveResult.Invalid>(await Settings.UpdateAsync(model, Staff.Admin));

        Assert.Equal("Enter a two-letter country code, like CA, US or FR.", result.Errors[nameof(ClinicSettingsEditModel.PhoneRegion)]);
    }

    [Fact]
    public async Task A_new_phone_region_is_how_the_next_typed_number_is_read()
    {
        var model = await Settings.GetForEditAsync();
        Assert.Equal("CA", model.PhoneRegion);
        model.PhoneRegion = "fr";

        Assert.IsType<ClinicSettingsSaveResult.Saved>(await Settings.UpdateAsync(model, Staff.Admin));

        Assert.Equal("FR", (await Settings.GetForEditAsync()).PhoneRegion);
        var clients = _host.Scoped<PortalApp.Features.Clients.ClientService>();
        var card = await _host.AddClientAsync();
        var edit = (await clients.GetAsync(card.Id))!.ToEditModel();
        edit.MobilePhone = "06 12 34 56 78";
        Assert.IsType<PortalApp.Features.Clients.ClientSaveResult.Saved>(await clients.UpdateAsync(card.Id, edit, Staff.Admin));
        await using var db = await _host.DbAsync();
        Assert.Equal("+33612345678", (await db.Clients.SingleAsync(c => c.Id == card.Id)).MobilePhone);
    }

    [Fact]
    public async Task An_unknown_time_zone_is_refused()
    {
        var model = await Settings.GetForEditAsync();
        model.TimeZone = "Mars/Olympus_Mons";

        Assert.IsType<ClinicSettingsSaveResult.Invalid>(await Settings.UpdateAsync(model, Staff.Admin));
    }

    [Fact]
    public async Task Two_admins_saving_at_once_get_a_conflict_instead_of_a_silent_overwrite()
    {
        var first = await Settings.GetForEditAsync();
        var second = await Settings.GetForEditAsync();
        first.Phone = "(416) 555-0199";
        Assert.IsType<ClinicSettingsSaveResult.Saved>(await Settings.UpdateAsync(first, Staff.Admin));

        second.Name = "Other name";

        Assert.IsType<ClinicSettingsSaveResult.Conflict>(await Settings.UpdateAsync(second, Staff.Admin));
        Assert.Equal("Test Clinic", (await Settings.GetAsync()).Name);
    }

    [Fact]
    public async Task Today_follows_the_clinic_time_zone_not_the_servers()
    {
        // 03:30 UTC on 5 March is still 4 March in Toronto.
        _host.Time.SetUtcNow(new DateTimeOffset(2026, 3, 5, 3, 30, 0, TimeSpan.Zero));

        Assert.Equal(new DateOnly(2026, 3, 4), await _host.Get<ClinicClock>().TodayAsync());
    }

    [Theory]
    [InlineData(-1, 3, nameof(ClinicSettingsEditModel.BulkUndoMinutes), "The undo window can be from 0 to 60 minutes.")]
    [InlineData(61, 3, nameof(ClinicSettingsEditModel.BulkUndoMinutes), "The undo window can be from 0 to 60 minutes.")]
    [InlineData(5, -1, nameof(ClinicSettingsEditModel.BulkRecentDays), "The recent-contact window can be from 0 (off) to 365 days.")]
    [InlineData(5, 366, nameof(ClinicSettingsEditModel.BulkRecentDays), "The recent-contact window can be from 0 (off) to 365 days.")]
    public async Task Bulk_windows_outside_their_bounds_are_refused_with_the_bounds(int undoMinutes, int recentDays, string field, string message)
    {
        var model = await Settings.GetForEditAsync();
        (model.BulkUndoMinutes, model.BulkRecentDays) = (undoMinutes, recentDays);

        var result = Assert.IsType<ClinicSettingsSaveResult.Invalid>(await Settings.UpdateAsync(model, Staff.Admin));

        Assert.Equal(message, Assert.Single(result.Errors).Value);
        Assert.Equal(field, result.Errors.Keys.Single());
        var clinic = await Settings.GetAsync();
        Assert.Equal((5, 3), (clinic.BulkUndoMinutes, clinic.BulkRecentDays));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(60, 365)]
    [InlineData(15, 30)]
    public async Task Saved_bulk_windows_are_what_the_next_bulk_send_uses(int undoMinutes, int recentDays)
    {
        var model = await Settings.GetForEditAsync();
        (model.BulkUndoMinutes, model.BulkRecentDays) = (undoMinutes, recentDays);

        Assert.IsType<ClinicSettingsSaveResult.Saved>(await Settings.UpdateAsync(model, Staff.Admin));

        Assert.Equal((undoMinutes, recentDays), ((await Settings.GetForEditAsync()).BulkUndoMinutes, (await Settings.GetForEditAsync()).BulkRecentDays));
        Assert.Equal((undoMinutes, recentDays), ((await Settings.GetAsync()).BulkUndoMinutes, (await Settings.GetAsync()).BulkRecentDays));
        var patient = await _host.AddClientAsync("Uma", "Undo", email: "uma@example.com");
        var now = _host.Time.GetUtcNow().UtcDateTime;
        var created = Assert.IsType<PortalApp.Features.Bulk.BulkCreateResult.Created>(await _host.Scoped<PortalApp.Features.Bulk.BulkSendService>().CreateAsync(
            new(Guid.NewGuid().ToString("N"), "Closed on Friday", PortalApp.Data.BulkChannel.Email, PortalApp.Data.BulkPurpose.Care,
                new(PortalApp.Data.BulkAudienceKind.HandPicked, ClientIds: [patient.Id]), null, "Closed", "The clinic is closed on Friday.", null, 1),
            Staff.FrontDesk));
        Assert.Equal(now.AddMinutes(undoMinutes), created.StartsAtUtc);
    }
}
