using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Auditing;
using PortalApp.Features.Clients;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Clients;

[Trait("Providers", "Both")]
public sealed class ClientEditTests : IAsyncLifetime
{
    private ServiceTestHost _host = null!;
    private Client _emma = null!;
    private ClientService Clients => _host.Scoped<ClientService>();

    public async ValueTask InitializeAsync()
    {
        _host = await ServiceTestHost.StartAsync();
        _emma = await _host.AddClientAsync("Emma", "Smith", new DateOnly(1984, 3, 7));
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private async Task<ClientEditModel> LoadAsync() => (await Clients.GetAsync(_emma.Id))!.ToEditModel();

    [Fact]
    public async Task Saving_changes_stores_them_bumps_the_version_and_audits_the_field_names_only()
    {
        var model = await LoadAsync();
        model.Email = "emma.new@example.com";
        model.MobilePhone = "+1 (647) 555-0000";

        var result = Assert.IsType<ClientSaveResult.Saved>(await Clients.UpdateAsync(_emma.Id, model, Staff.FrontDesk));

        Assert.Equal("emma.new@example.com", result.Client.Email);
        Assert.Equal(model.Version + 1, result.Client.Version);
        await using var db = await _host.DbAsync();
        var stored = await db.Clients.SingleAsync(c => c.Id == _emma.Id);
        Assert.Equal(("+16475550000", "16475550000"), (stored.MobilePhone, stored.MobilePhoneDigits));
        Assert.Equal("(647) 555-0000", result.Client.MobilePhoneDisplay);
        var audit = await db.AuditEvents.SingleAsync(a => a.Action == AuditActions.ClientEdit);
        Assert.Equal(("staff-frontdesk", _emma.Id, AuditOutcome.Succeeded), (audit.StaffUserId, audit.ClientId, audit.Outcome));
        Assert.Equal("Changed: email, mobile phone", audit.Details);
        Assert.DoesNotContain("emma.new", audit.Details);
    }

    [Theory]
    [InlineData(nameof(ClientEditModel.FirstName), "", "Enter the first name.")]
    [InlineData(nameof(ClientEditModel.Email), "emma@example.com, bob@example.com", "Enter exactly one email address")]
    [InlineData(nameof(ClientEditModel.Email), "emma@example.com\r\nBcc: x@example.com", "Enter exactly one email address")]
    [InlineData(nameof(ClientEditModel.MobilePhone), "call me maybe", "A phone number may contain only digits")]
    [InlineData(nameof(ClientEditModel.MobilePhone), "12345", "This is not a valid phone number in Canada.")]
    [InlineData(nameof(ClientEditModel.City), "x{101}", "The city can be at most 100 characters.")]
    [InlineData(nameof(ClientEditModel.StreetAddress), "x{201}", "The street address can be at most 200 characters.")]
    [InlineData(nameof(ClientEditModel.Province), "x{101}", "The province can be at most 100 characters.")]
    [InlineData(nameof(ClientEditModel.PostalCode), "x{21}", "The postal code can be at most 20 characters.")]
    public async Task Invalid_details_are_refused_at_the_server_with_a_message_per_field(string field, string value, string message)
    {
        var model = await LoadAsync();
        // "x{101}" stands for 101 x's: an attribute cannot hold a computed string.
        if (System.Text.RegularExpressions.Regex.Match(value, @"^x\{(\d+)\}$") is { Success: true } repeat)
            value = new string('x', int.Parse(repeat.Groups[1].Value));
        typeof(ClientEditModel).GetProperty(field)!.SetValue(model, value);

        var result = Assert.IsType<ClientSaveResult.Invalid>(await Clients.UpdateAsync(_emma.Id, model, Staff.FrontDesk));

        Assert.StartsWith(message, result.Errors[field]);
        await using var db = await _host.DbAsync();
        Assert.Equal("emma.smith@example.com", (await db.Clients.SingleAsync(c => c.Id == _emma.Id)).Email);
        Assert.False(await db.AuditEvents.AnyAsync());
    }

    [Fact]
    public async Task A_megabyte_phone_number_is_refused_by_its_length_before_anything_reads_it()
    {
        var model = await LoadAsync();
        model.MobilePhone = new string('1', 1_000_000);

        var result = Assert.IsType<ClientSaveResult.Invalid>(await Clients.UpdateAsync(_emma.Id, model, Staff.FrontDesk));

        Assert.Equal("A phone number can be at most 30 characters.", result.Errors[nameof(ClientEditModel.MobilePhone)]);
    }

    [Fact]
    public async Task A_date_of_birth_in_the_future_by_the_clinic_clock_is_refused()
    {
        var model = await LoadAsync();
        model.DateOfBirth = _host.Time.GetUtcNow().UtcDateTime.AddDays(2);

        var result = Assert.IsType<ClientSaveResult.Invalid>(await Clients.UpdateAsync(_emma.Id, model, Staff.FrontDesk));

        Assert.Equal("The date of birth cannot be in the future.", result.Errors[nameof(ClientEditModel.DateOfBirth)]);
    }

    [Fact]
    public async Task An_end_date_before_the_date_of_birth_is_refused()
    {
        var model = await LoadAsync();
        model.EndDate = new DateTime(1980, 1, 1);

        var result = Assert.IsType<ClientSaveResult.Invalid>(await Clients.UpdateAsync(_emma.Id, model, Staff.FrontDesk));

        Assert.Equal("The end date cannot be before the date of birth.", result.Errors[nameof(ClientEditModel.EndDate)]);
    }

    [Fact]
    public async Task A_concurrent_edit_is_a_conflict_and_never_overwrites_the_other_staff_members_change()
    {
        var mine = await LoadAsync();
        var theirs = await LoadAsync();
        theirs.PreferredName = "Em";
        Assert.IsType<ClientSaveResult.Saved>(await Clients.UpdateAsync(_emma.Id, theirs, Staff.Admin));

        mine.LastName = "Smyth";
        var result = await Clients.UpdateAsync(_emma.Id, mine, Staff.FrontDesk);

        Assert.Contains("Your edits are still in the form", Assert.IsType<ClientSaveResult.Conflict>(result).Message);
        Assert.Equal("Smyth", mine.LastName);
        var stored = (await Clients.GetAsync(_emma.Id))!;
        Assert.Equal(("Smith", "Em"), (stored.LastName, stored.PreferredName));
    }

    [Fact]
    public async Task A_phone_typed_any_way_is_stored_once_in_E164_so_the_same_number_is_no_change()
    {
        var model = await LoadAsync();
        model.MobilePhone = "416.555.0199";
        Assert.IsType<ClientSaveResult.Saved>(await Clients.UpdateAsync(_emma.Id, model, Staff.FrontDesk));

        model = await LoadAsync();
        Assert.Equal("(416) 555-0199", model.MobilePhone);
        model.MobilePhone = "+1 416 555 0199";
        Assert.IsType<ClientSaveResult.Saved>(await Clients.UpdateAsync(_emma.Id, model, Staff.FrontDesk));

        await using var db = await _host.DbAsync();
        Assert.Equal("+14165550199", (await db.Clients.SingleAsync(c => c.Id == _emma.Id)).MobilePhone);
        Assert.Equal(1, await db.AuditEvents.CountAsync(a => a.Action == AuditActions.ClientEdit));
    }

    [Fact]
    public async Task Address_and_language_are_saved_trimmed_and_audited_by_field_name()
    {
        var model = await LoadAsync();
        (model.StreetAddress, model.City, model.Province, model.PostalCode, model.PreferredLanguage) =
            (" 12 Rue Principale ", "Gatineau", "QC", "j8x 1a1", ClientLanguage.French);

        var saved = Assert.IsType<ClientSaveResult.Saved>(await Clients.UpdateAsync(_emma.Id, model, Staff.FrontDesk));

        Assert.Equal(new ClientAddress("12 Rue Principale", "Gatineau", "QC", "J8X 1A1"), saved.Client.Address);
        Assert.Equal(ClientLanguage.French, saved.Client.PreferredLanguage);
        await using var db = await _host.DbAsync();
        var audit = await db.AuditEvents.SingleAsync(a => a.Action == AuditActions.ClientEdit);
        Assert.Equal("Changed: street address, city, province, postal code, preferred language", audit.Details);
    }

    [Fact]
    public async Task A_language_outside_the_list_is_refused_at_the_server()
    {
        var model = await LoadAsync();
        model.PreferredLanguage = (ClientLanguage)42;

        var result = Assert.IsType<ClientSaveResult.Invalid>(await Clients.UpdateAsync(_emma.Id, model, Staff.FrontDesk));

        Assert.Equal("Choose English or French.", result.Errors[nameof(ClientEditModel.PreferredLanguage)]);
    }

    [Fact]
    public async Task Saving_without_changes_writes_no_audit_event()
    {
        Assert.IsType<ClientSaveResult.Saved>(await Clients.UpdateAsync(_emma.Id, await LoadAsync(), Staff.FrontDesk));

        await using var db = await _host.DbAsync();
        Assert.False(await db.AuditEvents.AnyAsync());
    }

    [Fact]
    public async Task Editing_a_client_that_does_not_exist_says_so()
    {
        var model = await LoadAsync();

        Assert.IsType<ClientSaveResult.NotFound>(await Clients.UpdateAsync(9999, model, Staff.FrontDesk));
    }
}
