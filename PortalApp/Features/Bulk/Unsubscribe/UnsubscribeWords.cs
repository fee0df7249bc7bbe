using PortalApp.Components.Shared;
using PortalApp.Data;
using PortalApp.Features.Clinic;

namespace PortalApp.Features.Bulk.Unsubscribe;

/// <summary>
/// How an unsubscribe came about, and what the patient reads about it, in their language (English or French, as their
/// card says): one home for the page and the endpoint.
/// </summary>
public static class UnsubscribeWords
{
    /// <summary><see cref="Data.Client.PromotionalOptOutVia"/> for the page's own Unsubscribe button.</summary>
    public const string ViaLinkPage = "Unsubscribe link in an email";

    /// <summary><see cref="Data.Client.PromotionalOptOutVia"/> for an RFC 8058 one-click POST from the patient's email app.</summary>
    public const string ViaOneClick = "One-click unsubscribe from the email app";

    public static string Via(UnsubscribeVia via) => via == UnsubscribeVia.OneClick ? ViaOneClick : ViaLinkPage;

    /// <summary>The page's fixed words; <see cref="Lang"/> goes on the element that holds them, for screen readers.</summary>
    public sealed record PageWords(string Lang, string OfferTitle, string OfferHeading, string Button, string DoneTitle, string DoneHeading);

    private static readonly PageWords English = new("en", "Unsubscribe", "Unsubscribe from promotional messages", "Unsubscribe",
        "Unsubscribed", "You are unsubscribed");

    private static readonly PageWords French = new("fr", "Désabonnement", "Se désabonner des messages promotionnels", "Se désabonner",
        "Désabonnement confirmé", "Votre désabonnement est enregistré");

    public static PageWords Page(ClientLanguage language) => language == ClientLanguage.French ? French : English;

    public static string WhatItDoes(ClinicView clinic, ClientLanguage language) => language == ClientLanguage.French
        ? $"Vous ne recevrez plus de messages promotionnels — cliniques de vaccination, nouveaux services, infolettres — de {clinic.Name} par courriel ni par texto. "
            + CareStillComes(language)
        : $"You will no longer get promotional messages — flu clinics, new services, newsletters — from {clinic.Name} by email or text. "
            + CareStillComes(language);

    public static string CareStillComes(ClientLanguage language) => language == ClientLanguage.French
        ? "Les messages sur vos soins et vos rendez-vous continuent d'arriver."
        : "Messages about your care and your appointments still come.";

    public static string Unsubscribed(DateTime sinceUtc, ClinicView clinic, ClientLanguage language) => language == ClientLanguage.French
        ? $"Désabonnement enregistré le {ClinicClock.ToClinicTime(sinceUtc, clinic.TimeZone).ToString("d MMMM yyyy", language.Culture())} : "
            + $"vous ne recevez plus de messages promotionnels de {clinic.Name} par courriel ni par texto. " + CareStillComes(language)
        : $"You unsubscribed on {Dates.FormatClinicDate(sinceUtc, clinic.TimeZone)}: you get no promotional messages from {clinic.Name} by email or text. "
            + CareStillComes(language);

    /// <summary>Every link that cannot be used gets these words, whatever the reason (malformed, unknown, expired).</summary>
    public static string Unusable(ClinicView clinic, ClientLanguage language) => (language, clinic.Phone.Trim()) switch
    {
        (ClientLanguage.French, { Length: > 0 } phone) => $"{UnusableFrench(clinic)}appelez {clinic.Name} au {phone}.",
        (ClientLanguage.French, _) => $"{UnusableFrench(clinic)}communiquez avec {clinic.Name}.",
        (_, { Length: > 0 } phone) => $"This link has expired or is not valid. To stop promotional messages from {clinic.Name}, please call {clinic.Name} at {phone}.",
        _ => $"This link has expired or is not valid. To stop promotional messages from {clinic.Name}, please contact {clinic.Name}.",
    };

    /// <summary>An unusable link says whose it was to nobody, so its page speaks both languages.</summary>
    public const string UnusableHeading = "This link can't be used", UnusableHeadingFrench = "Ce lien ne peut pas être utilisé";

    private static string UnusableFrench(ClinicView clinic) =>
        $"Ce lien a expiré ou n'est pas valide. Pour ne plus recevoir de messages promotionnels de {clinic.Name}, ";
}
