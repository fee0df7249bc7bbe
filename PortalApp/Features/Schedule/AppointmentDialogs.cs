using MudBlazor;
using PortalApp.Auditing;
using PortalApp.Data;
using PortalApp.Features.Clinic;

namespace PortalApp.Features.Schedule;

/// <summary>
/// The booking and appointment dialogs as the Schedule and a client's Appointments tab both open them: one home, so
/// the two places book, move and cancel the same way. The dialogs ask; the services here decide.
/// </summary>
public sealed class AppointmentDialogs(IDialogService dialogs, ISnackbar snackbar, BookingService booking, AppointmentStatusService statuses, ScheduleQueries queries)
{
    private static readonly DialogOptions Options = new() { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true };

    /// <summary>True when a booking was made.</summary>
    public async Task<bool> BookAsync(StaffActor actor, BookingForm initial, string? clientName = null)
    {
        var choices = await queries.ChoicesAsync();
        var dialog = await dialogs.ShowAsync<BookingDialog>("Book appointment", new DialogParameters<BookingDialog>
        {
            { d => d.Initial, initial }, { d => d.Choices, choices }, { d => d.ClientName, clientName },
            { d => d.Submit, form => booking.BookAsync(form, actor) },
        }, Options);
        return await DoneAsync(dialog);
    }

    /// <summary>Shows an appointment with its history; true when it was changed.</summary>
    public async Task<bool> OpenAsync(StaffActor actor, TimeZoneInfo zone, int appointmentId)
    {
        if (await queries.DetailsAsync(appointmentId) is not { } details)
        {
            snackbar.Add(ScheduleMessages.AppointmentGone, Severity.Warning);
            return true;
        }
        var item = details.Item;
        var choices = await queries.ChoicesAsync(item.PractitionerId, item.AppointmentTypeId);
        var own = choices.Practitioners.Any(p => p.Id == item.PractitionerId && p.StaffUserId == actor.UserId) && actor.Roles.Contains(StaffRoles.Practitioner);
        var canBook = BookingService.MayBook(actor);
        var dialog = await dialogs.ShowAsync<AppointmentDialog>($"{item.ClientName} · {item.Type}", new DialogParameters<AppointmentDialog>
        {
            { d => d.Details, details }, { d => d.Zone, zone }, { d => d.CanBook, canBook }, { d => d.CanMark, canBook || own },
            { d => d.Act, action => action switch
                {
                    AppointmentAction.Cancel cancel => statuses.CancelAsync(item.Id, item.Version, cancel.Reason, actor),
                    AppointmentAction.Mark mark => statuses.MarkAsync(item.Id, item.Version, mark.Status, actor),
                    AppointmentAction.ConfirmForPatient => statuses.ConfirmForPatientAsync(item.Id, item.Version, actor),
                    _ => Task.FromResult<ScheduleResult>(new ScheduleResult.Refused("Unknown action.")),
                } },
        }, Options);
        var result = await dialog.Result;
        if (result is { Canceled: false, Data: AppointmentAction.RescheduleChosen })
        {
            var wallClock = ClinicTime.ToWallClock(item.StartUtc, zone);
            var form = new BookingForm
            {
                AppointmentId = item.Id, ClientId = item.ClientId, AppointmentTypeId = item.AppointmentTypeId, PractitionerId = item.PractitionerId,
                Date = wallClock.Date, StartTime = wallClock.TimeOfDay, LengthMinutes = item.LengthMinutes, IsVideo = item.IsVideo,
                Location = item.Location, Version = item.Version,
            };
            var change = await dialogs.ShowAsync<BookingDialog>("Reschedule appointment", new DialogParameters<BookingDialog>
            {
                { d => d.Initial, form }, { d => d.Choices, choices }, { d => d.ClientName, item.ClientName },
                { d => d.Submit, f => booking.ChangeAsync(f, actor) },
            }, Options);
            return await DoneAsync(change);
        }
        return Announce(result);
    }

    private async Task<bool> DoneAsync(IDialogReference dialog) => Announce(await dialog.Result);

    private bool Announce(DialogResult? result)
    {
        if (result is not { Canceled: false, Data: ScheduleResult.Done done })
            return false;
        snackbar.Add(done.Message, Severity.Success);
        return true;
    }
}
