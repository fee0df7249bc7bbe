using PortalApp.Data;
using PortalApp.Features.Clinic;
using PortalApp.Features.Reminders;
using Twilio.TwiML;
using Twilio.TwiML.Voice;

namespace PortalApp.Features.Channels;

/// <summary>
/// The TwiML of a reminder call, with the Twilio package's own builder (it escapes what it says). English calls speak
/// en-CA, French ones fr-CA, by the message's language.
/// </summary>
public static class VoiceScript
{
    /// <summary>On the retry's action URL: the second wrong key ends the call.</summary>
    public const string AgainQuery = "?again=1";

    public static Say.LanguageEnum SpokenLanguage(ClientLanguage language) =>
        language == ClientLanguage.French ? Say.LanguageEnum.FrCa : Say.LanguageEnum.EnCa;

    /// <summary>The reminder and the question; with no key, both once more, then the call ends.</summary>
    public static string Call(string body, string gatherUrl, ClientLanguage language)
    {
        // A voice message carries no link, but a secret's place-holder must never be read out.
        var words = body.Replace(OutboxEmail.SecretMarker, "", StringComparison.Ordinal);
        var response = new VoiceResponse();
        for (var time = 0; time < 2; time++)
            response.Append(Ask(gatherUrl, language, words));
        return response.Hangup().ToString();
    }

    /// <summary>What happened, then goodbye.</summary>
    public static string Answer(string say, ClientLanguage language) =>
        new VoiceResponse().Say(say, language: SpokenLanguage(language)).Hangup().ToString();

    /// <summary>After a key that is not 1 or 2: sorry, and one more chance.</summary>
    public static string AskAgain(string gatherUrl, ClinicView clinic, ClientLanguage language) =>
        new VoiceResponse()
            .Say(ResponseWords.WrongKey(language), language: SpokenLanguage(language))
            .Append(Ask(gatherUrl + AgainQuery, language))
            .Say(ResponseWords.NoAnswer(clinic, language), language: SpokenLanguage(language))
            .Hangup().ToString();

    private static Gather Ask(string gatherUrl, ClientLanguage language, string? before = null)
    {
        var gather = new Gather(input: [Gather.InputEnum.Dtmf], action: new Uri(gatherUrl), method: Twilio.Http.HttpMethod.Post, numDigits: 1);
        if (!string.IsNullOrWhiteSpace(before))
            gather.Say(before, language: SpokenLanguage(language));
        return gather.Say(ResponseWords.PressOneOrTwo(language), language: SpokenLanguage(language));
    }
}
