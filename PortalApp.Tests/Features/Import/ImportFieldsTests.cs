using PortalApp.Data;
using PortalApp.Features.Import;

namespace PortalApp.Tests.Features.Import;

public sealed class ImportFieldsTests
{
    [Theory]
    [InlineData("First Name", "First name")]
    [InlineData("first_name", "First name")]
    [InlineData("Given name", "First name")]
    [InlineData("Prénom", "First name")]
    [InlineData("PRENOM", "First name")]
    [InlineData("DOB", "Date of birth")]
    [InlineData("Date of birth", "Date of birth")]
    [InlineData("Birthdate", "Date of birth")]
    [InlineData("Email", "Email")]
    [InlineData("E-mail", "Email")]
    [InlineData("Mobile", "Mobile phone")]
    [InlineData("Cell", "Mobile phone")]
    [InlineData("Phone", "Mobile phone")]
    [InlineData("Patient ID", "Client ID")]
    [InlineData("Client ID", "Client ID")]
    [InlineData("External ID", "Client ID")]
    [InlineData("Chart #", "Client ID")]
    [InlineData("Code postal", "Postal code")]
    public void Common_client_headers_are_matched_to_their_field(string header, string field)
    {
        var map = ImportFields.AutoMap(ImportKind.Clients, ["Unrelated", header]);

        Assert.Equal(1, map[field]);
    }

    [Fact]
    public void The_field_name_wins_over_an_alias_and_no_column_is_used_twice()
    {
        var map = ImportFields.AutoMap(ImportKind.Clients, ["Phone", "Mobile phone", "Notes"]);

        Assert.Equal(1, map["Mobile phone"]);
        Assert.DoesNotContain(2, map.Values);
    }

    [Fact]
    public void Appointment_files_find_the_client_by_its_name_columns()
    {
        var map = ImportFields.AutoMap(ImportKind.Appointments, ["Chart #", "First Name", "Last Name", "DOB", "Provider", "Service", "Start time", "Duration"]);

        Assert.Equal(
            [("Client ID", 0), ("Client first name", 1), ("Client last name", 2), ("Client date of birth", 3), ("Practitioner", 4), ("Appointment type", 5), ("Start", 6), ("Length (minutes)", 7)],
            map.OrderBy(p => p.Value).Select(p => (p.Key, p.Value)));
    }

    [Fact]
    public void Required_fields_must_be_mapped()
    {
        var map = ImportFields.AutoMap(ImportKind.Clients, ["Nom", "Email"]);

        Assert.Equal("Choose the column for First name, Date of birth.", ImportFields.MappingProblem(ImportKind.Clients, map, 2));
    }

    [Fact]
    public void Appointments_need_the_client_id_or_the_clients_name_and_date_of_birth()
    {
        var map = ImportFields.AutoMap(ImportKind.Appointments, ["First name", "Practitioner", "Type", "Start"]);

        Assert.StartsWith("Choose the column for Client ID, or for Client first name, Client last name and Client date of birth", ImportFields.MappingProblem(ImportKind.Appointments, map, 4));
    }

    [Fact]
    public void A_column_mapped_twice_is_refused()
    {
        var map = new Dictionary<string, int> { ["First name"] = 0, ["Last name"] = 0, ["Date of birth"] = 1 };

        Assert.Equal("Two fields are mapped to the same column: map each column once.", ImportFields.MappingProblem(ImportKind.Clients, map, 2));
    }

    [Theory]
    [InlineData(new[] { "2020-12-31", "1984-03-07" }, DateFormat.IsoYearMonthDay)]
    [InlineData(new[] { "03/04/1984", "31/12/2020" }, DateFormat.DayMonthYear)]
    [InlineData(new[] { "03/04/1984", "12/31/2020" }, DateFormat.MonthDayYear)]
    [InlineData(new[] { "03/04/1984", "05/06/2020" }, null)]
    [InlineData(new[] { "31/12/2020", "12/31/2020" }, null)]
    public void The_date_format_is_detected_only_when_the_values_show_it(string[] values, DateFormat? expected)
    {
        Assert.Equal(expected, ImportDates.Detect(values));
    }

    [Theory]
    [InlineData("03/04/1984", DateFormat.DayMonthYear, 1984, 4, 3)]
    [InlineData("03/04/1984", DateFormat.MonthDayYear, 1984, 3, 4)]
    [InlineData("1984-03-04", DateFormat.DayMonthYear, 1984, 3, 4)]
    public void The_chosen_format_decides_an_ambiguous_date(string text, DateFormat format, int y, int m, int d)
    {
        Assert.True(ImportDates.TryDate(text, format, out var date));
        Assert.Equal(new DateOnly(y, m, d), date);
    }
}
