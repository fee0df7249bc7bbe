using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Features.Charting;
using PortalApp.Features.Invites;
using PortalApp.Features.Templates;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Data;

/// <summary>A full disk: every save answers with a clear message, and nothing is half-written.</summary>
[Trait("Providers", "Both")]
public sealed class DiskFullTests : IAsyncLifetime
{
    private ServiceTestHost _host = null!;
    private Client _emma = null!;

    public async ValueTask InitializeAsync()
    {
        _host = await ServiceTestHost.StartAsync();
        _emma = await _host.AddClientAsync();
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task Sending_an_invite_on_a_full_disk_says_so_and_neither_the_invite_nor_its_email_is_kept()
    {
        // A long template: the invite's email then needs new database pages, which a full disk cannot give.
        var template = Assert.IsType<TemplateSaveResult.Saved>(await _host.Scoped<TemplateService>().SaveAsync(new TemplateEditModel
        {
            Kind = TemplateKind.PortalInvite, Name = "Long", Subject = "Your portal", Body = "{{ invite_link }} " + string.Join(" ", Enumerable.Repeat("welcome", 2_000)),
        }, Staff.Admin));
        _host.FillDisk();

        var result = await _host.Scoped<InviteService>().SendAsync(_emma.Id, template.Id, Staff.FrontDesk, resend: false);

        Assert.Equal(DatabaseFailures.Message, Assert.IsType<InviteSendResult.Refused>(result).Reason);
        await using var db = await _host.DbAsync();
        Assert.False(await db.PortalInvites.AnyAsync());
        Assert.False(await db.OutboxEmails.AnyAsync());
    }

    [Fact]
    public async Task Saving_a_chart_note_on_a_full_disk_says_so_and_keeps_the_previous_note()
    {
        var appointment = await _host.AddAppointmentAsync(_emma.Id, ServiceTestHost.Start.UtcDateTime.AddDays(1));
        var charting = _host.Scoped<ChartingService>();
        var version = (await charting.GetVisitAsync(appointment.Id))!.Version;
        _host.FillDisk();

        var result = await charting.SaveNoteAsync(appointment.Id, new string('n', 15_000), version, Staff.Practitioner);

        Assert.IsType<ChartNoteSaveResult.StorageFailed>(result);
        Assert.Null((await charting.GetVisitAsync(appointment.Id))!.ChartNote);
    }
}
