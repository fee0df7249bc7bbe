using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Features.Reminders;
using PortalApp.Features.Schedule;
using PortalApp.Security;
using PortalApp.Tests.Features.Schedule;
using PortalApp.Tests.TestSupport;
using static PortalApp.Tests.Features.Reminders.ReminderTestData;

namespace PortalApp.Tests.Features.Reminders;

/// <summary>The reminder link's page, below the HTML: what a token opens, and what it may still do.</summary>
[Trait("Providers", "Both")]
public sealed class AppointmentLinkServiceTests : IAsyncLifetime
{
    private ServiceTestHost _host = null!;
    private Client _jane = null!;
    private Appointment _appointment = null!;
    private string _token = "";

    private AppointmentLinkService Links => _host.Scoped<AppointmentLinkService>();
    private DateTime Now => _host.Time.GetUtcNow().UtcDateTime;

    public async ValueTask InitializeAsync()
    {
        _host = await ServiceTestHost.StartAsync();
        _jane = await ReminderTestData.AddClientAsync(_host.DbAsync, "Jane", "Doe", ReminderTestData.NewMobile());
        _appointment = await ReminderTestData.BookAsync(_host.DbAsync, _jane.Id, Friday9);
        _token = await ReminderTestData.IssueLinkAsync(_host.DbAsync, _appointment, Now);
    }

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    private async Task<AppointmentLinkView> ShownAsync(string? token = null) =>
        Assert.IsType<AppointmentLinkLookup.Shown>(await Links.FindAsync(token ?? _token)).View;

    [Fact]
    public async Task A_link_carries_256_random_bits_and_the_database_holds_only_their_hash()
    {
        await using var db = await _host.DbAsync();
        var row = await db.ReminderLinks.AsNoTracking().SingleAsync(l => l.AppointmentId == _appointment.Id);

        Assert.Equal(32, Base64Url.DecodeFromChars(_token).Length);
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(_token)), row.TokenHash);
        Assert.NotEqual(_token, await ReminderTestData.IssueLinkAsync(_host.DbAsync, _appointment, Now));
        Assert.Equal(Friday9, row.ExpiresAtUtc);
    }

    [Fact]
    public async Task Reading_the_link_shows_the_appointment_and_changes_nothing()
    {
        var view = await ShownAsync();
        await ShownAsync();

        Assert.Equal((Friday9, "Room 4", "Dr. Chen", null, AppointmentLinkState.Booked, true, true, null),
            (view.StartUtc, view.Place, view.PractitionerName, view.TypeName, view.State, view.CanConfirm, view.CanCancel, view.CancelNote));
        await using var db = await _host.DbAsync();
        var stored = await db.Appointments.AsNoTracking().SingleAsync(a => a.Id == _appointment.Id);
        Assert.Equal((0, null), (stored.Version, stored.ConfirmedAtUtc));
        Assert.False(await db.AppointmentChanges.AnyAsync());
        Assert.False(await db.AuditEvents.AnyAsync(e => e.ClientId == _jane.Id));
        Assert.Null((await db.ReminderLinks.AsNoTracking().SingleAsync()).ConfirmedAtUtc);
    }

    [Fact]
    public async Task The_type_shows_only_when_the_clinic_turns_it_on()
    {
        await ReminderTestData.SetRemindersAsync(_host.DbAsync, s => s.ShowAppointmentType = true);

        Assert.Equal("Follow-up", (await ShownAsync()).TypeName);
    }

    [Fact]
    public async Task Unknown_malformed_and_expired_links_all_find_nothing()
    {
        Assert.IsType<AppointmentLinkLookup.Unusable>(await Links.FindAsync(SecretTokens.NewToken()));
        Assert.IsType<AppointmentLinkLookup.Unusable>(await Links.FindAsync("not-a-token"));
        Assert.IsType<AppointmentLinkLookup.Unusable>(await Links.FindAsync(_token + "x"));
        _host.Time.SetUtcNow(Friday9.AddSeconds(-1));
        await ShownAsync();
        _host.Time.SetUtcNow(Friday9);

        Assert.IsType<AppointmentLinkLookup.Unusable>(await Links.FindAsync(_token));
        Assert.Equal(ResponseRefusal.NotFound, Refusal(await Links.ConfirmAsync(_token, 0)));
    }

    [Fact]
    public async Task A_cancel_uses_the_link_up_even_after_staff_reopen_the_appointment()
    {
        Assert.IsType<PatientResponseResult.Done>(await Links.CancelAsync(_token, 0));
        Assert.Equal(ResponseRefusal.LinkUsed, Refusal(await Links.CancelAsync(_token, 1)));
        Assert.IsType<ScheduleResult.Done>(await _host.Scoped<AppointmentStatusService>().MarkAsync(_appointment.Id, 1, AppointmentStatus.Booked, Staff.FrontDesk));

        Assert.Equal(ResponseRefusal.LinkUsed, Refusal(await Links.CancelAsync(_token, 2)));
        var view = await ShownAsync();
        Assert.Equal((AppointmentLinkState.Booked, false), (view.State, view.CanCancel));
        Assert.StartsWith("This link has already been used to cancel.", view.CancelNote);
        await using var db = await _host.DbAsync();
        Assert.Equal(AppointmentStatus.Booked, (await db.Appointments.AsNoTracking().SingleAsync(a => a.Id == _appointment.Id)).Status);
        Assert.NotNull((await db.ReminderLinks.AsNoTracking().SingleAsync()).CancelledAtUtc);
    }

    [Fact]
    public async Task Confirming_by_link_stamps_the_link_and_may_be_repeated()
    {
        Assert.IsType<PatientResponseResult.Done>(await Links.ConfirmAsync(_token, 0));
        Assert.IsType<PatientResponseResult.Done>(await Links.ConfirmAsync(_token, 0)); // a double tap from the same page

        var view = await ShownAsync();
        Assert.Equal((AppointmentLinkState.Confirmed, false, true), (view.State, view.CanConfirm, view.CanCancel));
        await using var db = await _host.DbAsync();
        Assert.Equal("reminder link", (await db.Appointments.AsNoTracking().SingleAsync(a => a.Id == _appointment.Id)).ConfirmedVia);
        Assert.Equal(Now, (await db.ReminderLinks.AsNoTracking().SingleAsync()).ConfirmedAtUtc);
        Assert.Equal(1, await db.AppointmentChanges.CountAsync(c => c.Kind == AppointmentChangeKind.Confirmed));
    }

    [Fact]
    public async Task A_cancel_from_a_page_opened_before_staff_moved_the_appointment_is_refused()
    {
        var shown = await ShownAsync();
        var move = ScheduleTestData.Form(_jane.Id, _appointment.PractitionerId, _appointment.AppointmentTypeId, new DateOnly(2026, 3, 9), "11:00");
        (move.AppointmentId, move.Version) = (_appointment.Id, 0);
        Assert.IsType<ScheduleResult.Done>(await _host.Scoped<BookingService>().ChangeAsync(move, Staff.FrontDesk));

        Assert.Equal(ResponseRefusal.Changed, Refusal(await Links.CancelAsync(_token, shown.Version)));
        Assert.Equal(ResponseRefusal.Changed, Refusal(await Links.CancelAsync(_token, null)));
    }

    [Fact]
    public async Task Inside_the_cutoff_or_with_online_cancelling_off_there_is_no_cancel_and_the_page_says_whom_to_call()
    {
        _host.Time.SetUtcNow(Friday9.AddHours(-23));
        var late = await ShownAsync();
        await ReminderTestData.SetRemindersAsync(_host.DbAsync, s => (s.AllowOnlineCancel, s.CancelCutoffHours) = (false, 0));
        var off = await ShownAsync();

        Assert.Equal((true, false), (late.CanConfirm, late.CanCancel));
        Assert.Equal("Appointments can't be cancelled online less than 24 hours before they start. To cancel, please call Test Clinic.", late.CancelNote);
        Assert.Equal("Test Clinic doesn't take cancellations online. To cancel, please call Test Clinic.", off.CancelNote);
        Assert.Equal(ResponseRefusal.OnlineCancelOff, Refusal(await Links.CancelAsync(_token, 0)));
    }

    [Fact]
    public async Task An_end_dated_clients_link_shows_whom_to_call_instead_of_the_appointment()
    {
        await using (var db = await _host.DbAsync())
        {
            await db.Clients.Where(c => c.Id == _jane.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.EndDate, new DateOnly(2026, 3, 2)));
        }

        var refused = Assert.IsType<AppointmentLinkLookup.Refused>(await Links.FindAsync(_token));

        Assert.Equal("We can't take this answer online. Please call Test Clinic.", refused.Message);
        Assert.Equal(ResponseRefusal.ClientEnded, Refusal(await Links.ConfirmAsync(_token, 0)));
    }

    private static ResponseRefusal Refusal(PatientResponseResult result) => Assert.IsType<PatientResponseResult.Refused>(result).Reason;
}
