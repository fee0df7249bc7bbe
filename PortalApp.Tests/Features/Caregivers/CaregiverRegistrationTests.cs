using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Auditing;
using PortalApp.Features.Caregivers;
using PortalApp.Features.Clinic;
using PortalApp.Features.Invites;
using PortalApp.Features.Portal;
using PortalApp.Features.Registration;
using PortalApp.Features.Templates;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Caregivers;

/// <summary>A caregiver's link: the patient's date of birth proves it reached the right person; one email, one account.</summary>
[Trait("Providers", "Both")]
public sealed class CaregiverRegistrationTests : IAsyncLifetime
{
    private const string Password = PortalForms.PatientPassword;
    private const string LeosBirthday = "2016-09-21";
    private ServiceTestHost _host = null!;
    private Client _leo = null!;
    private int _template;

    public async ValueTask InitializeAsync()
    {
        _host = await ServiceTestHost.StartAsync();
        _leo = await _host.AddClientAsync("Leo", "Tran", new DateOnly(2016, 9, 21), "leo.tran@example.com");
        _template = await CaregiverInvites.DefaultTemplateAsync(_host.Services);
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private async Task<(long AccessId, string Token)> InviteAsync(CaregiverInviteForm form, int? patientId = null)
    {
        var sent = Assert.IsType<CaregiverSendResult.Sent>(await _host.Scoped<CaregiverInviteService>().SendAsync(patientId ?? _leo.Id, form, Staff.FrontDesk));
        return (sent.AccessId, await CaregiverInvites.QueuedTokenAsync(_host, sent.AccessId));
    }

    private Task<(long AccessId, string Token)> InviteAnnaAsync() => InviteAsync(CaregiverInvites.Form(_template));

    private Task<RegistrationResult> RegisterAsync(string token, string dateOfBirth = LeosBirthday, string password = Password, bool terms = true) =>
        _host.Scoped<RegistrationService>().RegisterAsync(token, new RegistrationForm
        {
            DateOfBirth = dateOfBirth, Password = password, ConfirmPassword = password, AcceptTerms = terms,
        });

    /// <summary>Minh Tran, a patient with his own portal account, registered through his own invite.</summary>
    private async Task<(Client Card, string UserId)> RegisteredMinhAsync()
    {
        var minh = await _host.AddClientAsync("Minh", "Tran", new DateOnly(1981, 1, 30), "minh.tran@example.com");
        var template = (await _host.Scoped<TemplateService>().ListAsync(TemplateKind.PortalInvite)).Single(t => t.IsDefault).Id;
        Assert.IsType<InviteSendResult.Sent>(await _host.Scoped<InviteService>().SendAsync(minh.Id, template, Staff.FrontDesk, resend: false));
        await using var db = await _host.DbAsync();
        var (html, _, _) = _host.Get<PortalApp.Email.OutboxSecrets>().Reveal(await db.OutboxEmails.SingleAsync(e => e.ClientId == minh.Id));
        var token = System.Text.RegularExpressions.Regex.Match(html, "/register/([A-Za-z0-9_-]{43})").Groups[1].Value;
        var registered = Assert.IsType<RegistrationResult.Registered>(await RegisterAsync(token, "1981-01-30"));
        return (minh, registered.UserId);
    }

    private async Task<PortalAccount> AccountAsync(string userId)
    {
        await using var db = await _host.DbAsync();
        return (await PortalAccountQuery.LoadAsync(db, userId, null, new DateOnly(2026, 3, 4)))!;
    }

    [Fact]
    public async Task The_caregiver_gives_the_patients_date_of_birth_not_their_own()
    {
        var (_, token) = await InviteAnnaAsync();

        Assert.Equal(new RegistrationResult.WrongDateOfBirth(2), await RegisterAsync(token, "1985-02-11"));
        var registered = Assert.IsType<RegistrationResult.Registered>(await RegisterAsync(token, LeosBirthday));

        Assert.Equal((_leo.Id, false), (registered.PatientClientId, registered.Linked));
    }

    [Fact]
    public async Task Three_wrong_dates_of_birth_lock_the_invite_and_the_right_one_then_fails()
    {
        var (accessId, token) = await InviteAnnaAsync();

        Assert.Equal(new RegistrationResult.WrongDateOfBirth(2), await RegisterAsync(token, "2016-09-12"));
        Assert.Equal(new RegistrationResult.WrongDateOfBirth(1), await RegisterAsync(token, "2016-09-12"));
        Assert.IsType<RegistrationResult.Locked>(await RegisterAsync(token, "2016-09-12"));
        Assert.IsType<RegistrationResult.Unusable>(await RegisterAsync(token, LeosBirthday));

        await using var db = await _host.DbAsync();
        var invite = await db.PortalInvites.SingleAsync();
        Assert.Equal((InviteStatus.Locked, 3), (invite.Status, invite.FailedIdentityChecks));
        Assert.False(await db.Users.AnyAsync());
        Assert.Equal(CaregiverRowStatus.InviteLocked, (await _host.Scoped<CaregiverAccessService>().GetStateAsync(_leo.Id))!.Caregivers.Single(c => c.Id == accessId).Status);
        Assert.Equal([AuditOutcome.Failed, AuditOutcome.Failed, AuditOutcome.Refused],
            await db.AuditEvents.Where(a => a.Action == AuditActions.CaregiverIdentityCheck && a.ClientId == _leo.Id).OrderBy(a => a.Id).Select(a => a.Outcome).ToListAsync());
    }

    [Fact]
    public async Task The_clinics_number_of_identity_checks_is_honoured()
    {
        var clinic = _host.Get<ClinicSettingsService>();
        var settings = await clinic.GetForEditAsync();
        settings.CaregiverIdentityChecks = 1;
        Assert.IsType<ClinicSettingsSaveResult.Saved>(await clinic.UpdateAsync(settings, Staff.Admin));
        var (_, token) = await InviteAnnaAsync();

        Assert.IsType<RegistrationResult.Locked>(await RegisterAsync(token, "2016-09-12"));
    }

    [Fact]
    public async Task A_new_caregiver_gets_a_patient_account_of_their_own_and_the_access_becomes_active()
    {
        var (accessId, token) = await InviteAnnaAsync();

        var registered = Assert.IsType<RegistrationResult.Registered>(await RegisterAsync(token));

        var users = _host.Scoped<UserManager<PortalUser>>();
        var anna = (await users.FindByEmailAsync("anna.tran@example.com"))!;
        Assert.Equal((registered.UserId, "Anna Tran", (int?)null), (anna.Id, anna.DisplayName, anna.ClientId));
        Assert.Equal([StaffRoles.Patient], await users.GetRolesAsync(anna));
        await using var db = await _host.DbAsync();
        var access = await db.CaregiverAccesses.SingleAsync(a => a.Id == accessId);
        Assert.Equal((CaregiverAccessStatus.Active, anna.Id, (DateTime?)ServiceTestHost.Start.UtcDateTime), (access.Status, access.PortalUserId, access.ActivatedAtUtc));
        Assert.Equal(InviteStatus.Registered, (await db.PortalInvites.SingleAsync()).Status);
        Assert.True(await db.AuditEvents.AnyAsync(a => a.Action == AuditActions.CaregiverRegister && a.ClientId == _leo.Id && a.Outcome == AuditOutcome.Succeeded));
        Assert.Equal([(_leo.Id, false)], (await AccountAsync(anna.Id)).Patients.Select(p => (p.ClientId, p.IsSelf)));
    }

    [Fact]
    public async Task A_caregiver_picked_from_their_own_client_card_gets_that_card_as_their_own_record()
    {
        var minh = await _host.AddClientAsync("Minh", "Tran", new DateOnly(1981, 1, 30), "minh.tran@example.com");
        var (_, token) = await InviteAsync(CaregiverInvites.Form(_template, caregiverClientId: minh.Id));

        var registered = Assert.IsType<RegistrationResult.Registered>(await RegisterAsync(token));

        await using var db = await _host.DbAsync();
        Assert.Equal(minh.Id, (await db.Users.SingleAsync(u => u.Id == registered.UserId)).ClientId);
        Assert.Equal([(minh.Id, true), (_leo.Id, false)], (await AccountAsync(registered.UserId)).Patients.Select(p => (p.ClientId, p.IsSelf)));
    }

    [Fact]
    public async Task An_email_that_already_has_a_portal_account_needs_that_accounts_password()
    {
        var (_, minhUserId) = await RegisteredMinhAsync();
        var (accessId, token) = await InviteAsync(CaregiverInvites.Form(_template, "Minh", "Tran", "minh.tran@example.com"));

        var wrong = Assert.IsType<RegistrationResult.Invalid>(await RegisterAsync(token, password: "not minh's password at all"));

        Assert.Equal("That is not the password of the portal account for m•••@example.com. If you forgot it, use \"Forgot your password?\" on the sign-in page first.",
            wrong.Errors["Password"]);
        await using var db = await _host.DbAsync();
        Assert.Equal(CaregiverAccessStatus.Invited, (await db.CaregiverAccesses.SingleAsync(a => a.Id == accessId)).Status);
        Assert.Equal([minhUserId], await db.Users.Select(u => u.Id).ToListAsync());
    }

    [Fact]
    public async Task A_password_longer_than_any_portal_password_is_refused_without_costing_the_account_a_try()
    {
        var (_, minhUserId) = await RegisteredMinhAsync();
        var (_, token) = await InviteAsync(CaregiverInvites.Form(_template, "Minh", "Tran", "minh.tran@example.com"));

        var refused = Assert.IsType<RegistrationResult.Invalid>(await RegisterAsync(token, password: new string('p', 60_000)));

        Assert.Equal("A portal password has at most 128 characters.", refused.Errors["Password"]);
        await using var db = await _host.DbAsync();
        Assert.Equal(0, (await db.Users.SingleAsync(u => u.Id == minhUserId)).AccessFailedCount);
    }

    [Fact]
    public async Task The_right_password_adds_the_patient_to_the_existing_account_instead_of_making_a_second()
    {
        var (minh, minhUserId) = await RegisteredMinhAsync();
        var (accessId, token) = await InviteAsync(CaregiverInvites.Form(_template, "Minh", "Tran", "Minh.Tran@example.com"));

        var registered = Assert.IsType<RegistrationResult.Registered>(await RegisterAsync(token));

        Assert.Equal((minhUserId, _leo.Id, true), (registered.UserId, registered.PatientClientId, registered.Linked));
        await using var db = await _host.DbAsync();
        Assert.Equal(1, await db.Users.CountAsync());
        var access = await db.CaregiverAccesses.SingleAsync(a => a.Id == accessId);
        Assert.Equal((CaregiverAccessStatus.Active, minhUserId), (access.Status, access.PortalUserId));
        Assert.Equal([(minh.Id, true), (_leo.Id, false)], (await AccountAsync(minhUserId)).Patients.Select(p => (p.ClientId, p.IsSelf)));
    }

    [Fact]
    public async Task A_parent_of_two_children_keeps_one_account_for_both()
    {
        var mai = await _host.AddClientAsync("Mai", "Tran", new DateOnly(2019, 4, 2), email: null);
        var (_, leosToken) = await InviteAnnaAsync();
        var (_, maisToken) = await InviteAsync(CaregiverInvites.Form(_template), mai.Id);
        var anna = Assert.IsType<RegistrationResult.Registered>(await RegisterAsync(leosToken));

        var linked = Assert.IsType<RegistrationResult.Registered>(await RegisterAsync(maisToken, "2019-04-02"));

        Assert.Equal((anna.UserId, true), (linked.UserId, linked.Linked));
        await using var db = await _host.DbAsync();
        Assert.Equal(1, await db.Users.CountAsync());
        Assert.Equal([_leo.Id, mai.Id], (await AccountAsync(anna.UserId)).Patients.Select(p => p.ClientId).Order());
    }

    [Fact]
    public async Task The_link_works_once()
    {
        var (_, token) = await InviteAnnaAsync();
        Assert.IsType<RegistrationResult.Registered>(await RegisterAsync(token));

        Assert.IsType<RegistrationResult.Unusable>(await RegisterAsync(token));

        Assert.Null(await _host.Scoped<RegistrationService>().FindAsync(token));
        await using var db = await _host.DbAsync();
        Assert.Equal(1, await db.Users.CountAsync());
    }

    [Fact]
    public async Task Two_links_to_one_new_email_registered_at_once_make_one_account_and_the_other_link_still_works()
    {
        var mai = await _host.AddClientAsync("Mai", "Tran", new DateOnly(2019, 4, 2), email: null);
        var (_, leosToken) = await InviteAnnaAsync();
        var (_, maisToken) = await InviteAsync(CaregiverInvites.Form(_template), mai.Id);

        // Both hash their password before either writes, so both usually take the new-account path and one loses.
        var results = await Task.WhenAll(Task.Run(() => RegisterAsync(leosToken)), Task.Run(() => RegisterAsync(maisToken, "2019-04-02")));

        await using (var db = await _host.DbAsync())
            Assert.Equal(1, await db.Users.CountAsync());
        var registered = results.OfType<RegistrationResult.Registered>().ToList();
        if (registered.Count == 1)
        {
            // The loser was told to open its link again, and that link is still usable: it now adds Mai to Anna's account.
            var refused = Assert.IsType<RegistrationResult.Invalid>(Assert.Single(results, r => r is not RegistrationResult.Registered));
            Assert.StartsWith("A portal account was just created with a•••@example.com.", refused.Errors["Email"]);
            var retry = registered[0].PatientClientId == mai.Id ? leosToken : maisToken;
            var linked = Assert.IsType<RegistrationResult.Registered>(await RegisterAsync(retry, retry == leosToken ? LeosBirthday : "2019-04-02"));
            Assert.True(linked.Linked);
        }
        await using var check = await _host.DbAsync();
        var anna = await check.Users.SingleAsync(u => u.Email == "anna.tran@example.com");
        Assert.Equal([_leo.Id, mai.Id], (await AccountAsync(anna.Id)).Patients.Select(p => p.ClientId).Order());
    }
}
