using Bunit;
using PortalApp.Features.Clients;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Clients;

public sealed class ClientsPageTests : PortalBunitContext
{
    protected override async Task SeedAsync()
    {
        await Host.AddClientAsync("Emma", "Smith");
        await Host.AddClientAsync("Liam", "Tremblay", email: "liam@example.com", phone: "647 555 0199");
        await Host.AddClientAsync("Olivia", "Roy", email: null, endDate: new DateOnly(2026, 1, 31));
    }

    [Fact]
    public void Lists_clients_by_last_name_with_links_to_their_cards()
    {
        var page = RenderWithProviders<ClientsPage>();

        page.WaitForAssertion(() =>
        {
            var links = page.FindAll("tbody tr a");
            Assert.Equal(["Roy, Olivia", "Smith, Emma", "Tremblay, Liam"], links.Select(a => a.TextContent));
            Assert.StartsWith("/clients/", links[0].GetAttribute("href"));
        });
    }

    [Fact]
    public void An_ended_client_is_marked_ended_and_greyed_while_active_ones_say_active()
    {
        var page = RenderWithProviders<ClientsPage>();

        page.WaitForAssertion(() =>
        {
            var olivia = page.FindAll("tbody tr").Single(r => r.TextContent.Contains("Olivia"));
            Assert.Contains("client-ended", olivia.ClassName);
            Assert.Contains("Ended 31 Jan 2026", olivia.TextContent);
            var emma = page.FindAll("tbody tr").Single(r => r.TextContent.Contains("Emma"));
            Assert.DoesNotContain("client-ended", emma.ClassName ?? "");
            Assert.Contains("Active", emma.TextContent);
        });
    }

    [Fact]
    public void Typing_a_phone_number_narrows_the_list_to_that_client()
    {
        var page = RenderWithProviders<ClientsPage>();
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("tbody tr").Count));

        page.Find("input").Input("6475550199");
        Host.Time.Advance(TimeSpan.FromMilliseconds(301)); // past the search box's debounce, on the test's clock

        page.WaitForAssertion(() =>
            Assert.Equal(["Tremblay, Liam"], page.FindAll("tbody tr a").Select(a => a.TextContent)));
    }

    [Fact]
    public void Phones_are_listed_as_the_clinic_reads_them_not_as_stored()
    {
        var page = RenderWithProviders<ClientsPage>();

        page.WaitForAssertion(() =>
            Assert.Contains("(647) 555-0199", page.FindAll("tbody tr").Single(r => r.TextContent.Contains("Liam")).TextContent));
        Assert.DoesNotContain("+1647", page.Markup);
    }

    [Fact]
    public void A_search_that_finds_nobody_says_so()
    {
        var page = RenderWithProviders<ClientsPage>();

        page.Find("input").Input("zzz");
        Host.Time.Advance(TimeSpan.FromMilliseconds(301));

        page.WaitForAssertion(() => Assert.Contains("No client matches “zzz”.", page.Markup));
    }

    [Fact]
    public void A_pasted_essay_in_the_search_box_is_cut_and_the_page_says_so()
    {
        var page = RenderWithProviders<ClientsPage>();
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("tbody tr").Count));

        page.Find("input").Input("emma smith " + string.Join(' ', Enumerable.Range(0, 5_000).Select(i => $"word{i}")));
        Host.Time.Advance(TimeSpan.FromMilliseconds(301));

        page.WaitForAssertion(() =>
        {
            Assert.Contains(ClientSearchQuery.CutNotice, page.Markup);
            Assert.Contains("No client matches", page.Markup);
        });
        Assert.Equal(ClientSearchQuery.MaxLength.ToString(), page.Find("input").GetAttribute("maxlength"));
    }
}
