using System.Reflection;
using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PortalApp.Data;
using PortalApp.Features.Bulk;
using PortalApp.Features.Bulk.Compose;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Bulk.Compose;

/// <summary>The compose page as the front desk uses it: a portal message to every patient with a portal account.</summary>
public sealed class BulkComposePageTests : PortalBunitContext
{
    public BulkComposePageTests()
    {
        // Resolved when the page asks, from the host the base class starts: the app's own registrations.
        Services.AddSingleton(_ => Host.Scoped<BulkComposeService>());
        Services.AddSingleton(_ => Host.Scoped<BulkPreviewService>());
        Services.AddSingleton(_ => Host.Scoped<BulkSendService>());
    }

    protected override async Task SeedAsync()
    {
        foreach (var (first, last, ended) in new[] { ("Ada", "Able", false), ("Ben", "Baker", true), ("Cat", "Cole", false) })
        {
            var client = await Host.AddClientAsync(first, last, email: $"{first.ToLowerInvariant()}@example.com", endDate: ended ? new DateOnly(2026, 3, 1) : null);
            await using var db = await Host.DbAsync();
            var email = $"{first.ToLowerInvariant()}@example.com";
            db.Users.Add(new PortalUser
            {
                UserName = email, Email = email, NormalizedEmail = email.ToUpperInvariant(), NormalizedUserName = email.ToUpperInvariant(),
                DisplayName = $"{first} {last}", ClientId = client.Id, CreatedAtUtc = Host.Time.GetUtcNow().UtcDateTime, SecurityStamp = Guid.NewGuid().ToString(),
            });
            await db.SaveChangesAsync();
        }
    }

    private static IElement Input(IRenderedComponent<MudTestHost> page, string label)
    {
        var id = page.FindAll("label").Single(l => l.TextContent.Trim() == label).GetAttribute("for");
        return page.Find($"#{id}");
    }

    private static IRenderedComponent<MudTestHost> Compose(IRenderedComponent<MudTestHost> page, string body)
    {
        Input(page, "Name of the send").Change("Closed Friday");
        Input(page, "Subject").Change("We are closed on Friday");
        Input(page, "Message").Input(body);
        page.Find("[data-testid=bulk-show-audience]").Click();
        page.WaitForAssertion(() => Assert.Equal("2 patients will get this message", page.Find("[data-testid=bulk-audience-count]").TextContent.Trim()));
        return page;
    }

    private static IElement OpenSendDialog(IRenderedComponent<MudTestHost> page)
    {
        page.Find("[data-testid=bulk-send]").Click();
        return page.WaitForElement("[data-testid=bulk-confirm-send]");
    }

    [Fact]
    public void The_audience_shows_who_gets_it_and_every_patient_left_out_with_the_reason()
    {
        var page = Compose(RenderWithProviders<BulkComposePage>(), "Hello {{ patient.first_name }}");

        Assert.Equal(["Ada Able", "Cat Cole"], page.FindAll("[data-testid=bulk-included] tbody tr td:first-child").Select(td => td.TextContent));
        Assert.Equal("1 left out", page.Find("[data-testid=bulk-excluded-count]").TextContent.Trim());
        Assert.Equal([("Ben Baker", BulkExclusion.EndDated)],
            page.FindAll("[data-testid=bulk-excluded] tbody tr").Select(tr => (tr.Children[0].TextContent, tr.Children[1].TextContent)));
    }

    [Fact]
    public void The_preview_is_written_for_the_patient_chosen_and_nobody_else()
    {
        var page = Compose(RenderWithProviders<BulkComposePage>(), "Hello {{ patient.first_name }} {{ patient.last_name }}");

        Input(page, "Preview for").Input("Cat");
        page.WaitForAssertion(() => Assert.Single(page.FindAll(".mud-list-item")));
        page.FindAll(".mud-list-item").Single().Click();
        page.Find("[data-testid=bulk-preview]").Click();

        page.WaitForAssertion(() => Assert.Equal("As Cat Cole will get it:", page.Find("[data-testid=bulk-preview-who]").TextContent));
        Assert.Equal("Hello Cat Cole", page.Find("[data-testid=bulk-preview-text]").TextContent);
        Assert.Equal("We are closed on Friday", page.Find("[data-testid=bulk-preview-subject]").TextContent);
        Assert.DoesNotContain("Ada", page.Find("[data-testid=bulk-preview-text]").TextContent);
    }

    [Fact]
    public async Task The_dialogs_Send_is_disabled_until_the_exact_count_is_typed_and_then_the_send_is_made()
    {
        var page = Compose(RenderWithProviders<BulkComposePage>(), "Hello {{ patient.first_name }}");

        var send = OpenSendDialog(page);
        Assert.Equal("This sends a portal message to 2 patients. Type 2 to confirm.", page.Find("[data-testid=bulk-confirm-text]").TextContent);
        Assert.True(send.HasAttribute("disabled"));
        Input(page, "Number of recipients").Input("3");
        Assert.True(page.Find("[data-testid=bulk-confirm-send]").HasAttribute("disabled"));
        Input(page, "Number of recipients").Input("2");
        page.WaitForAssertion(() => Assert.False(page.Find("[data-testid=bulk-confirm-send]").HasAttribute("disabled")));
        page.Find("[data-testid=bulk-confirm-send]").Click();

        var navigation = Services.GetRequiredService<NavigationManager>();
        page.WaitForAssertion(() => Assert.Matches("/bulk/[0-9]+$", navigation.Uri));
        await using var db = await Host.DbAsync();
        var created = await db.BulkSends.SingleAsync();
        Assert.Equal(($"/bulk/{created.Id}", 2, BulkChannel.Portal), (new Uri(navigation.Uri).AbsolutePath, created.RecipientCount, created.Channel));
    }

    [Fact]
    public async Task A_refusal_is_shown_and_keeps_everything_typed()
    {
        var page = Compose(RenderWithProviders<BulkComposePage>(), "Hello {{ patient.dob }}");

        OpenSendDialog(page);
        Input(page, "Number of recipients").Input("2");
        page.Find("[data-testid=bulk-confirm-send]").Click();

        page.WaitForAssertion(() => Assert.StartsWith("Unknown placeholder: patient.dob.", page.Find("[data-testid=bulk-refusal]").TextContent));
        Assert.Equal("alert", page.Find("[data-testid=bulk-refusal]").GetAttribute("role"));
        Assert.Equal("Hello {{ patient.dob }}", Input(page, "Message").GetAttribute("value") ?? Input(page, "Message").TextContent);
        Assert.Equal("Closed Friday", Input(page, "Name of the send").GetAttribute("value"));
        await using var db = await Host.DbAsync();
        Assert.Equal(0, await db.BulkSends.CountAsync());
    }

    [Fact]
    public void The_page_is_for_front_desk_and_admins_and_a_practitioner_is_refused()
    {
        Assert.Equal("Admin,FrontDesk", typeof(BulkComposePage).GetCustomAttribute<AuthorizeAttribute>()?.Roles);
        SignInAs(Staff.Practitioner);

        var page = RenderWithProviders<BulkComposePage>();

        Assert.Contains(BulkSendService.NotAllowed, page.Find("[role=alert]").TextContent);
        Assert.Empty(page.FindAll("[data-testid=bulk-send]"));
        Assert.Empty(page.FindAll("[data-testid=bulk-show-audience]"));
    }
}
