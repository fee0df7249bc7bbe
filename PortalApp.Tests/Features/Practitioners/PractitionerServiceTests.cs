using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PortalApp.Auditing;
using PortalApp.Data;
using PortalApp.Features.Practitioners;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Practitioners;

[Trait("Providers", "Both")]
public sealed class PractitionerServiceTests : IAsyncLifetime
{
    private ServiceTestHost _host = null!;

    private PractitionerService Practitioners => _host.Scoped<PractitionerService>();

    public async ValueTask InitializeAsync() => _host = await ServiceTestHost.StartAsync();

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task An_admin_adds_a_practitioner_and_the_save_is_audited()
    {
        var result = await Practitioners.SaveAsync(new PractitionerForm { DisplayName = " Dr. Chen ", Credentials = "MD", Colour = "#2e7d32" }, Staff.Admin);

        Assert.True(result.Saved, result.Message);
        var row = Assert.Single(await Practitioners.ListAsync());
        Assert.Equal(("Dr. Chen", "MD", "#2E7D32", true), (row.DisplayName, row.Credentials, row.Colour, row.IsActive));
        await using var db = await _host.DbAsync();
        Assert.Equal("Added; active", (await db.AuditEvents.SingleAsync(e => e.Action == AuditActions.PractitionerSave)).Details);
    }

    [Fact]
    public async Task Only_admins_may_save_the_server_refuses_front_desk()
    {
        var result = await Practitioners.SaveAsync(new PractitionerForm { DisplayName = "Dr. Chen" }, Staff.FrontDesk);

        Assert.Equal((false, PractitionerService.AdminsOnly), (result.Saved, result.Message));
        Assert.Empty(await Practitioners.ListAsync());
    }

    [Theory]
    [InlineData("", "#123456", "Enter the practitioner's name as clients see it, e.g. Dr. Chen.")]
    [InlineData("Dr. Chen", "blue", "Choose a colour as #RRGGBB, e.g. #1565C0.")]
    [InlineData("Dr. Chen", "#12345G", "Choose a colour as #RRGGBB, e.g. #1565C0.")]
    [InlineData("Dr. Chen", "#123456\n", "Choose a colour as #RRGGBB, e.g. #1565C0.")]
    public async Task Bad_input_is_refused_with_a_specific_message(string name, string colour, string message)
    {
        var result = await Practitioners.SaveAsync(new PractitionerForm { DisplayName = name, Colour = colour }, Staff.Admin);

        Assert.Equal(message, result.Message);
    }

    [Fact]
    public async Task Long_names_and_credentials_are_refused()
    {
        Assert.Equal("The name can be at most 150 characters.", (await Practitioners.SaveAsync(new PractitionerForm { DisplayName = new string('a', 151) }, Staff.Admin)).Message);
        Assert.Equal("Credentials can be at most 50 characters.",
            (await Practitioners.SaveAsync(new PractitionerForm { DisplayName = "Dr. Chen", Credentials = new string('a', 51) }, Staff.Admin)).Message);
    }

    [Fact]
    public async Task A_staff_account_links_to_one_practitioner_only()
    {
        var userId = await AddStaffAsync("chen@clinic.example");
        Assert.True((await Practitioners.SaveAsync(new PractitionerForm { DisplayName = "Dr. Chen", StaffUserId = userId }, Staff.Admin)).Saved);

        var second = await Practitioners.SaveAsync(new PractitionerForm { DisplayName = "Dr. Okafor", StaffUserId = userId }, Staff.Admin);

        Assert.Equal((false, "That staff account is already linked to Dr. Chen: one practitioner per staff account."), (second.Saved, second.Message));
        Assert.Equal("Dr. Chen", (await Practitioners.ListAsync()).Single(p => p.StaffUserId == userId).DisplayName);
    }

    [Fact]
    public async Task An_edit_from_an_old_version_is_refused()
    {
        Assert.True((await Practitioners.SaveAsync(new PractitionerForm { DisplayName = "Dr. Chen" }, Staff.Admin)).Saved);
        var row = Assert.Single(await Practitioners.ListAsync());
        var first = row.ToForm();
        first.IsActive = false;
        Assert.True((await Practitioners.SaveAsync(first, Staff.Admin)).Saved);

        var stale = row.ToForm();
        stale.Credentials = "MD";
        Assert.False((await Practitioners.SaveAsync(stale, Staff.Admin)).Saved);
        Assert.False(Assert.Single(await Practitioners.ListAsync()).IsActive);
    }

    private async Task<string> AddStaffAsync(string email)
    {
        using var scope = _host.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = new PortalUser { UserName = email, Email = email, DisplayName = "Liam Chen" };
        Assert.True((await users.CreateAsync(user)).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, StaffRoles.Practitioner)).Succeeded);
        return user.Id;
    }
}
