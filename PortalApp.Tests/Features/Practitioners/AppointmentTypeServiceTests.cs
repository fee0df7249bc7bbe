using Microsoft.EntityFrameworkCore;
using PortalApp.Auditing;
using PortalApp.Features.AppointmentTypes;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Practitioners;

[Trait("Providers", "Both")]
public sealed class AppointmentTypeServiceTests : IAsyncLifetime
{
    private ServiceTestHost _host = null!;

    private AppointmentTypeService Types => _host.Scoped<AppointmentTypeService>();

    public async ValueTask InitializeAsync() => _host = await ServiceTestHost.StartAsync();

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task An_admin_adds_a_video_type_and_the_save_is_audited()
    {
        Assert.True((await Types.SaveAsync(new AppointmentTypeForm { Name = "Video check-in", DefaultLengthMinutes = 15, IsVideo = true }, Staff.Admin)).Saved);

        var row = (await Types.ListAsync()).Single(t => t.Name == "Video check-in");
        Assert.Equal((15, true, true), (row.DefaultLengthMinutes, row.IsVideo, row.IsActive));
        await using var db = await _host.DbAsync();
        Assert.Equal("Added; 15 min; active", (await db.AuditEvents.SingleAsync(e => e.Action == AuditActions.AppointmentTypeSave)).Details);
    }

    [Fact]
    public async Task A_name_taken_in_any_case_gets_a_friendly_message()
    {
        Assert.True((await Types.SaveAsync(new AppointmentTypeForm { Name = "Follow-up" }, Staff.Admin)).Saved);

        var clash = await Types.SaveAsync(new AppointmentTypeForm { Name = "follow-UP" }, Staff.Admin);

        Assert.Equal((false, AppointmentTypeService.NameTaken("follow-UP"), "Name"), (clash.Saved, clash.Message, clash.Field));
    }

    [Theory]
    [InlineData(4)]
    [InlineData(481)]
    public async Task The_default_length_is_bounded(int minutes) =>
        Assert.Equal("The default length must be 5 to 480 minutes.",
            (await Types.SaveAsync(new AppointmentTypeForm { Name = "Odd", DefaultLengthMinutes = minutes }, Staff.Admin)).Message);

    [Fact]
    public async Task Only_admins_may_save_the_server_refuses_front_desk() =>
        Assert.Equal(AppointmentTypeService.AdminsOnly, (await Types.SaveAsync(new AppointmentTypeForm { Name = "Mine" }, Staff.FrontDesk)).Message);

    [Fact]
    public async Task An_empty_or_long_name_is_refused()
    {
        Assert.Equal("Enter the type's name, e.g. Follow-up.", (await Types.SaveAsync(new AppointmentTypeForm { Name = " " }, Staff.Admin)).Message);
        Assert.Equal("The name can be at most 100 characters.", (await Types.SaveAsync(new AppointmentTypeForm { Name = new string('n', 101) }, Staff.Admin)).Message);
    }
}
