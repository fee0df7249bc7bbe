using Microsoft.EntityFrameworkCore;
using PortalApp.Auditing;
using PortalApp.Data;
using PortalApp.Features.Clients;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Clients;

[Trait("Providers", "Both")]
public sealed class NewClientTests : IAsyncLifetime
{
    private ServiceTestHost _host = null!;
    private Client _emma = null!;
    private NewClientService NewClients => _host.Scoped<NewClientService>();

    public async ValueTask InitializeAsync()
    {
        _host = await ServiceTestHost.StartAsync();
        _emma = await _host.AddClientAsync("Zoë", "Lévesque", new DateOnly(1984, 3, 7), "zoe.levesque@example.com", "(416) 555-0101");
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private static ClientEditModel Person(string first = "Noah", string last = "Martin", string? email = "noah@example.com", string? phone = "647 555 0142") => new()
    {
        FirstName = first, LastName = last, DateOfBirth = new DateTime(1990, 5, 1), Email = email, MobilePhone = phone,
    };

    [Fact]
    public async Task Any_staff_member_creates_a_card_with_the_phone_in_E164_and_the_create_audited_without_values()
    {
        var model = Person();
        (model.StreetAddress, model.City, model.Province, model.PostalCode, model.PreferredLanguage) = ("1 King St", "Toronto", "ON", "m5h 1a1", ClientLanguage.French);

        var created = Assert.IsType<ClientCreateResult.Created>(await NewClients.CreateAsync(model, [], Staff.Practitioner));

        await using var db = await _host.DbAsync();
        var stored = await db.Clients.SingleAsync(c => c.Id == created.Client.Id);
        Assert.Equal(("+16475550142", "16475550142", "M5H 1A1", ClientLanguage.French), (stored.MobilePhone, stored.MobilePhoneDigits, stored.PostalCode, stored.PreferredLanguage));
        Assert.Equal("(647) 555-0142", created.Client.MobilePhoneDisplay);
        var audit = await db.AuditEvents.SingleAsync();
        Assert.Equal((AuditActions.ClientCreate, created.Client.Id, "staff-practitioner"), (audit.Action, audit.ClientId, audit.StaffUserId));
        Assert.Null(audit.Details);
    }

    [Theory]
    [InlineData(nameof(ClientEditModel.LastName), "", "Enter the last name.")]
    [InlineData(nameof(ClientEditModel.MobilePhone), "555-01", "This is not a valid phone number in Canada.")]
    [InlineData(nameof(ClientEditModel.Email), "not-an-email", "")]
    public async Task Invalid_details_are_refused_with_a_message_per_field_and_nothing_is_created(string field, string value, string message)
    {
        var model = Person();
        typeof(ClientEditModel).GetProperty(field)!.SetValue(model, value);

        var result = Assert.IsType<ClientCreateResult.Invalid>(await NewClients.CreateAsync(model, [], Staff.FrontDesk));

        Assert.StartsWith(message, result.Errors[field]);
        Assert.NotEmpty(result.Errors[field]);
        await using var db = await _host.DbAsync();
        Assert.Equal(1, await db.Clients.CountAsync());
    }

    [Fact]
    public async Task A_new_card_cannot_be_created_already_ended()
    {
        var model = Person();
        model.EndDate = new DateTime(2026, 1, 1);

        var result = Assert.IsType<ClientCreateResult.Invalid>(await NewClients.CreateAsync(model, [], Staff.FrontDesk));

        Assert.Equal("A new card has no end date: set it from the card once it is created.", result.Errors[nameof(ClientEditModel.EndDate)]);
    }

    [Theory]
    [InlineData("zoe", "LEVESQUE", null, null, ClientDuplicates.ByName)]
    [InlineData("Zoë", " Lévesque ", null, null, ClientDuplicates.ByName)]
    [InlineData("Other", "Person", "ZOE.Levesque@Example.com", null, ClientDuplicates.ByEmail)]
    [InlineData("Other", "Person", null, "+1 416-555-0101", ClientDuplicates.ByPhone)]
    public async Task A_probable_duplicate_is_refused_with_the_matching_card_and_what_matched(string first, string last, string? email, string? phone, string matched)
    {
        var model = Person(first, last, email, phone);
        model.DateOfBirth = new DateTime(1984, 3, 7);

        var result = Assert.IsType<ClientCreateResult.PossibleDuplicates>(await NewClients.CreateAsync(model, [], Staff.FrontDesk));

        var match = Assert.Single(result.Matches);
        Assert.Equal((_emma.Id, "Zoë Lévesque", new DateOnly(1984, 3, 7)), (match.Id, match.FullName, match.DateOfBirth));
        Assert.Equal([matched], match.Matched);
        await using var db = await _host.DbAsync();
        Assert.Equal(1, await db.Clients.CountAsync());
    }

    [Fact]
    public async Task The_same_name_with_another_date_of_birth_is_not_a_duplicate()
    {
        var model = Person("Zoe", "Levesque", null, null);

        Assert.IsType<ClientCreateResult.Created>(await NewClients.CreateAsync(model, [], Staff.FrontDesk));
    }

    [Fact]
    public async Task Confirming_the_shown_matches_creates_the_card_and_the_audit_names_the_cards_by_id_only()
    {
        var model = Person("Zoe", "Levesque", null, null);
        model.DateOfBirth = new DateTime(1984, 3, 7);

        var created = Assert.IsType<ClientCreateResult.Created>(await NewClients.CreateAsync(model, [_emma.Id], Staff.FrontDesk));

        await using var db = await _host.DbAsync();
        var audit = await db.AuditEvents.SingleAsync(a => a.ClientId == created.Client.Id);
        Assert.Equal($"Created despite possible duplicates: client {_emma.Id}", audit.Details);
    }

    [Fact]
    public async Task A_confirmation_covers_only_the_cards_it_names_so_a_card_created_meanwhile_is_shown_again()
    {
        var model = Person("Zoe", "Levesque", null, null);
        model.DateOfBirth = new DateTime(1984, 3, 7);
        var meanwhile = await _host.AddClientAsync("Zoe", "Levesque", new DateOnly(1984, 3, 7), null, null);

        var result = Assert.IsType<ClientCreateResult.PossibleDuplicates>(await NewClients.CreateAsync(model, [_emma.Id], Staff.FrontDesk));

        Assert.Equal([_emma.Id, meanwhile.Id], result.Matches.Select(m => m.Id).Order());
    }

    [Fact]
    public async Task A_card_merged_into_another_never_counts_as_a_match()
    {
        var survivor = await _host.AddClientAsync("Zoé", "Levesque", new DateOnly(1984, 3, 7), "other@example.com", null);
        await using (var db = await _host.DbAsync())
        {
            var emma = await db.Clients.SingleAsync(c => c.Id == _emma.Id);
            emma.MergedIntoClientId = survivor.Id;
            await db.SaveChangesAsync();
        }
        var model = Person("Zoe", "Levesque", "zoe.levesque@example.com", "416 555 0101");
        model.DateOfBirth = new DateTime(1984, 3, 7);

        var result = Assert.IsType<ClientCreateResult.PossibleDuplicates>(await NewClients.CreateAsync(model, [], Staff.FrontDesk));

        Assert.Equal([survivor.Id], result.Matches.Select(m => m.Id));
    }

    [Fact]
    public async Task The_form_sees_the_same_matches_before_anyone_presses_create()
    {
        var model = Person("ZOË", "lévesque", null, null);
        model.DateOfBirth = new DateTime(1984, 3, 7);

        var matches = await NewClients.FindDuplicatesAsync(model);

        Assert.Equal([_emma.Id], matches.Select(m => m.Id));
    }

    [Theory]
    [InlineData("Zoë  O'Brien-Lévesque", "zoe o'brien-levesque")]
    [InlineData("ÉLODIE", "elodie")]
    public void Names_fold_case_accents_and_repeated_spaces(string typed, string folded) =>
        Assert.Equal(folded, ClientDuplicates.Fold(typed));
}
