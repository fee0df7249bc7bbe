using Microsoft.EntityFrameworkCore;
using PortalApp.Auditing;
using PortalApp.Data;
using PortalApp.Features.Bulk;
using PortalApp.Features.Bulk.Unsubscribe;
using PortalApp.Features.Clinic;
using PortalApp.Security;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Bulk.Unsubscribe;

/// <summary>The unsubscribe link's rules: reading changes nothing, posting records the opt-out once, only the hash is kept.</summary>
[Trait("Providers", "Both")]
public sealed class UnsubscribeServiceTests : IAsyncLifetime
{
    private ServiceTestHost _host = null!;
    private Client _emma = null!;

    private UnsubscribeService Unsubscribe => _host.Scoped<UnsubscribeService>();
    private DateTime Now => _host.Time.GetUtcNow().UtcDateTime;

    public async ValueTask InitializeAsync()
    {
        _host = await ServiceTestHost.StartAsync();
        _emma = await _host.AddClientAsync();
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private Task<(BulkRecipient Recipient, string Token)> SentAsync(DateTime? at = null, int? clientId = null) =>
        UnsubscribeTestData.SentToAsync(_host.DbAsync, clientId ?? _emma.Id, at ?? Now.AddDays(-1));

    private Task<Client> EmmaAsync() => UnsubscribeTestData.ClientAsync(_host.DbAsync, _emma.Id);

    [Fact]
    public async Task Reading_a_link_offers_the_unsubscribe_and_changes_nothing()
    {
        var (recipient, token) = await SentAsync();
        var before = await EmmaAsync();

        for (var i = 0; i < 3; i++)
            Assert.IsType<UnsubscribeState.Offered>(await Unsubscribe.FindAsync(token));

        var after = await EmmaAsync();
        Assert.Equal((before.Version, before.UpdatedAtUtc, (DateTime?)null, (string?)null), (after.Version, after.UpdatedAtUtc, after.PromotionalOptOutAtUtc, after.PromotionalOptOutVia));
        Assert.Null((await UnsubscribeTestData.RecipientAsync(_host.DbAsync, recipient.Id)).UnsubscribedAtUtc);
        Assert.Empty(await UnsubscribeTestData.UnsubscribeAuditAsync(_host.DbAsync, _emma.Id));
    }

    [Theory]
    [InlineData(UnsubscribeVia.LinkPage, "Unsubscribe link in an email")]
    [InlineData(UnsubscribeVia.OneClick, "One-click unsubscribe from the email app")]
    public async Task Unsubscribing_records_the_opt_out_on_the_card_marks_the_recipient_and_audits_how(UnsubscribeVia via, string how)
    {
        var (recipient, token) = await SentAsync();

        var state = await Unsubscribe.UnsubscribeAsync(token, via);

        Assert.Equal(new UnsubscribeState.Unsubscribed(Now), state);
        var emma = await EmmaAsync();
        Assert.Equal((Now, how), (emma.PromotionalOptOutAtUtc, emma.PromotionalOptOutVia));
        Assert.Equal(Now, (await UnsubscribeTestData.RecipientAsync(_host.DbAsync, recipient.Id)).UnsubscribedAtUtc);
        var audit = Assert.Single(await UnsubscribeTestData.UnsubscribeAuditAsync(_host.DbAsync, _emma.Id));
        Assert.Equal((null, AuditOutcome.Succeeded, $"Bulk send {recipient.BulkSendId}; {how}"), (audit.StaffUserId, audit.Outcome, audit.Details));
        Assert.IsType<UnsubscribeState.Unsubscribed>(await Unsubscribe.FindAsync(token));
    }

    [Fact]
    public async Task Posting_again_changes_nothing_more_and_keeps_when_and_how_it_first_happened()
    {
        var (_, token) = await SentAsync();
        var first = Now;
        await Unsubscribe.UnsubscribeAsync(token, UnsubscribeVia.OneClick);
        var version = (await EmmaAsync()).Version;
        _host.Time.Advance(TimeSpan.FromHours(3));

        var again = await Unsubscribe.UnsubscribeAsync(token, UnsubscribeVia.LinkPage);

        Assert.Equal(new UnsubscribeState.Unsubscribed(first), again);
        var emma = await EmmaAsync();
        Assert.Equal((first, UnsubscribeWords.ViaOneClick, version), (emma.PromotionalOptOutAtUtc, emma.PromotionalOptOutVia, emma.Version));
        Assert.Single(await UnsubscribeTestData.UnsubscribeAuditAsync(_host.DbAsync, _emma.Id));
    }

    [Fact]
    public async Task The_link_of_another_send_marks_that_send_too_and_keeps_the_first_unsubscribe()
    {
        var (_, first) = await SentAsync(Now.AddDays(-20));
        var (later, second) = await SentAsync(Now.AddDays(-2));
        var at = Now;
        await Unsubscribe.UnsubscribeAsync(first, UnsubscribeVia.OneClick);
        _host.Time.Advance(TimeSpan.FromDays(1));

        Assert.Equal(new UnsubscribeState.Unsubscribed(at), await Unsubscribe.UnsubscribeAsync(second, UnsubscribeVia.LinkPage));

        Assert.Equal(Now, (await UnsubscribeTestData.RecipientAsync(_host.DbAsync, later.Id)).UnsubscribedAtUtc);
        Assert.Equal((at, UnsubscribeWords.ViaOneClick), ((await EmmaAsync()).PromotionalOptOutAtUtc, (await EmmaAsync()).PromotionalOptOutVia));
        Assert.Equal($"Bulk send {later.BulkSendId}; {UnsubscribeWords.ViaLinkPage}; already unsubscribed before",
            (await UnsubscribeTestData.UnsubscribeAuditAsync(_host.DbAsync, _emma.Id)).Last().Details);
    }

    public static TheoryData<string> UnusableTokens => new() { "", "not-a-token", "x' OR 1=1 --", new string('A', 44), SecretTokens.NewToken() };

    [Theory]
    [MemberData(nameof(UnusableTokens))]
    public async Task A_malformed_or_unknown_link_is_unusable_and_changes_nothing(string token)
    {
        await SentAsync();

        Assert.IsType<UnsubscribeState.Unusable>(await Unsubscribe.FindAsync(token));
        Assert.IsType<UnsubscribeState.Unusable>(await Unsubscribe.UnsubscribeAsync(token, UnsubscribeVia.OneClick));

        Assert.Null((await EmmaAsync()).PromotionalOptOutAtUtc);
        Assert.Empty(await UnsubscribeTestData.UnsubscribeAuditAsync(_host.DbAsync, _emma.Id));
    }

    [Fact]
    public async Task A_link_works_for_90_days_after_sending_and_not_after()
    {
        var (_, token) = await SentAsync(Now);
        _host.Time.Advance(UnsubscribeLinks.ValidFor - TimeSpan.FromMinutes(1));
        Assert.IsType<UnsubscribeState.Offered>(await Unsubscribe.FindAsync(token));

        _host.Time.Advance(TimeSpan.FromMinutes(2));

        Assert.IsType<UnsubscribeState.Unusable>(await Unsubscribe.FindAsync(token));
        Assert.IsType<UnsubscribeState.Unusable>(await Unsubscribe.UnsubscribeAsync(token, UnsubscribeVia.LinkPage));
        Assert.Null((await EmmaAsync()).PromotionalOptOutAtUtc);
    }

    [Fact]
    public async Task Only_the_tokens_hash_is_stored_and_it_reaches_neither_the_card_nor_the_audit_log()
    {
        var (recipient, token) = await SentAsync();

        await Unsubscribe.UnsubscribeAsync(token, UnsubscribeVia.LinkPage);

        await using var db = await _host.DbAsync();
        var stored = await db.BulkRecipients.AsNoTracking().SingleAsync(r => r.Id == recipient.Id);
        Assert.Equal(SecretTokens.Hash(token), stored.UnsubscribeTokenHash);
        var texts = await db.AuditEvents.AsNoTracking().Select(e => e.Details ?? "").ToListAsync();
        texts.AddRange(await db.Clients.AsNoTracking().Select(c => c.PromotionalOptOutVia ?? "").ToListAsync());
        texts.AddRange(await db.BulkRecipients.AsNoTracking().Select(r => r.Name + r.Address + r.Reason).ToListAsync());
        Assert.DoesNotContain(texts, t => t.Contains(token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_bulk_audience_leaves_the_patient_out_of_promotional_sends_from_that_moment()
    {
        await _host.AddAppointmentAsync(_emma.Id, Now.AddDays(-30)); // a visit: implied consent
        await using (var db = await _host.DbAsync())
            await db.Appointments.Where(a => a.ClientId == _emma.Id).ExecuteUpdateAsync(s => s.SetProperty(a => a.Status, AppointmentStatus.Completed));
        var (_, token) = await SentAsync(Now.AddDays(-10)); // longer ago than "reached by another bulk send" looks
        var audience = new BulkAudienceService(_host.Get<Microsoft.EntityFrameworkCore.IDbContextFactory<PortalDbContext>>(), _host.Get<ClinicSettingsService>(), _host.Time);
        var filter = new BulkAudienceFilter(BulkAudienceKind.HandPicked, ClientIds: [_emma.Id]);
        Assert.Single((await audience.BuildAsync(filter, BulkChannel.Email, BulkPurpose.Promotional)).Included);

        await Unsubscribe.UnsubscribeAsync(token, UnsubscribeVia.OneClick);

        var after = await audience.BuildAsync(filter, BulkChannel.Email, BulkPurpose.Promotional);
        Assert.Empty(after.Included);
        Assert.Equal(BulkExclusion.Unsubscribed(Now), Assert.Single(after.Excluded).Exclusion);
        Assert.Single((await audience.BuildAsync(filter, BulkChannel.Email, BulkPurpose.Care)).Included); // care messages still come
    }

    [Fact]
    public async Task A_link_sent_to_a_card_merged_since_unsubscribes_the_card_it_was_merged_into()
    {
        var old = await _host.AddClientAsync("Emma", "Smyth", email: "emma.old@example.com");
        var (_, token) = await SentAsync(clientId: old.Id);
        await using (var db = await _host.DbAsync())
            await db.Clients.Where(c => c.Id == old.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.MergedIntoClientId, _emma.Id));

        await Unsubscribe.UnsubscribeAsync(token, UnsubscribeVia.OneClick);

        Assert.Equal(Now, (await EmmaAsync()).PromotionalOptOutAtUtc);
        Assert.Single(await UnsubscribeTestData.UnsubscribeAuditAsync(_host.DbAsync, _emma.Id));
    }

    [Fact]
    public async Task Ten_posts_of_one_link_at_once_unsubscribe_once_with_one_audit_row()
    {
        var (_, token) = await SentAsync();

        var states = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            Task.Run(() => Unsubscribe.UnsubscribeAsync(token, i % 2 == 0 ? UnsubscribeVia.OneClick : UnsubscribeVia.LinkPage))));

        Assert.All(states, s => Assert.Equal(new UnsubscribeState.Unsubscribed(Now), s));
        Assert.Single(await UnsubscribeTestData.UnsubscribeAuditAsync(_host.DbAsync, _emma.Id));
    }

    [Fact]
    public async Task Three_links_of_one_patient_posted_at_once_each_mark_their_send_and_the_card_once()
    {
        var links = new[] { await SentAsync(Now.AddDays(-9)), await SentAsync(Now.AddDays(-3)), await SentAsync(Now.AddDays(-1)) };

        // PostgreSQL: the card's row is held until all three wait for it, so they start together, as three email apps'
        // posts at the same moment would (SQLite runs one writer at a time whatever the code does).
        await using var hold = await HoldCardAsync();
        var posts = links.Select(l => Task.Run(() => Unsubscribe.UnsubscribeAsync(l.Token, UnsubscribeVia.OneClick))).ToList();
        await hold.ReleaseWhenWaitingAsync(posts.Count);
        var states = await Task.WhenAll(posts);

        Assert.All(states, s => Assert.Equal(new UnsubscribeState.Unsubscribed(Now), s));
        foreach (var (recipient, _) in links)
            Assert.Equal(Now, (await UnsubscribeTestData.RecipientAsync(_host.DbAsync, recipient.Id)).UnsubscribedAtUtc);
        var audit = await UnsubscribeTestData.UnsubscribeAuditAsync(_host.DbAsync, _emma.Id);
        Assert.Equal(3, audit.Count);
        Assert.Single(audit, e => !e.Details!.EndsWith("already unsubscribed before", StringComparison.Ordinal));
    }

    private async Task<CardHold> HoldCardAsync()
    {
        if (_host.PostgresDatabase is not { } database)
            return new CardHold(null, null, null);
        var connection = new Npgsql.NpgsqlConnection(TestPostgres.ConnectionString(database));
        await connection.OpenAsync();
        var tx = await connection.BeginTransactionAsync();
        await using (var command = new Npgsql.NpgsqlCommand("SELECT 1 FROM \"Clients\" WHERE \"Id\" = @id FOR UPDATE", connection, tx))
        {
            command.Parameters.AddWithValue("id", _emma.Id);
            await command.ExecuteScalarAsync();
        }
        return new CardHold(connection, tx, database);
    }

    /// <summary>Another session's lock on the card's row (PostgreSQL), released once <c>n</c> sessions wait on a lock.</summary>
    private sealed record CardHold(Npgsql.NpgsqlConnection? Connection, Npgsql.NpgsqlTransaction? Tx, string? Database) : IAsyncDisposable
    {
        public async Task ReleaseWhenWaitingAsync(int n)
        {
            if (Connection is null)
                return;
            var deadline = DateTime.UtcNow.AddSeconds(30);
            await using var watch = new Npgsql.NpgsqlConnection(TestPostgres.ConnectionString(Database!));
            await watch.OpenAsync();
            await using var count = new Npgsql.NpgsqlCommand(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", watch);
            while (Convert.ToInt32(await count.ExecuteScalarAsync()) < n)
            {
                if (DateTime.UtcNow > deadline)
                    throw new TimeoutException($"Fewer than {n} sessions came to wait for the card's row within 30 seconds.");
                await Task.Delay(20);
            }
            await Tx!.RollbackAsync();
        }

        public async ValueTask DisposeAsync()
        {
            if (Connection is not null)
                await Connection.DisposeAsync();
        }
    }
}
