using PortalApp.Features.Audit;
using PortalApp.Data;
using PortalApp.Auditing;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Audit;

[Trait("Providers", "Both")]
public sealed class AuditQueryTests : IAsyncLifetime
{
    private ServiceTestHost _host = null!;
    private AuditQueryService Query => _host.Scoped<AuditQueryService>();

    public async ValueTask InitializeAsync()
    {
        _host = await ServiceTestHost.StartAsync();
        var audit = _host.Get<AuditLog>();
        await using var db = await _host.DbAsync();
        audit.Add(db, Staff.FrontDesk, AuditActions.SignIn, null, AuditOutcome.Succeeded);
        _host.Time.Advance(TimeSpan.FromDays(1));
        audit.Add(db, Staff.FrontDesk, AuditActions.ClientEdit, 7, AuditOutcome.Succeeded, "Changed: email");
        _host.Time.Advance(TimeSpan.FromDays(1));
        audit.Add(db, Staff.Admin, AuditActions.ClientEdit, 8, AuditOutcome.Succeeded, "Changed: end date");
        await db.SaveChangesAsync();
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task Lists_newest_first()
    {
        var page = await Query.SearchAsync(new AuditFilter(), 0, 50);

        Assert.Equal(3, page.TotalCount);
        Assert.Equal([8, 7, null], page.Items.Select(e => e.ClientId));
    }

    [Fact]
    public async Task Filters_by_action_client_staff_and_time()
    {
        Assert.Equal(2, (await Query.SearchAsync(new AuditFilter(Action: AuditActions.ClientEdit), 0, 50)).TotalCount);
        Assert.Equal("Changed: email", (await Query.SearchAsync(new AuditFilter(ClientId: 7), 0, 50)).Items.Single().Details);
        Assert.Equal("Alex Admin", (await Query.SearchAsync(new AuditFilter(StaffUserId: Staff.Admin.UserId), 0, 50)).Items.Single().StaffDisplayName);
        var start = ServiceTestHost.Start.UtcDateTime;
        var secondDay = await Query.SearchAsync(new AuditFilter(FromUtc: start.AddHours(12), ToUtc: start.AddHours(36)), 0, 50);
        Assert.Equal([7], secondDay.Items.Select(e => e.ClientId));
    }

    [Fact]
    public async Task A_filter_longer_than_any_action_or_staff_id_is_not_run_and_says_why()
    {
        var byAction = await Query.SearchAsync(new AuditFilter(Action: new string('x', 1_000_000)), 0, 50);
        var byStaff = await Query.SearchAsync(new AuditFilter(StaffUserId: new string('x', 1_000_000)), 0, 50);

        Assert.Equal("An action name has at most 64 characters, and a staff id at most 450.", byAction.Problem);
        Assert.Equal(byAction.Problem, byStaff.Problem);
        Assert.Empty(byAction.Items);
        Assert.Null((await Query.SearchAsync(new AuditFilter(Action: AuditActions.ClientEdit), 0, 50)).Problem);
    }

    [Theory]
    [InlineData("Pacific/Kiritimati")]
    [InlineData("Pacific/Pago_Pago")]
    public void Dates_typed_at_the_edges_of_the_calendar_mean_no_limit_instead_of_an_error(string zoneId)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);

        var filter = new AuditSearch(From: DateOnly.MinValue, To: DateOnly.MaxValue).ToFilter(zone);

        Assert.Equal((null, null), (filter.FromUtc, filter.ToUtc));
        var day = new AuditSearch(From: new DateOnly(2026, 3, 4), To: new DateOnly(2026, 3, 4)).ToFilter(zone);
        Assert.Equal(TimeSpan.FromDays(1), day.ToUtc - day.FromUtc);
    }
}
