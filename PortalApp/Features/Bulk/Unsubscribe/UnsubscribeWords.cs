using PortalApp.Components.Shared;
using PortalApp.Features.Clinic;

namespace PortalApp.Features.Bulk.Unsubscribe;

/// <summary>How an unsubscribe came about, and what the patient reads about it: one home for the page and the endpoint.</summary>
public static class UnsubscribeWords
{
    /// <summary><see cref="Data.Client.PromotionalOptOutVia"/> for the page's own Unsubscribe button.</summary>
    public const string ViaLinkPage = "Unsubscribe link in an email";

    /// <summary><see cref="Data.Client.PromotionalOptOutVia"/> for an RFC 8058 one-click POST from the patient's email app.</summary>
    public const string ViaOneClick = "One-click unsubscribe from the email app";

    public static string Via(UnsubscribeVia via) => via == UnsubscribeVia.OneClick ? ViaOneClick : ViaLinkPage;

    public static string WhatItDoes(ClinicView clinic) =>
        $"You will no longer get promotional messages — flu clinics, new services, newsletters — from {clinic.Name} by email or text. "
        + CareStillComes;

    public const string CareStillComes = "Messages about your care and your appointments still come.";

    public static string Unsubscribed(DateTime sinceUtc, ClinicView clinic) =>
        $"You unsubscribed on {Dates.FormatClinicDate(sinceUtc, clinic.TimeZone)}: you get no promotional messages from {clinic.Name} by email or text. "
        + CareStillComes;

    /// <summary>Every link that cannot be used gets these words, whatever the reason (malformed, unknown, expired).</summary>
    public static string Unusable(ClinicView clinic) =>
        $"This link has expired or is not valid. To stop promotional messages from {clinic.Name}, please "
        + (clinic.Phone.Trim() is { Length: > 0 } phone ? $"call {clinic.Name} at {phone}." : $"contact {clinic.Name}.");
}
