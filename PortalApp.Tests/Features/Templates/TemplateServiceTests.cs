using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Features.Templates;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Templates;

[Trait("Providers", "Both")]
public sealed class TemplateServiceTests : IAsyncLifetime
{
    private ServiceTestHost _host = null!;
    private TemplateService Templates => _host.Scoped<TemplateService>();

    public async ValueTask InitializeAsync() => _host = await ServiceTestHost.StartAsync();

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private static TemplateEditModel NewInvite(string name = "Short invite") => new()
    {
        Kind = TemplateKind.PortalInvite, Name = name, Subject = "Your portal", Body = "Hi {{ patient.first_name }}: {{ invite_link }}",
    };

    [Fact]
    public async Task A_new_installation_has_a_default_template_of_each_kind_in_each_of_its_languages()
    {
        var all = await Templates.ListAsync();

        Assert.Equal(Enum.GetValues<TemplateKind>().SelectMany(k => TemplateKinds.LanguagesOf(k).Select(l => (k, l))).Order(),
            all.Where(t => t.IsDefault).Select(t => (t.Kind, t.Language)).Order());
        foreach (var template in all)
            Assert.Empty(TemplateRules.Validate(_host.Get<TemplateRenderer>(), template.Kind, "x", template.Subject, (await Templates.GetAsync(template.Id))!.Body));
    }

    [Fact]
    public async Task An_admin_creates_duplicates_and_makes_a_template_the_default()
    {
        var created = Assert.IsType<TemplateSaveResult.Saved>(await Templates.SaveAsync(NewInvite(), Staff.Admin));
        var copy = Assert.IsType<TemplateSaveResult.Saved>(await Templates.DuplicateAsync(created.Id, Staff.Admin));

        Assert.IsType<Outcome.Done>(await Templates.MakeDefaultAsync(copy.Id, Staff.Admin));

        var invites = await Templates.ListAsync(TemplateKind.PortalInvite);
        Assert.Equal("Short invite (copy)", invites.Single(t => t.IsDefault).Name);
        Assert.Equal(3, invites.Count);
    }

    [Fact]
    public async Task The_default_cannot_be_deleted_but_others_can()
    {
        var defaultId = (await Templates.ListAsync(TemplateKind.PortalInvite)).Single(t => t.IsDefault).Id;
        var other = Assert.IsType<TemplateSaveResult.Saved>(await Templates.SaveAsync(NewInvite(), Staff.Admin));

        Assert.Contains("Make another one the default first", Assert.IsType<Outcome.Refused>(await Templates.DeleteAsync(defaultId, Staff.Admin)).Reason);
        Assert.IsType<Outcome.Done>(await Templates.DeleteAsync(other.Id, Staff.Admin));
        Assert.Single(await Templates.ListAsync(TemplateKind.PortalInvite));
    }

    [Fact]
    public async Task The_database_allows_only_one_default_per_kind()
    {
        await using var db = await _host.DbAsync();
        var second = DefaultTemplates.For(TemplateKind.PortalInvite, DateTime.UtcNow);
        second.Name = "Second default";
        db.MessageTemplates.Add(second);

        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
    }

    [Fact]
    public async Task Saving_an_invite_without_its_link_is_refused_and_nothing_changes()
    {
        var model = NewInvite();
        model.Body = "Hi {{ patient.first_name }}";

        var result = Assert.IsType<TemplateSaveResult.Invalid>(await Templates.SaveAsync(model, Staff.Admin));

        Assert.Contains("{{ invite_link }}", result.Errors["Body"]);
        Assert.Single(await Templates.ListAsync(TemplateKind.PortalInvite));
    }

    [Fact]
    public async Task Two_templates_of_a_kind_cannot_share_a_name()
    {
        await Templates.SaveAsync(NewInvite("Same"), Staff.Admin);

        var result = Assert.IsType<TemplateSaveResult.Invalid>(await Templates.SaveAsync(NewInvite("Same"), Staff.Admin));

        Assert.Equal("Another template of this kind already has this name.", result.Errors["Name"]);
    }

    [Fact]
    public async Task Front_desk_staff_cannot_change_templates()
    {
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => Templates.SaveAsync(NewInvite(), Staff.FrontDesk));
        var id = (await Templates.ListAsync()).First().Id;
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => Templates.DeleteAsync(id, Staff.FrontDesk));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => Templates.MakeDefaultAsync(id, Staff.FrontDesk));
    }

    [Fact]
    public async Task Editing_over_someone_elses_save_is_a_conflict()
    {
        var id = (await Templates.ListAsync(TemplateKind.PortalInvite)).Single().Id;
        var mine = (await Templates.GetAsync(id))!;
        var theirs = (await Templates.GetAsync(id))!;
        theirs.Subject = "Theirs";
        Assert.IsType<TemplateSaveResult.Saved>(await Templates.SaveAsync(theirs, Staff.Admin));

        mine.Subject = "Mine";

        Assert.IsType<TemplateSaveResult.Conflict>(await Templates.SaveAsync(mine, Staff.Admin));
        Assert.Equal("Theirs", (await Templates.GetAsync(id))!.Subject);
    }
}
