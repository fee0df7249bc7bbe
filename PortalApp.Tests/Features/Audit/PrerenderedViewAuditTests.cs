using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Auditing;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Audit;

/// <summary>
/// A page fetched without ever starting its circuit (a script, a browser with JavaScript off) has already shown the
/// record in its HTML: the prerender itself records the view.
/// </summary>
public sealed class PrerenderedViewAuditTests(PortalAppFixture app) : IClassFixture<PortalAppFixture>
{
    private async Task<(string StaffUserId, Client Client, Appointment Visit)> PickAsync(string email, int skip)
    {
        await using var db = await app.Factory.DbAsync();
        var staff = await db.Users.SingleAsync(u => u.Email == email);
        var visit = await db.Appointments.Include(a => a.Client).OrderBy(a => a.Id).Skip(skip).FirstAsync();
        return (staff.Id, visit.Client, visit);
    }

    private async Task<List<AuditEvent>> ViewsAsync(string staffUserId, string action)
    {
        await using var db = await app.Factory.DbAsync();
        return await db.AuditEvents.Where(a => a.StaffUserId == staffUserId && a.Action == action).ToListAsync();
    }

    [Fact]
    public async Task A_client_card_sent_as_html_is_recorded_once()
    {
        var (staffId, client, _) = await PickAsync("frontdesk@demo.clinic", 0);
        var http = await StaffClient.SignedInAsync(app.Factory, "frontdesk@demo.clinic");

        var html = await http.GetStringAsync($"/clients/{client.Id}");

        Assert.Contains(client.LastName, html);
        Assert.Equal([client.Id], (await ViewsAsync(staffId, AuditActions.ClientView)).Select(v => v.ClientId));
    }

    [Fact]
    public async Task A_charting_window_sent_as_html_is_recorded_once()
    {
        var (staffId, client, visit) = await PickAsync("practitioner@demo.clinic", 1);
        var http = await StaffClient.SignedInAsync(app.Factory, "practitioner@demo.clinic");

        await http.GetStringAsync($"/appointments/{visit.Id}/chart");

        var view = Assert.Single(await ViewsAsync(staffId, AuditActions.ChartNoteView));
        Assert.Equal((client.Id, $"Appointment {visit.Id}"), (view.ClientId, view.Details));
    }

    [Fact]
    public async Task A_client_that_does_not_exist_records_nothing()
    {
        var (staffId, _, _) = await PickAsync("admin@demo.clinic", 0);
        var http = await StaffClient.SignedInAsync(app.Factory, "admin@demo.clinic");

        await http.GetAsync("/clients/999999");

        Assert.Empty(await ViewsAsync(staffId, AuditActions.ClientView));
    }
}
