using PortalApp.Features.Clients;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Clients;

[Trait("Providers", "Both")]
public sealed class ClientSearchTests : IAsyncLifetime
{
    private ServiceTestHost _host = null!;
    private ClientService Clients => _host.Scoped<ClientService>();

    public async ValueTask InitializeAsync()
    {
        _host = await ServiceTestHost.StartAsync();
        await _host.AddClientAsync("Emma", "Smith", new DateOnly(1984, 3, 7), "emma.smith@example.com", "(416) 555-0101");
        await _host.AddClientAsync("Liam", "Smithers", new DateOnly(1990, 12, 1), "liam@example.org", "647-555-0199");
        await _host.AddClientAsync("Olivia", "Tremblay", new DateOnly(2015, 6, 20), null, null);
        await _host.AddClientAsync("Noah", "O_Neil%", new DateOnly(1970, 1, 1), "noah@example.com", "905 555 0123");
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private async Task<string[]> Find(string search) =>
        (await Clients.SearchAsync(search, 0, 25)).Items.Select(c => c.FirstName).ToArray();

    [Fact]
    public async Task Empty_search_lists_everyone_sorted_by_last_then_first_name()
    {
        Assert.Equal(["Noah", "Emma", "Liam", "Olivia"], await Find(""));
    }

    [Fact]
    public async Task Finds_by_part_of_a_name_case_insensitively()
    {
        Assert.Equal(["Emma", "Liam"], await Find("smi"));
        Assert.Equal(["Olivia"], await Find("TREMB"));
    }

    [Fact]
    public async Task Every_word_must_match_so_first_and_last_name_narrow_the_result()
    {
        Assert.Equal(["Emma"], await Find("emma smith"));
        Assert.Empty(await Find("emma tremblay"));
    }

    [Fact]
    public async Task Finds_by_email()
    {
        Assert.Equal(["Liam"], await Find("liam@example.org"));
    }

    [Theory]
    [InlineData("1984-03-07")]
    [InlineData("7 Mar 1984")]
    [InlineData("March 7, 1984")]
    public async Task Finds_by_date_of_birth_in_unambiguous_formats(string date)
    {
        Assert.Equal(["Emma"], await Find(date));
    }

    [Theory]
    [InlineData("4165550101")]
    [InlineData("(416) 555-0101")]
    [InlineData("555-0101")]
    public async Task Finds_by_mobile_phone_whatever_the_punctuation(string phone)
    {
        Assert.Equal(["Emma"], await Find(phone));
    }

    [Fact]
    public async Task Like_wildcards_in_the_search_are_matched_literally()
    {
        Assert.Equal(["Noah"], await Find("_Neil%"));
        Assert.Equal(["Noah"], await Find("%"));
    }

    [Fact]
    public async Task Pages_through_results_and_reports_the_total()
    {
        var first = await Clients.SearchAsync("", 0, 3);
        var second = await Clients.SearchAsync("", 1, 3);
        Assert.Equal(4, first.TotalCount);
        Assert.Equal(3, first.Items.Count);
        Assert.Equal(["Olivia"], second.Items.Select(c => c.FirstName));
    }

    [Fact]
    public async Task Five_thousand_pasted_words_search_the_first_words_and_say_the_search_was_cut()
    {
        // Each word used to nest one more Where: EF Core's recursive walk overflowed the stack and ended the process.
        var pasted = "emma smith " + string.Join(' ', Enumerable.Range(0, 5_000).Select(i => $"word{i}"));

        var page = await Clients.SearchAsync(pasted, 0, 25);

        Assert.True(page.SearchWasCut);
        Assert.Equal(0, page.TotalCount); // word0 to word3 match nobody: they were searched, the rest were not
        var firstWords = await Clients.SearchAsync("emma smith emma smith emma smith " + pasted, 0, 25);
        Assert.Equal(["Emma"], firstWords.Items.Select(c => c.FirstName));
    }

    [Fact]
    public async Task A_one_megabyte_search_answers_and_says_it_was_cut()
    {
        // SQLite refuses a LIKE pattern over 50,000 bytes: the whole string used to reach it and fail.
        var page = await Clients.SearchAsync(new string('m', 1_000_000), 0, 25);

        Assert.True(page.SearchWasCut);
        Assert.Empty(page.Items);
    }

    [Fact]
    public async Task A_search_within_the_limits_is_not_cut()
    {
        var page = await Clients.SearchAsync("emma smith 1984 example com x", 0, 25);

        Assert.False(page.SearchWasCut);
        Assert.Equal(ClientSearchQuery.MaxWords, ClientSearchQuery.Read("a b c d e f").Words.Count);
        Assert.True(ClientSearchQuery.Read("a b c d e f g").WasCut);
        Assert.True(ClientSearchQuery.Read(new string('a', ClientSearchQuery.MaxLength + 1)).WasCut);
    }
}
