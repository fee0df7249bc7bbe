using Microsoft.EntityFrameworkCore;
using PortalApp.Auditing;
using PortalApp.Features.Charting;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Charting;

[Trait("Providers", "Both")]
public sealed class ChartNoteTests : IAsyncLifetime
{
    private ServiceTestHost _host = null!;
    private int _appointmentId;
    private ChartingService Charting => _host.Scoped<ChartingService>();

    public async ValueTask InitializeAsync()
    {
        _host = await ServiceTestHost.StartAsync();
        var client = await _host.AddClientAsync();
        _appointmentId = (await _host.AddAppointmentAsync(client.Id, ServiceTestHost.Start.UtcDateTime.AddDays(1))).Id;
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task A_practitioner_saves_a_note_and_the_audit_records_that_it_changed_but_not_what_it_says()
    {
        var visit = (await Charting.GetVisitAsync(_appointmentId))!;

        var saved = Assert.IsType<ChartNoteSaveResult.Saved>(await Charting.SaveNoteAsync(_appointmentId, "Knee pain improving.", visit.Version, Staff.Practitioner));

        Assert.Equal("Knee pain improving.", (await Charting.GetVisitAsync(_appointmentId))!.ChartNote);
        Assert.Equal(visit.Version + 1, saved.Version);
        await using var db = await _host.DbAsync();
        var audit = await db.AuditEvents.SingleAsync(a => a.Action == AuditActions.ChartNoteSave);
        Assert.DoesNotContain("Knee", audit.Details);
    }

    [Fact]
    public async Task Front_desk_staff_cannot_write_chart_notes_even_by_calling_the_service()
    {
        var visit = (await Charting.GetVisitAsync(_appointmentId))!;

        Assert.IsType<ChartNoteSaveResult.NotAllowed>(await Charting.SaveNoteAsync(_appointmentId, "Sneaky", visit.Version, Staff.FrontDesk));
        Assert.Null((await Charting.GetVisitAsync(_appointmentId))!.ChartNote);
    }

    [Fact]
    public async Task A_note_saved_over_a_newer_version_is_a_conflict()
    {
        var visit = (await Charting.GetVisitAsync(_appointmentId))!;
        await Charting.SaveNoteAsync(_appointmentId, "First", visit.Version, Staff.Practitioner);

        var result = await Charting.SaveNoteAsync(_appointmentId, "Second", visit.Version, Staff.Admin);

        Assert.IsType<ChartNoteSaveResult.Conflict>(result);
        Assert.Equal("First", (await Charting.GetVisitAsync(_appointmentId))!.ChartNote);
    }

    [Fact]
    public async Task An_over_long_note_is_refused()
    {
        var visit = (await Charting.GetVisitAsync(_appointmentId))!;

        var result = await Charting.SaveNoteAsync(_appointmentId, new string('x', ChartingService.ChartNoteMaxLength + 1), visit.Version, Staff.Practitioner);

        Assert.IsType<ChartNoteSaveResult.TooLong>(result);
    }
}
