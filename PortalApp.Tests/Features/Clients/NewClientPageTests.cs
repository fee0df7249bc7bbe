using AngleSharp.Dom;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PortalApp.Data;
using PortalApp.Features.Clients;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Clients;

public sealed class NewClientPageTests : PortalBunitContext
{
    private Client _zoe = null!;

    protected override async Task SeedAsync() =>
        _zoe = await Host.AddClientAsync("Zoë", "Lévesque", new DateOnly(1984, 3, 7), "zoe@example.com", "(416) 555-0101");

    private static IElement Input(IRenderedComponent<MudTestHost> page, string label)
    {
        var id = page.FindAll("label").Single(l => l.TextContent.Trim().TrimEnd('*').Trim() == label).GetAttribute("for");
        return page.Find($"#{id}");
    }

    private static void Fill(IRenderedComponent<MudTestHost> page, string first, string last, string dateOfBirth)
    {
        Input(page, "First name").Change(first);
        Input(page, "Last name").Change(last);
        Input(page, "Date of birth").Change(dateOfBirth);
    }

    [Fact]
    public void Required_fields_are_marked_before_anything_is_typed()
    {
        var page = RenderWithProviders<NewClientPage>();

        var required = page.FindAll("label")
            .Where(l => l.GetAttribute("for") is { } id && page.Find($"#{id}").GetAttribute("aria-required") == "true")
            .Select(l => l.TextContent.Trim().TrimEnd('*').Trim());
        Assert.Equal(["First name", "Last name", "Date of birth"], required);
        Assert.Contains("Fields marked * are required", page.Markup);
        Assert.Equal(3, page.FindAll(".mud-input-helper-text").Count(h => h.TextContent == "Required"));
    }

    [Fact]
    public async Task A_possible_duplicate_is_shown_with_what_matched_and_a_link_and_nothing_is_created_until_confirmed()
    {
        var page = RenderWithProviders<NewClientPage>();
        Fill(page, "zoe", "LEVESQUE", "1984-03-07");

        page.Find("[data-testid=create-client]").Click();

        var prompt = page.WaitForElement("[data-testid=duplicate-prompt]");
        Assert.Contains("This may be a client the clinic already has", prompt.TextContent);
        var row = prompt.QuerySelector("tbody tr")!;
        Assert.Equal(["Zoë Lévesque (opens in a new tab)", "7 Mar 1984", "name and date of birth", "Active"],
            row.QuerySelectorAll("td").Select(td => td.TextContent.Trim()));
        Assert.Equal($"/clients/{_zoe.Id}", row.QuerySelector("a")!.GetAttribute("href"));
        await using (var db = await Host.DbAsync())
            Assert.Equal(1, await db.Clients.CountAsync());

        page.Find("[data-testid=create-despite-duplicates]").Click();

        var navigation = Services.GetRequiredService<NavigationManager>();
        page.WaitForAssertion(() => Assert.Matches(@"/clients/\d+$", navigation.Uri));
        await using var after = await Host.DbAsync();
        var created = await after.Clients.SingleAsync(c => c.Id != _zoe.Id);
        Assert.Equal(("zoe", "LEVESQUE"), (created.FirstName, created.LastName));
        Assert.EndsWith($"/clients/{created.Id}", navigation.Uri);
    }

    [Fact]
    public void Changing_the_details_closes_the_prompt_and_brings_back_the_create_button()
    {
        var page = RenderWithProviders<NewClientPage>();
        Fill(page, "Zoe", "Levesque", "1984-03-07");
        page.Find("[data-testid=create-client]").Click();
        page.WaitForElement("[data-testid=duplicate-prompt]");

        page.FindAll("button").Single(b => b.TextContent.Trim() == "Change the details").Click();

        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=duplicate-prompt]")));
        Assert.Single(page.FindAll("[data-testid=create-client]"));
    }

    [Fact]
    public void A_new_person_is_created_straight_away()
    {
        var page = RenderWithProviders<NewClientPage>();
        Fill(page, "Noah", "Martin", "1990-05-01");
        Input(page, "Mobile phone").Change("647 555 0142");

        page.Find("[data-testid=create-client]").Click();

        var navigation = Services.GetRequiredService<NavigationManager>();
        page.WaitForAssertion(() => Assert.Matches(@"/clients/\d+$", navigation.Uri));
        Assert.Empty(page.FindAll("[data-testid=duplicate-prompt]"));
    }
}
