using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Auditing;
using PortalApp.Features.Caregivers;
using PortalApp.Features.Clinic;
using PortalApp.Features.Registration;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Caregivers;

/// <summary>After the invite: re-send, revoke, end access, and expiry, each as the Patient portal tab sees it and as the link does.</summary>
[Trait("Providers", "Both")]
public sealed class CaregiverAccessServiceTests : IAsyncLifetime
{
    private ServiceTestHost _host = null!;
    private Client _leo = null!;
    private int _template;
    private CaregiverAccessService Access => _host.Scoped<CaregiverAccessService>();

    public async ValueTask InitializeAsync()
    {
        _host = await ServiceTestHost.StartAsync();
        _leo = await _host.AddClientAsync("Leo", "Tran", new DateOnly(2016, 9, 21), "leo.tran@example.com");
        _template = await CaregiverInvites.DefaultTemplateAsync(_host.Services);
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private async Task<(long AccessId, string Token)> InviteAnnaAsync()
    {
        var sent = Assert.IsType<CaregiverSendResult.Sent>(await _host.Scoped<CaregiverInviteService>().SendAsync(_leo.Id, CaregiverInvites.Form(_template), Staff.FrontDesk));
        return (sent.AccessId, await CaregiverInvites.QueuedTokenAsync(_host, sent.AccessId));
    }

    private Task<RegistrationResult> RegisterAsync(string token) => _host.Scoped<RegistrationService>().RegisterAsync(token, new RegistrationForm
    {
        DateOfBirth = "2016-09-21", Password = PortalForms.PatientPassword, ConfirmPassword = PortalForms.PatientPassword, AcceptTerms = true,
    });

    private async Task<CaregiverRow> RowAsync(long accessId) => (await Access.GetStateAsync(_leo.Id))!.Caregivers.Single(c => c.Id == accessId);

    private async Task<bool> AuditedAsync(string action)
    {
        await using var db = await _host.DbAsync();
        return await db.AuditEvents.AnyAsync(a => a.Action == action && a.ClientId == _leo.Id && a.Outcome == AuditOutcome.Succeeded);
    }

    [Fact]
    public async Task Re_sending_supersedes_the_old_invite_so_only_the_new_link_works()
    {
        var (accessId, oldToken) = await InviteAnnaAsync();
        _host.Time.Advance(TimeSpan.FromHours(1));

        Assert.IsType<Outcome.Done>(await _host.Scoped<CaregiverInviteService>().ResendAsync(_leo.Id, accessId, Staff.FrontDesk));

        var newToken = await CaregiverInvites.QueuedTokenAsync(_host, accessId);
        await using var db = await _host.DbAsync();
        Assert.Equal([InviteStatus.Superseded, InviteStatus.Pending], await db.PortalInvites.OrderBy(i => i.Id).Select(i => i.Status).ToListAsync());
        Assert.Equal(2, await db.OutboxEmails.CountAsync());
        Assert.IsType<RegistrationResult.Unusable>(await RegisterAsync(oldToken));
        Assert.NotNull(await _host.Scoped<RegistrationService>().FindAsync(newToken));
        Assert.True(await AuditedAsync(AuditActions.CaregiverInviteResend));
    }

    [Fact]
    public async Task Revoking_ends_the_access_and_its_invite_so_the_link_stops_working()
    {
        var (accessId, token) = await InviteAnnaAsync();

        Assert.IsType<Outcome.Done>(await Access.RevokeInviteAsync(_leo.Id, accessId, Staff.Admin));

        await using var db = await _host.DbAsync();
        var access = await db.CaregiverAccesses.SingleAsync();
        Assert.Equal((CaregiverAccessStatus.Ended, "Alex Admin", "Invite revoked"), (access.Status, access.EndedByName, access.EndReason));
        Assert.Equal(InviteStatus.Revoked, (await db.PortalInvites.SingleAsync()).Status);
        Assert.Equal(CaregiverRowStatus.Ended, (await RowAsync(accessId)).Status);
        Assert.IsType<RegistrationResult.Unusable>(await RegisterAsync(token));
        Assert.True(await AuditedAsync(AuditActions.CaregiverInviteRevoke));
        Assert.Equal(CaregiverMessages.AlreadyEnded, Assert.IsType<Outcome.Refused>(await Access.RevokeInviteAsync(_leo.Id, accessId, Staff.Admin)).Reason);
    }

    [Fact]
    public async Task Once_revoked_the_same_caregiver_can_be_invited_again_as_a_new_grant()
    {
        var (accessId, _) = await InviteAnnaAsync();
        Assert.IsType<Outcome.Done>(await Access.RevokeInviteAsync(_leo.Id, accessId, Staff.Admin));

        var (newAccessId, _) = await InviteAnnaAsync();

        Assert.NotEqual(accessId, newAccessId);
        Assert.Equal(CaregiverRowStatus.Invited, (await RowAsync(newAccessId)).Status);
    }

    [Fact]
    public async Task Ending_an_active_access_is_audited_and_cannot_be_repeated()
    {
        var (accessId, token) = await InviteAnnaAsync();
        Assert.IsType<RegistrationResult.Registered>(await RegisterAsync(token));
        Assert.Equal(CaregiverRowStatus.Active, (await RowAsync(accessId)).Status);
        Assert.Equal(CaregiverMessages.NothingToRevoke, Assert.IsType<Outcome.Refused>(await Access.RevokeInviteAsync(_leo.Id, accessId, Staff.FrontDesk)).Reason);

        Assert.IsType<Outcome.Done>(await Access.EndAccessAsync(_leo.Id, accessId, Staff.FrontDesk));

        await using var db = await _host.DbAsync();
        var access = await db.CaregiverAccesses.SingleAsync();
        Assert.Equal((CaregiverAccessStatus.Ended, "Fran Desk", "Access ended by staff"), (access.Status, access.EndedByName, access.EndReason));
        Assert.Equal(CaregiverRowStatus.Ended, (await RowAsync(accessId)).Status);
        Assert.True(await AuditedAsync(AuditActions.CaregiverAccessEnd));
        Assert.Equal(CaregiverMessages.AlreadyEnded, Assert.IsType<Outcome.Refused>(await Access.EndAccessAsync(_leo.Id, accessId, Staff.FrontDesk)).Reason);
    }

    [Fact]
    public async Task Ending_is_refused_for_an_access_of_another_patient()
    {
        var (accessId, _) = await InviteAnnaAsync();
        var other = await _host.AddClientAsync("Olivia", "Roy", email: "olivia.roy@example.com");

        Assert.Equal(CaregiverMessages.AccessGone, Assert.IsType<Outcome.Refused>(await Access.EndAccessAsync(other.Id, accessId, Staff.FrontDesk)).Reason);

        Assert.Equal(CaregiverRowStatus.Invited, (await RowAsync(accessId)).Status);
    }

    [Fact]
    public async Task The_invite_expires_after_the_clinics_expiry_days_and_its_link_then_fails()
    {
        var clinic = _host.Get<ClinicSettingsService>();
        var settings = await clinic.GetForEditAsync();
        settings.InviteExpiryDays = 3;
        Assert.IsType<ClinicSettingsSaveResult.Saved>(await clinic.UpdateAsync(settings, Staff.Admin));
        var (accessId, token) = await InviteAnnaAsync();
        await using (var db = await _host.DbAsync())
            Assert.Equal(ServiceTestHost.Start.UtcDateTime.AddDays(3), (await db.PortalInvites.SingleAsync()).ExpiresAtUtc);

        _host.Time.Advance(TimeSpan.FromDays(3) - TimeSpan.FromMinutes(1));
        Assert.Equal(CaregiverRowStatus.Invited, (await RowAsync(accessId)).Status);
        Assert.NotNull(await _host.Scoped<RegistrationService>().FindAsync(token));

        _host.Time.Advance(TimeSpan.FromMinutes(1));
        var row = await RowAsync(accessId);
        Assert.Equal(CaregiverRowStatus.InviteExpired, row.Status);
        Assert.True(row.CanResend);
        Assert.IsType<RegistrationResult.Unusable>(await RegisterAsync(token));
    }

    [Fact]
    public async Task Asking_for_a_new_link_on_an_expired_caregiver_invite_sends_nothing()
    {
        var (_, token) = await InviteAnnaAsync();
        _host.Time.Advance(TimeSpan.FromDays(8));

        await _host.Scoped<ExpiredLinkService>().SendAsync(token);

        await using var db = await _host.DbAsync();
        Assert.Equal(1, await db.OutboxEmails.CountAsync());
        Assert.Equal(1, await db.PortalInvites.CountAsync());
    }
}
