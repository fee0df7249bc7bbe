using System.Globalization;
using PortalApp.Data;
using PortalApp.Features.Clinic;

namespace PortalApp.Features.Reminders;

/// <summary>
/// What a patient is told when they confirm or cancel, by link, text reply or reminder call, in English or French: one
/// home, so the page, the text message and the call say the same thing. Every refusal says whom to call.
/// </summary>
public static class ResponseWords
{
    private static readonly CultureInfo French = ClientLanguage.French.Culture();

    /// <summary>"Tuesday 10 March at 9:30 AM" / "mardi 10 mars à 9 h 30", the clinic's wall clock.</summary>
    public static string When(DateTime startUtc, TimeZoneInfo zone, ClientLanguage language)
    {
        var local = ClinicClock.ToClinicTime(startUtc, zone);
        return language == ClientLanguage.French
            ? local.ToString("dddd d MMMM 'à' H 'h' mm", French)
            : local.ToString("dddd d MMMM 'at' h:mm tt", CultureInfo.InvariantCulture);
    }

    /// <summary>"call Maple Grove at (416) 555-0100" / "appeler Maple Grove au (416) 555-0100" (after "please" / "veuillez").</summary>
    public static string CallClinic(ClinicView clinic, ClientLanguage language) => (language, clinic.Phone.Trim()) switch
    {
        (ClientLanguage.French, { Length: > 0 } phone) => $"appeler {clinic.Name} au {phone}",
        (ClientLanguage.French, _) => $"appeler {clinic.Name}",
        (_, { Length: > 0 } phone) => $"call {clinic.Name} at {phone}",
        _ => $"call {clinic.Name}",
    };

    public static string Confirmed(DateTime startUtc, ClinicView clinic, ClientLanguage language) => language == ClientLanguage.French
        ? $"Merci : votre rendez-vous du {When(startUtc, clinic.TimeZone, language)} est confirmé."
        : $"Thank you: your appointment on {When(startUtc, clinic.TimeZone, language)} is confirmed.";

    public static string Cancelled(DateTime startUtc, ClinicView clinic, ClientLanguage language) => language == ClientLanguage.French
        ? $"Votre rendez-vous du {When(startUtc, clinic.TimeZone, language)} est annulé. Pour en prendre un autre, veuillez {CallClinic(clinic, language)}."
        : $"Your appointment on {When(startUtc, clinic.TimeZone, language)} is cancelled. To book another, please {CallClinic(clinic, language)}.";

    /// <param name="cutoffHours">The clinic's online-cancel cutoff, for <see cref="ResponseRefusal.TooLate"/>.</param>
    public static string Refusal(ResponseRefusal reason, ClinicView clinic, int cutoffHours, ClientLanguage language)
    {
        var call = CallClinic(clinic, language);
        if (language == ClientLanguage.French)
            return reason switch
            {
                ResponseRefusal.ClientEnded => $"Nous ne pouvons pas prendre cette réponse en ligne. Veuillez {call}.",
                ResponseRefusal.NotUpcoming => $"Ce rendez-vous n'est plus réservé : il ne peut être ni confirmé ni annulé ici. Veuillez {call}.",
                ResponseRefusal.Changed => $"Ce rendez-vous a changé entre-temps. Veuillez le vérifier à nouveau, ou {call}.",
                ResponseRefusal.OnlineCancelOff => $"{clinic.Name} ne prend pas les annulations en ligne. Pour annuler, veuillez {call}.",
                ResponseRefusal.TooLate => $"Un rendez-vous ne peut plus être annulé en ligne moins de {cutoffHours} heure{(cutoffHours > 1 ? "s" : "")} avant son début. Pour annuler, veuillez {call}.",
                ResponseRefusal.LinkUsed => $"Ce lien a déjà servi à annuler. Veuillez {call}.",
                ResponseRefusal.Unavailable => $"Nous n'avons pas pu enregistrer votre réponse. Veuillez réessayer dans quelques minutes, ou {call}.",
                _ => $"Nous n'avons pas trouvé ce rendez-vous. Veuillez {call}.",
            };
        return reason switch
        {
            ResponseRefusal.ClientEnded => $"We can't take this answer online. Please {call}.",
            ResponseRefusal.NotUpcoming => $"This appointment is no longer booked, so it can't be confirmed or cancelled here. Please {call}.",
            ResponseRefusal.Changed => $"This appointment has changed in the meantime. Please check it again, or {call}.",
            ResponseRefusal.OnlineCancelOff => $"{clinic.Name} doesn't take cancellations online. To cancel, please {call}.",
            ResponseRefusal.TooLate => $"Appointments can't be cancelled online less than {cutoffHours} hour{(cutoffHours == 1 ? "" : "s")} before they start. To cancel, please {call}.",
            ResponseRefusal.LinkUsed => $"This link has already been used to cancel. Please {call}.",
            ResponseRefusal.Unavailable => $"We could not record your answer just now. Please try again in a few minutes, or {call}.",
            _ => $"We could not find this appointment. Please {call}.",
        };
    }

    /// <summary>The reminder call's question.</summary>
    public static string PressOneOrTwo(ClientLanguage language) => language == ClientLanguage.French
        ? "Appuyez sur 1 pour confirmer, sur 2 pour annuler."
        : "Press 1 to confirm, 2 to cancel.";

    public static string WrongKey(ClientLanguage language) => language == ClientLanguage.French
        ? "Désolé, cette touche ne correspond à aucun choix."
        : "Sorry, that key is not one of the choices.";

    /// <summary>The end of a call that got no usable key.</summary>
    public static string NoAnswer(ClinicView clinic, ClientLanguage language) => language == ClientLanguage.French
        ? $"Pour confirmer ou annuler, veuillez {CallClinic(clinic, language)}. Au revoir."
        : $"To confirm or cancel, please {CallClinic(clinic, language)}. Goodbye.";

    public static string Goodbye(ClientLanguage language) => language == ClientLanguage.French ? "Au revoir." : "Goodbye.";
}
