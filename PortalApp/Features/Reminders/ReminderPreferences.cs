using PortalApp.Data;

namespace PortalApp.Features.Reminders;

/// <summary>When a client opted out of a channel, and how when it is known ("by replying “STOP” to a text").</summary>
public sealed record OptOutView(DateTime AtUtc, string? How);

/// <summary>The client card's Reminders section: the channels the client chose and their opt-outs.</summary>
/// <param name="Chosen">Empty: the clinic's channels.</param>
/// <param name="ClinicChannels">The channels the clinic has on, to say what "none ticked" means.</param>
public sealed record ReminderPreferencesView(
    int ClientId, IReadOnlySet<MessageChannel> Chosen, IReadOnlyList<MessageChannel> ClinicChannels,
    IReadOnlyDictionary<MessageChannel, OptOutView> OptOuts, int Version)
{
    public ReminderPreferencesForm ToForm() => new()
    {
        Email = Chosen.Contains(MessageChannel.Email), Sms = Chosen.Contains(MessageChannel.Sms), Voice = Chosen.Contains(MessageChannel.Voice),
        EmailOptedOut = OptOuts.ContainsKey(MessageChannel.Email), SmsOptedOut = OptOuts.ContainsKey(MessageChannel.Sms),
        VoiceOptedOut = OptOuts.ContainsKey(MessageChannel.Voice), Version = Version,
    };
}

/// <summary>The section's form: one checkbox per channel ("Remind by") and one switch per opt-out.</summary>
public sealed class ReminderPreferencesForm
{
    public bool Email { get; set; }
    public bool Sms { get; set; }
    public bool Voice { get; set; }
    public bool EmailOptedOut { get; set; }
    public bool SmsOptedOut { get; set; }
    public bool VoiceOptedOut { get; set; }

    /// <summary>The client card's version the form was loaded from.</summary>
    public int Version { get; set; }

    public IEnumerable<MessageChannel> ChosenChannels() =>
        ReminderChannelText.All.Where(c => c switch { MessageChannel.Email => Email, MessageChannel.Sms => Sms, _ => Voice });

    public bool IsOptedOut(MessageChannel channel) => channel switch
    {
        MessageChannel.Email => EmailOptedOut,
        MessageChannel.Sms => SmsOptedOut,
        _ => VoiceOptedOut,
    };
}

public abstract record ReminderPreferencesSaveResult
{
    public sealed record Saved(ReminderPreferencesView Preferences) : ReminderPreferencesSaveResult;
    public sealed record Conflict(string Message) : ReminderPreferencesSaveResult;
    public sealed record Unsaved(string Message) : ReminderPreferencesSaveResult;
    public sealed record NotFound : ReminderPreferencesSaveResult;
}
