using PortalApp.Data;
using PortalApp.Features.Clients;
using F = PortalApp.Features.Import.ImportFields;

namespace PortalApp.Features.Import;

internal static class ClientRowReader
{
    /// <summary>A row as the New client form would take it (ClientRules, PhoneNumberRules in the clinic's region), or why not.</summary>
    public static (ClientValues? Client, string? Problem) Read(ImportRow row, DateFormat format, ImportContext context)
    {
        var externalId = row.Optional(F.ClientId, 100, out var problem);
        var first = row.Text(F.FirstName);
        var last = row.Text(F.LastName);
        var preferred = row.Text(F.PreferredName);
        problem ??= ClientRules.FirstName(first) ?? ClientRules.LastName(last) ?? ClientRules.PreferredName(preferred);
        if (problem is not null)
            return (null, problem);
        var dobText = row.Text(F.DateOfBirth);
        if (string.IsNullOrEmpty(dobText))
            return (null, "Enter the date of birth.");
        if (!ImportDates.TryDate(dobText, format, out var dob))
            return (null, $"The date of birth \"{dobText}\" is not a date written {ImportDates.Label(format)}.");
        if (ClientRules.DateOfBirth(dob.ToDateTime(TimeOnly.MinValue), context.Today) is { } dobProblem)
            return (null, dobProblem);
        var email = row.Text(F.Email);
        if (ClientRules.Email(email) is { } emailProblem)
            return (null, emailProblem);
        var phone = PhoneNumberRules.Parse(row.Text(F.Mobile), context.PhoneRegion);
        if (phone.Problem is not null)
            return (null, phone.Problem);
        var street = row.Optional(F.Street, 200, out problem);
        var city = problem is null ? row.Optional(F.City, 100, out problem) : null;
        var province = problem is null ? row.Optional(F.Province, 100, out problem) : null;
        var postal = problem is null ? row.Optional(F.PostalCode, 20, out problem) : null;
        if (problem is not null)
            return (null, problem);
        if (!TryLanguage(row.Text(F.Language), out var language))
            return (null, $"The preferred language \"{row.Text(F.Language)}\" is not English or French.");
        DateOnly? end = null;
        if (row.Text(F.EndDate) is { Length: > 0 } endText)
        {
            if (!ImportDates.TryDate(endText, format, out var endDate))
                return (null, $"The end date \"{endText}\" is not a date written {ImportDates.Label(format)}.");
            if (endDate < dob)
                return (null, "The end date cannot be before the date of birth.");
            end = endDate;
        }
        return (new ClientValues(externalId, first!, last!, Blank(preferred), dob, Blank(email), phone.E164, street, city, province, postal, language, end), null);
    }

    private static bool TryLanguage(string? text, out ClientLanguage language)
    {
        language = ClientLanguage.English;
        switch (ImportFields.Key(text ?? ""))
        {
            case "" or "en" or "eng" or "english" or "anglais":
                return true;
            case "fr" or "fra" or "fre" or "french" or "francais":
                language = ClientLanguage.French;
                return true;
            default:
                return false;
        }
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
