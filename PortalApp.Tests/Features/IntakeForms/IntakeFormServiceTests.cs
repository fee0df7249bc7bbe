using Microsoft.EntityFrameworkCore;
using PortalApp.Auditing;
using PortalApp.Data;
using PortalApp.Features.IntakeForms;
using PortalApp.Infrastructure;
using PortalApp.Tests.TestSupport;
using static PortalApp.Tests.Features.IntakeForms.TestForms;

namespace PortalApp.Tests.Features.IntakeForms;

[Trait("Providers", "Both")]
public sealed class IntakeFormServiceTests : IAsyncLifetime
{
    private ServiceTestHost _host = null!;
    private IntakeFormService Forms => _host.Scoped<IntakeFormService>();

    public async ValueTask InitializeAsync() => _host = await ServiceTestHost.StartAsync();

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private async Task<(int Id, int Version)> NewFormWithDraftAsync(FormDefinition definition)
    {
        var created = Assert.IsType<FormDraftResult.Saved>(await Forms.CreateAsync(definition.Title, Staff.Practitioner));
        var saved = Assert.IsType<FormDraftResult.Saved>(await Forms.SaveDraftAsync(created.Id, definition, created.Version, Staff.Practitioner));
        return (saved.Id, saved.Version);
    }

    [Fact]
    public async Task Publishing_twice_makes_versions_1_and_2_and_leaves_version_1_byte_for_byte()
    {
        var (id, version) = await NewFormWithDraftAsync(EveryType);
        var first = Assert.IsType<FormPublishResult.Published>(await Forms.PublishAsync(id, Staff.Practitioner));
        var v1 = await Forms.GetVersionAsync(first.VersionId);
        string v1Json;
        await using (var db = await _host.DbAsync())
            v1Json = await db.IntakeFormVersions.Where(v => v.Id == first.VersionId).Select(v => v.DefinitionJson).SingleAsync();

        var edited = EveryType with { Title = "Every type, revised" };
        Assert.IsType<FormDraftResult.Saved>(await Forms.SaveDraftAsync(id, edited, first.Version, Staff.Practitioner));
        var second = Assert.IsType<FormPublishResult.Published>(await Forms.PublishAsync(id, Staff.Admin));

        Assert.Equal((1, 2), (first.Number, second.Number));
        await using (var db = await _host.DbAsync())
        {
            var versions = await db.IntakeFormVersions.AsNoTracking().Where(v => v.IntakeFormId == id).OrderBy(v => v.Number).ToListAsync();
            Assert.Equal(2, versions.Count);
            Assert.Equal(v1Json, versions[0].DefinitionJson);
            Assert.Equal(v1!.DefinitionSha256, FormJson.Sha256(versions[0].DefinitionJson));
            Assert.Equal("Every type", versions[0].Title);
            Assert.Equal("Every type, revised", versions[1].Title);
            Assert.Equal([AuditActions.IntakeFormCreate, AuditActions.IntakeFormSaveDraft, AuditActions.IntakeFormPublish,
                AuditActions.IntakeFormSaveDraft, AuditActions.IntakeFormPublish],
                await db.AuditEvents.Where(a => a.Action.StartsWith("intake-form.")).OrderBy(a => a.Id).Select(a => a.Action).ToListAsync());
        }
        var row = (await Forms.ListAsync()).Single(f => f.Id == id);
        Assert.Equal((2, false), (row.LatestVersionNumber, row.HasUnpublishedChanges));
        Assert.Equal(2, (await Forms.GetLatestVersionAsync(id))!.Number);
        Assert.NotEqual(version, second.Version);
    }

    [Fact]
    public async Task A_save_with_a_stale_version_is_refused_with_a_message()
    {
        var (id, version) = await NewFormWithDraftAsync(EveryType);
        Assert.IsType<FormDraftResult.Saved>(await Forms.SaveDraftAsync(id, EveryType with { Description = "Mine" }, version, Staff.Admin));

        var stale = await Forms.SaveDraftAsync(id, EveryType with { Description = "Theirs" }, version, Staff.Practitioner);

        Assert.Equal(IntakeFormService.ConflictMessage, Assert.IsType<FormDraftResult.Refused>(stale).Reason);
        Assert.Equal("Mine", (await Forms.GetDraftAsync(id))!.Definition.Description);
    }

    [Fact]
    public async Task Publishes_at_once_get_numbers_1_2_3_never_the_same()
    {
        // Ten at once, as InviteServiceTests does: two racers alone overlap too rarely to catch a missing lock.
        const int Racers = 10;
        var (id, _) = await NewFormWithDraftAsync(EveryType);
        using var barrier = new Barrier(Racers);
        async Task<FormPublishResult> PublishAsync()
        {
            var forms = _host.Scoped<IntakeFormService>();
            await Task.Yield();
            barrier.SignalAndWait(TimeSpan.FromSeconds(30));
            return await forms.PublishAsync(id, Staff.Practitioner);
        }

        var results = await Task.WhenAll(Enumerable.Range(0, Racers).Select(_ => Task.Run(PublishAsync)));

        Assert.Equal(Enumerable.Range(1, Racers), results.Select(r => Assert.IsType<FormPublishResult.Published>(r).Number).Order());
        await using var db = await _host.DbAsync();
        Assert.Equal(Enumerable.Range(1, Racers), await db.IntakeFormVersions.Where(v => v.IntakeFormId == id).OrderBy(v => v.Number).Select(v => v.Number).ToListAsync());
    }

    [Fact]
    public async Task An_unfinished_draft_saves_but_does_not_publish()
    {
        var unfinished = new FormDefinition("Half done", null, [Item("q1", FormItemType.Choice, "Pick one")]);
        var (id, _) = await NewFormWithDraftAsync(unfinished);

        var refused = Assert.IsType<FormPublishResult.Invalid>(await Forms.PublishAsync(id, Staff.Practitioner));

        Assert.Contains(refused.Problems, p => p.Message.Contains("'Pick one' is a choice question: give it at least one option."));
        Assert.Null(await Forms.GetLatestVersionAsync(id));
        Assert.True((await Forms.ListAsync()).Single(f => f.Id == id).HasUnpublishedChanges);
    }

    [Fact]
    public async Task An_oversized_draft_is_refused_with_a_specific_message()
    {
        var (id, version) = await NewFormWithDraftAsync(EveryType);
        var huge = new FormDefinition("Huge", null, [.. Enumerable.Range(0, FormLimits.MaxItems + 1).Select(i => Item($"q{i}", FormItemType.String))]);

        var refused = Assert.IsType<FormDraftResult.Invalid>(await Forms.SaveDraftAsync(id, huge, version, Staff.Practitioner));

        Assert.Contains($"at most {FormLimits.MaxItems}", Assert.Single(refused.Problems).Message);
    }

    [Fact]
    public async Task A_starter_form_gets_a_new_draft_from_its_latest_version_and_archiving_stops_edits()
    {
        var phq = (await Forms.ListAsync()).Single(f => f.Title == "PHQ-9");
        Assert.Equal((1, false), (phq.LatestVersionNumber, phq.HasDraft));
        var loaded = (await Forms.GetDraftAsync(phq.Id))!;
        Assert.Equal(FormJson.Serialize(StarterForms.Phq9), FormJson.Serialize(loaded.Definition));

        var draft = Assert.IsType<FormDraftResult.Saved>(await Forms.StartDraftFromLatestAsync(phq.Id, Staff.Admin));
        Assert.True((await Forms.ListAsync()).Single(f => f.Id == phq.Id).HasDraft);

        Assert.IsType<Outcome.Done>(await Forms.ArchiveAsync(phq.Id, Staff.Admin));
        Assert.DoesNotContain(await Forms.ListAsync(), f => f.Id == phq.Id);
        Assert.Contains(await Forms.ListAsync(includeArchived: true), f => f.Id == phq.Id && f.IsArchived);
        var current = (await Forms.GetDraftAsync(phq.Id))!.Version;
        Assert.Contains("archived", Assert.IsType<FormDraftResult.Refused>(await Forms.SaveDraftAsync(phq.Id, StarterForms.Phq9, current, Staff.Admin)).Reason);
        Assert.Contains("archived", Assert.IsType<FormPublishResult.Refused>(await Forms.PublishAsync(phq.Id, Staff.Admin)).Reason);
        Assert.NotEqual(draft.Version, current);
    }

    [Fact]
    public async Task Front_desk_staff_cannot_change_forms()
    {
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => Forms.CreateAsync("Mine", Staff.FrontDesk));
    }

    [Fact]
    public async Task The_starter_forms_are_published_once_and_a_restart_adds_nothing()
    {
        await StartupTasks.PrepareDatabaseAsync(_host.Services);
        await StartupTasks.PrepareDatabaseAsync(_host.Services);

        await using var db = await _host.DbAsync();
        var starters = await db.IntakeForms.Where(f => f.StarterKey != null).OrderBy(f => f.StarterKey).Select(f => f.StarterKey).ToListAsync();
        Assert.Equal([StarterForms.ConsentKey, StarterForms.HealthHistoryKey, StarterForms.Phq9Key], starters);
        Assert.Equal(3, await db.IntakeFormVersions.CountAsync());
        Assert.All(await db.IntakeFormVersions.ToListAsync(), v => Assert.Equal((1, FormJson.Sha256(v.DefinitionJson)), (v.Number, v.DefinitionSha256)));
    }

    [Fact]
    public async Task The_database_refuses_a_second_starter_with_the_same_key()
    {
        await using var db = await _host.DbAsync();
        db.IntakeForms.Add(new IntakeForm { Title = "Copy", StarterKey = StarterForms.Phq9Key, CreatedAtUtc = DateTime.UtcNow });
        var ex = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        Assert.True(DatabaseFailures.IsUniqueViolation(ex));
    }
}
