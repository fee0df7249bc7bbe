using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Auditing;
using PortalApp.Features.Staff;
using PortalApp.Security;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.StaffAdmin;

[Trait("Providers", "Both")]
public sealed class StaffAdminServiceTests : IAsyncLifetime
{
    private ServiceTestHost _host = null!;

    public async ValueTask InitializeAsync() => _host = await ServiceTestHost.StartAsync();

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private StaffAdminService Service => _host.Scoped<StaffAdminService>();

    private static StaffInviteForm Form(string email = "new.person@clinic.example", params string[] roles) =>
        new() { Name = "Nia Newcomer", Email = email, Roles = roles.Length == 0 ? [StaffRoles.FrontDesk] : [.. roles] };

    [Fact]
    public async Task An_invite_makes_an_account_without_a_password_and_emails_a_72_hour_link_stored_only_hashed()
    {
        var result = await Service.InviteAsync(Form(), TestSupport.Staff.Admin);

        var userId = Assert.IsType<StaffInviteResult.Invited>(result).UserId;
        await using var db = await _host.DbAsync();
        var user = await db.Users.SingleAsync(u => u.Id == userId);
        Assert.Null(user.PasswordHash);
        var token = await db.AccountTokens.SingleAsync(t => t.UserId == userId);
        Assert.Equal((AccountTokenPurpose.StaffInvite, AccountTokenStatus.Pending), (token.Purpose, token.Status));
        Assert.Equal(TimeSpan.FromHours(72), token.ExpiresAtUtc - token.CreatedAtUtc);
        Assert.Equal(32, token.TokenHash.Length);
        var email = await db.OutboxEmails.SingleAsync(e => e.Kind == "staff-invite");
        Assert.Equal("new.person@clinic.example", email.ToAddress);
        Assert.Contains("/account/set-password/" + OutboxEmail.SecretMarker, email.TextBody);
        Assert.NotNull(email.ProtectedSecret); // the token itself only travels encrypted, until sent
        Assert.Equal(StaffStatus.Invited, (await _host.Scoped<StaffDirectory>().ListAsync(null)).Single(r => r.Id == userId).Status);
        Assert.Single(await db.AuditEvents.Where(a => a.Action == AuditActions.StaffInvite).ToListAsync());
    }

    [Fact]
    public async Task An_invite_is_refused_field_by_field_and_saves_nothing()
    {
        const string patientEmail = "patient.person@example.com";
        await StaffAccounts.CreateAsync(_host.Services, StaffRoles.Patient, patientEmail);

        var blank = Assert.IsType<StaffInviteResult.Invalid>(await Service.InviteAsync(new StaffInviteForm(), TestSupport.Staff.Admin)).Errors;
        var taken = Assert.IsType<StaffInviteResult.Invalid>(await Service.InviteAsync(Form(patientEmail), TestSupport.Staff.Admin)).Errors;
        var notAdmin = Assert.IsType<StaffInviteResult.Invalid>(await Service.InviteAsync(Form(), TestSupport.Staff.FrontDesk)).Errors;

        Assert.Equal("Enter the staff member's full name.", blank["Name"]);
        Assert.Equal("Enter the staff member's work email address: the invite goes there.", blank["Email"]);
        Assert.Equal("Choose at least one role.", blank["Roles"]);
        Assert.StartsWith("An account with this email address already exists", taken["Email"]);
        Assert.Equal(StaffRules.NotAdmin, notAdmin[""]);
        await using var db = await _host.DbAsync();
        Assert.Equal(0, await db.AccountTokens.CountAsync());
        Assert.Equal(0, await db.OutboxEmails.CountAsync());
    }

    [Fact]
    public async Task The_last_active_admin_can_neither_lose_the_role_nor_be_disabled()
    {
        var only = await StaffAccounts.CreateAsync(_host.Services, StaffRoles.Admin);

        var demote = await Service.ChangeRolesAsync(only.Id, [StaffRoles.FrontDesk], TestSupport.Staff.Admin);
        var disable = await Service.DisableAsync(only.Id, TestSupport.Staff.Admin);

        Assert.Equal(StaffRules.LastAdmin, Assert.IsType<Outcome.Refused>(demote).Reason);
        Assert.Equal(StaffRules.LastAdmin, Assert.IsType<Outcome.Refused>(disable).Reason);
        var second = await StaffAccounts.CreateAsync(_host.Services, StaffRoles.Admin);
        Assert.IsType<Outcome.Done>(await Service.DisableAsync(only.Id, TestSupport.Staff.Admin));
        Assert.Equal(StaffRules.LastAdmin, Assert.IsType<Outcome.Refused>(await Service.DisableAsync(second.Id, TestSupport.Staff.Admin)).Reason);
    }

    [Fact]
    public async Task An_invited_admin_who_never_set_a_password_does_not_count_as_an_active_admin()
    {
        var only = await StaffAccounts.CreateAsync(_host.Services, StaffRoles.Admin);
        Assert.IsType<StaffInviteResult.Invited>(await Service.InviteAsync(Form("new.admin@clinic.example", StaffRoles.Admin), TestSupport.Staff.Admin));

        Assert.IsType<Outcome.Refused>(await Service.DisableAsync(only.Id, TestSupport.Staff.Admin));
    }

    [Fact]
    public async Task Two_admins_disabling_each_other_at_once_leave_exactly_one_active_admin()
    {
        var ann = await StaffAccounts.CreateAsync(_host.Services, StaffRoles.Admin);
        var bob = await StaffAccounts.CreateAsync(_host.Services, StaffRoles.Admin);
        var annActor = new StaffActor(ann.Id, "Ann", StaffRoles.Admin);
        var bobActor = new StaffActor(bob.Id, "Bob", StaffRoles.Admin);
        var start = new TaskCompletionSource();

        var annDisablesBob = Task.Run(async () => { await start.Task; return await _host.Scoped<StaffAdminService>().DisableAsync(bob.Id, annActor); });
        var bobDisablesAnn = Task.Run(async () => { await start.Task; return await _host.Scoped<StaffAdminService>().DisableAsync(ann.Id, bobActor); });
        start.SetResult();
        var results = await Task.WhenAll(annDisablesBob, bobDisablesAnn);

        Assert.Single(results, r => r is Outcome.Done);
        Assert.Single(results, r => r is Outcome.Refused { Reason: StaffRules.LastAdmin });
        await using var db = await _host.DbAsync();
        Assert.Equal(1, await db.Users.CountAsync(u => (u.Id == ann.Id || u.Id == bob.Id) && u.DisabledAtUtc == null));
    }

    [Fact]
    public async Task Disabling_changes_the_security_stamp_ends_every_session_and_is_audited()
    {
        var user = await StaffAccounts.CreateAsync(_host.Services);
        var sessions = _host.Get<UserSessions>();
        var token = await sessions.StartAsync(user.Id, SessionKind.Staff);
        string? stampBefore;
        await using (var db = await _host.DbAsync())
            stampBefore = (await db.Users.SingleAsync(u => u.Id == user.Id)).SecurityStamp;

        Assert.IsType<Outcome.Done>(await Service.DisableAsync(user.Id, TestSupport.Staff.Admin));

        Assert.Equal(SessionEndReason.AccountChanged, (await sessions.FindAsync(token))!.EndReason);
        await using var after = await _host.DbAsync();
        Assert.NotEqual(stampBefore, (await after.Users.SingleAsync(u => u.Id == user.Id)).SecurityStamp);
        Assert.Equal(StaffStatus.Disabled, (await _host.Scoped<StaffDirectory>().ListAsync(null)).Single(r => r.Id == user.Id).Status);
        Assert.Single(await after.AuditEvents.Where(a => a.Action == AuditActions.StaffDisable && a.Outcome == AuditOutcome.Succeeded).ToListAsync());
        Assert.IsType<Outcome.Done>(await Service.EnableAsync(user.Id, TestSupport.Staff.Admin));
        Assert.Equal(StaffStatus.Active, (await _host.Scoped<StaffDirectory>().ListAsync(null)).Single(r => r.Id == user.Id).Status);
    }

    [Fact]
    public async Task Every_change_is_refused_to_non_admins_on_the_server()
    {
        var user = await StaffAccounts.CreateAsync(_host.Services);
        var actor = TestSupport.Staff.FrontDesk;

        Outcome[] outcomes =
        [
            await Service.ChangeRolesAsync(user.Id, [StaffRoles.Admin], actor), await Service.DisableAsync(user.Id, actor),
            await Service.EnableAsync(user.Id, actor), await Service.UnlockAsync(user.Id, actor), await Service.SendPasswordResetAsync(user.Id, actor),
            await Service.ResendInviteAsync(user.Id, actor), await Service.ResetTwoFactorAsync(user.Id, actor), await Service.LinkPractitionerAsync(user.Id, null, actor),
            await Service.SetPasswordAsync(user.Id, "a brand new passphrase here", actor),
        ];

        Assert.All(outcomes, o => Assert.Equal(StaffRules.NotAdmin, Assert.IsType<Outcome.Refused>(o).Reason));
    }

    [Fact]
    public async Task A_password_reset_link_replaces_the_one_before_and_works_for_an_hour()
    {
        var user = await StaffAccounts.CreateAsync(_host.Services);

        Assert.IsType<Outcome.Done>(await Service.SendPasswordResetAsync(user.Id, TestSupport.Staff.Admin));
        Assert.IsType<Outcome.Done>(await Service.SendPasswordResetAsync(user.Id, TestSupport.Staff.Admin));

        await using var db = await _host.DbAsync();
        var tokens = await db.AccountTokens.Where(t => t.UserId == user.Id).OrderBy(t => t.Id).ToListAsync();
        Assert.Equal([AccountTokenStatus.Replaced, AccountTokenStatus.Pending], tokens.Select(t => t.Status));
        Assert.Equal(TimeSpan.FromHours(1), tokens[1].ExpiresAtUtc - tokens[1].CreatedAtUtc);
        Assert.Equal(2, await db.OutboxEmails.CountAsync(e => e.Kind == "staff-password-reset"));
    }

    [Fact]
    public async Task A_practitioner_record_belongs_to_one_staff_account()
    {
        var first = await StaffAccounts.CreateAsync(_host.Services, StaffRoles.Practitioner);
        var second = await StaffAccounts.CreateAsync(_host.Services, StaffRoles.Practitioner);
        int practitionerId;
        await using (var db = await _host.DbAsync())
        {
            var practitioner = db.Practitioners.Add(new Practitioner { DisplayName = "Dr. Lee" }).Entity;
            await db.SaveChangesAsync();
            practitionerId = practitioner.Id;
        }

        Assert.IsType<Outcome.Done>(await Service.LinkPractitionerAsync(first.Id, practitionerId, TestSupport.Staff.Admin));
        var taken = await Service.LinkPractitionerAsync(second.Id, practitionerId, TestSupport.Staff.Admin);

        Assert.Equal("Dr. Lee is already linked to another staff account.", Assert.IsType<Outcome.Refused>(taken).Reason);
        Assert.Equal("Dr. Lee", (await _host.Scoped<StaffDirectory>().ListAsync(null)).Single(r => r.Id == first.Id).PractitionerName);
    }

    [Fact]
    public async Task Search_finds_by_name_or_email_and_stays_bounded_whatever_it_is_given()
    {
        var user = await StaffAccounts.CreateAsync(_host.Services, email: "findable.person@clinic.example");

        Assert.Contains(await _host.Scoped<StaffDirectory>().ListAsync("findable"), r => r.Id == user.Id);
        Assert.Empty(await _host.Scoped<StaffDirectory>().ListAsync(new string('x', 1_000_000)));
    }
}
