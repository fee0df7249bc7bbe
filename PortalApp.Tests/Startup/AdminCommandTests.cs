using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Auditing;
using PortalApp.Infrastructure;
using PortalApp.Security;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Startup;

/// <summary>The command line an IT person uses when nobody can sign in: the Staff page's rules, audited as "Command line".</summary>
[Trait("Providers", "Both")]
public sealed class AdminCommandTests : IAsyncLifetime
{
    private ServiceTestHost _host = null!;

    public async ValueTask InitializeAsync() => _host = await ServiceTestHost.StartAsync();

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private async Task<(int Code, string Output)> RunAsync(string? input, params string[] args)
    {
        var output = new StringWriter();
        var code = await AdminCommand.RunAsync(_host.Services, ["admin", .. args], new AdminConsole(new StringReader(input ?? ""), output, output, Interactive: false));
        return (code, output.ToString());
    }

    [Fact]
    public async Task Create_uses_the_same_password_rules_as_everyone_and_is_audited()
    {
        var guessable = await RunAsync("ida@clinic.example", "create", "--email", "ida@clinic.example", "--name", "Ida IT");
        Assert.Equal(1, guessable.Code);
        Assert.Contains("This password is too easy to guess", guessable.Output);

        var created = await RunAsync("quartz lantern meadow violin", "create", "--email", "ida@clinic.example", "--name", "Ida IT");

        Assert.Equal((0, "Admin created. Sign in at /account/sign-in with ida@clinic.example."), (created.Code, created.Output.Trim()));
        await using var db = await _host.DbAsync();
        var audit = await db.AuditEvents.SingleAsync(a => a.Action == AuditActions.StaffCreate);
        Assert.Equal("Command line", audit.StaffDisplayName);
    }

    [Fact]
    public async Task Reset_password_unlocks_ends_sessions_and_the_new_password_works()
    {
        var user = await StaffAccounts.CreateAsync(_host.Services, StaffRoles.Admin);
        var session = await _host.Get<UserSessions>().StartAsync(user.Id, SessionKind.Staff);
        await using (var db = await _host.DbAsync())
            await db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.LockoutEnd, DateTimeOffset.UtcNow.AddHours(1)));

        var (code, output) = await RunAsync("saffron harbour tulip engine", "reset-password", "--email", user.Email!);

        Assert.Equal(0, code);
        Assert.Contains("Password changed", output);
        Assert.Equal(SessionEndReason.AccountChanged, (await _host.Get<UserSessions>().FindAsync(session))!.EndReason);
        await using var after = await _host.DbAsync();
        var row = await after.Users.SingleAsync(u => u.Id == user.Id);
        Assert.Null(row.LockoutEnd);
        Assert.True(_host.Scoped<PasswordCheck>().Verify(null, row.PasswordHash, "saffron harbour tulip engine"));
        Assert.Equal("Command line", (await after.AuditEvents.SingleAsync(a => a.Action == AuditActions.StaffPasswordSet)).StaffDisplayName);
    }

    [Fact]
    public async Task Unlock_disable_and_enable_follow_the_staff_rules()
    {
        var admin = await StaffAccounts.CreateAsync(_host.Services, StaffRoles.Admin);
        var desk = await StaffAccounts.CreateAsync(_host.Services);

        var lastAdmin = await RunAsync(null, "disable", "--email", admin.Email!);
        Assert.Equal(1, lastAdmin.Code);
        Assert.Contains("This is the last active admin", lastAdmin.Output);

        Assert.Equal(0, (await RunAsync(null, "disable", "--email", desk.Email!)).Code);
        Assert.Equal(0, (await RunAsync(null, "enable", "--email", desk.Email!)).Code);
        var notLocked = await RunAsync(null, "unlock", "--email", desk.Email!);
        Assert.Contains("is not locked", notLocked.Output);

        await using var db = await _host.DbAsync();
        string[] actions = [AuditActions.StaffDisable, AuditActions.StaffEnable];
        Assert.Equal(2, await db.AuditEvents.CountAsync(a => actions.Contains(a.Action) && a.Outcome == AuditOutcome.Succeeded && a.StaffDisplayName == "Command line"));
    }

    [Fact]
    public async Task An_unknown_email_or_verb_says_what_is_wrong()
    {
        Assert.Contains("There is no staff account with that email address.", (await RunAsync(null, "unlock", "--email", "ghost@clinic.example")).Output);
        var unknown = await RunAsync(null, "explode");
        Assert.Equal(2, unknown.Code);
        Assert.Contains("Usage:", unknown.Output);
    }
}
