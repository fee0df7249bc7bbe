using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Features.Clinic;

namespace PortalApp.Features.Reminders;

public enum AppointmentLinkState
{
    Booked,
    Confirmed,
    Cancelled,

    /// <summary>Started, or arrived, completed, a no-show: nothing to answer any more.</summary>
    Closed,
}

/// <summary>What the link page shows: when, where, with whom (the type only when the clinic allows), and what may be done.</summary>
/// <param name="CancelNote">Why there is no Cancel button, with the clinic's phone; null when there is one or nothing to cancel.</param>
public sealed record AppointmentLinkView(
    int Version, DateTime StartUtc, string Place, string PractitionerName, string? TypeName, AppointmentLinkState State,
    bool CanConfirm, bool CanCancel, string? CancelNote);

public abstract record AppointmentLinkLookup
{
    public sealed record Shown(AppointmentLinkView View) : AppointmentLinkLookup;

    /// <summary>Unknown, malformed or expired: one answer for all, which reveals nothing.</summary>
    public sealed record Unusable : AppointmentLinkLookup;

    /// <summary>The link is real but cannot be answered online (an end-dated client): says whom to call.</summary>
    public sealed record Refused(string Message) : AppointmentLinkLookup;
}

/// <summary>
/// The page a reminder's personal link opens (/appointment/{token}). Reading it changes nothing; Confirm and Cancel
/// go through <see cref="AppointmentResponses"/> with the link, so a cancel uses it up.
/// </summary>
public sealed class AppointmentLinkService(IDbContextFactory<PortalDbContext> dbFactory, AppointmentResponses responses, ClinicSettingsService clinic, ClinicClock clock)
{
    public async Task<AppointmentLinkLookup> FindAsync(string? token, CancellationToken ct = default)
    {
        var now = clock.UtcNow;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var link = await ReminderLinks.FindUsableAsync(db, token, now, ct);
        if (link is null)
            return new AppointmentLinkLookup.Unusable();
        var a = await db.Appointments.AsNoTracking().Where(x => x.Id == link.AppointmentId && x.ClientId == link.ClientId)
            .Select(x => new
            {
                x.Version, x.StartUtc, x.IsVideo, x.Location, x.Status, x.ConfirmedAtUtc, Practitioner = x.Practitioner.DisplayName,
                Type = x.AppointmentType.Name, x.Client.EndDate,
            }).SingleOrDefaultAsync(ct);
        if (a is null)
            return new AppointmentLinkLookup.Unusable();
        var settings = await clinic.GetAsync(ct);
        var reminders = await AppointmentResponses.SettingsAsync(db, ct);
        if (a.EndDate is { } end && end <= await clock.TodayAsync(ct))
            return new AppointmentLinkLookup.Refused(ResponseWords.Refusal(ResponseRefusal.ClientEnded, settings, reminders.CancelCutoffHours, ClientLanguage.English));

        var state = a.Status == AppointmentStatus.Cancelled ? AppointmentLinkState.Cancelled
            : a.Status != AppointmentStatus.Booked || a.StartUtc <= now ? AppointmentLinkState.Closed
            : a.ConfirmedAtUtc is not null ? AppointmentLinkState.Confirmed
            : AppointmentLinkState.Booked;
        var open = state is AppointmentLinkState.Booked or AppointmentLinkState.Confirmed;
        var block = link.CancelledAtUtc is not null ? ResponseRefusal.LinkUsed : AppointmentResponses.CancelBlock(reminders, a.StartUtc, now);
        return new AppointmentLinkLookup.Shown(new AppointmentLinkView(
            a.Version, a.StartUtc, a.IsVideo ? "Video visit" : a.Location, a.Practitioner, reminders.ShowAppointmentType ? a.Type : null, state,
            CanConfirm: state == AppointmentLinkState.Booked,
            CanCancel: open && block is null,
            CancelNote: open && block is { } why ? ResponseWords.Refusal(why, settings, reminders.CancelCutoffHours, ClientLanguage.English) : null));
    }

    /// <param name="version">The appointment's version the page showed: a change by staff since then is not confirmed blind.</param>
    public Task<PatientResponseResult> ConfirmAsync(string? token, int? version, CancellationToken ct = default) =>
        AnswerAsync(token, version, cancel: false, ct);

    public Task<PatientResponseResult> CancelAsync(string? token, int? version, CancellationToken ct = default) =>
        AnswerAsync(token, version, cancel: true, ct);

    private async Task<PatientResponseResult> AnswerAsync(string? token, int? version, bool cancel, CancellationToken ct)
    {
        ReminderLink? link;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
            link = await ReminderLinks.FindUsableAsync(db, token, clock.UtcNow, ct);
        if (link is null)
        {
            var settings = await clinic.GetAsync(ct);
            return new PatientResponseResult.Refused(ResponseWords.Refusal(ResponseRefusal.NotFound, settings, 0, ClientLanguage.English), ResponseRefusal.NotFound);
        }
        // A post without the version it was shown is treated as a change: nothing is answered that the patient did not see.
        return await responses.RespondAsync(new AppointmentResponses.Request(link.AppointmentId, link.ClientId, ResponseVia.ReminderLink, cancel,
            LinkId: link.Id, ExpectedVersion: version ?? -1), ct);
    }
}
